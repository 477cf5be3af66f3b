import {
  CamelCasePlugin,
  type Dialect,
  type PluginTransformQueryArgs,
  PostgresDialect,
  PostgresQueryCompiler,
  type QueryCompiler,
  type RootOperationNode,
  type SqliteDialect,
  SqliteQueryCompiler,
} from 'kysely'

/**
 * camelCase in TypeScript, snake_case in the database, as Kysely's CamelCasePlugin does, but with the names mapped
 * while the query is compiled rather than by a pass that copies each query's whole tree before compiling it. That pass
 * was about a twentieth of the server's CPU while routing mail (every query, every time). Rows come back through the
 * plugin's own `transformResult`, unchanged.
 */
class CamelCaseResults extends CamelCasePlugin {
  override transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node
  }

  /** The plugin's own mapping (memoized per name). */
  snakeCaseOf(identifier: string): string {
    return this.snakeCase(identifier)
  }
}

/** The plugin for Kysely's `plugins`: results camelCased (queries are named by the dialect, camelCaseDialect). */
export const camelCaseResults = new CamelCaseResults()
const snakeCase = (identifier: string) => camelCaseResults.snakeCaseOf(identifier)

class SnakeCasePostgresCompiler extends PostgresQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(snakeCase(identifier))
  }
}

class SnakeCaseSqliteCompiler extends SqliteQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(snakeCase(identifier))
  }
}

/** The dialect with every identifier (table, column, alias, schema) written in snake_case by its query compiler. */
export function camelCaseDialect(dialect: PostgresDialect | SqliteDialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => dialect.createDriver(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: (): QueryCompiler => (dialect instanceof PostgresDialect ? new SnakeCasePostgresCompiler() : new SnakeCaseSqliteCompiler()),
  }
}
