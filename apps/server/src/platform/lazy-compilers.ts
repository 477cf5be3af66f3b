import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

/**
 * Fastify compiles every route's request validators (Ajv) and response serializers (fast-json-stringify) while the
 * server starts, before it answers anything. With ~300 routes that is most of the start-up time, spent on routes a
 * given process may never serve. These builders wrap Fastify's own default compilers (resolved from Fastify's
 * dependencies, so the versions always match) and compile each schema on its first use instead: behaviour is the
 * same, the first request to a route pays a few milliseconds once. Schemas are still checked at start by the
 * OpenAPI document, which is built from the same route definitions.
 */
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'))
const AjvCompiler = fastifyRequire('@fastify/ajv-compiler') as () => ValidatorBuilder
const { SerializerSelector } = fastifyRequire('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerBuilder }

type Validator = ((data: unknown, dataCxt?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown }
type ValidatorBuilder = (externalSchemas: unknown, options: unknown) => (routeSchema: unknown) => Validator
type Serializer = (data: unknown) => string
type SerializerBuilder = (externalSchemas: unknown, options: unknown) => (routeSchema: unknown) => Serializer
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

/**
 * The lazy builders of one app, with the compilations they have not done yet: `compileAll` forces them all (a test
 * proves every route's schemas compile) and returns how many it compiled; it throws on a bad schema. Per app, so
 * several apps in one process (tests, the in-process cluster) neither share nor keep each other's routes.
 */
export function lazyCompilers(): { compilersFactory: CompilersFactory; compileAll(): number } {
  const pending = new Set<() => void>()
  /** Wraps one route schema's compilation: compiled on first use, or by compileAll. */
  const lazily = <T>(compile: () => T): (() => T) => {
    let compiled: T | undefined
    const ensure = () => {
      pending.delete(ensure)
      compiled ??= compile()
      return compiled
    }
    pending.add(ensure)
    return () => compiled ?? ensure()
  }
  const buildValidator = AjvCompiler()
  const validators: ValidatorBuilder = (externalSchemas, options) => {
    const compile = buildValidator(externalSchemas, options)
    return (routeSchema) => {
      const compiled = lazily(() => compile(routeSchema))
      const validate: Validator = (data, dataCxt) => {
        const run = compiled()
        const ok = run(data, dataCxt)
        validate.errors = run.errors
        return ok
      }
      // Ajv validators take the parent object so they may coerce a root value in place: keep that contract.
      validate.schemaEnv = true
      return validate
    }
  }
  const buildSerializer = SerializerSelector()
  const serializers: SerializerBuilder = (externalSchemas, options) => {
    const compile = buildSerializer(externalSchemas, options)
    return (routeSchema) => {
      const compiled = lazily(() => compile(routeSchema))
      return (data) => compiled()(data)
    }
  }
  return {
    compilersFactory: { buildValidator: validators as never, buildSerializer: serializers as never },
    compileAll() {
      const all = [...pending]
      for (const run of all) run()
      return all.length
    },
  }
}
