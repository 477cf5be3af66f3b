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
/** Compilations not done yet, so a test can force them all and prove every route's schemas compile. */
const pending = new Set<() => void>()

/** Compiles every schema still waiting for its first request; returns how many it compiled. Throws on a bad schema. */
export function compileAllSchemas(): number {
  const all = [...pending]
  for (const run of all) run()
  return all.length
}

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>

export function lazyValidatorBuilder(): NonNullable<CompilersFactory['buildValidator']> {
  const build = AjvCompiler()
  const builder: ValidatorBuilder = (externalSchemas, options) => {
    const compile = build(externalSchemas, options)
    return (routeSchema) => {
      let compiled: Validator | undefined
      const ensure = () => {
        pending.delete(ensure)
        compiled ??= compile(routeSchema)
        return compiled
      }
      pending.add(ensure)
      const validate: Validator = (data, dataCxt) => {
        compiled ??= ensure()
        const ok = compiled(data, dataCxt)
        validate.errors = compiled.errors
        return ok
      }
      // Ajv validators take the parent object so they may coerce a root value in place: keep that contract.
      validate.schemaEnv = true
      return validate
    }
  }
  return builder as never
}

export function lazySerializerBuilder(): NonNullable<CompilersFactory['buildSerializer']> {
  const build = SerializerSelector()
  const builder: SerializerBuilder = (externalSchemas, options) => {
    const compile = build(externalSchemas, options)
    return (routeSchema) => {
      let compiled: Serializer | undefined
      const ensure = () => {
        pending.delete(ensure)
        compiled ??= compile(routeSchema)
        return compiled
      }
      pending.add(ensure)
      return (data) => {
        compiled ??= ensure()
        return compiled(data)
      }
    }
  }
  return builder as never
}
