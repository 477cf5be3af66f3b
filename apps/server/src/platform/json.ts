/** JSON columns are text on SQLite and jsonb on PostgreSQL: read both the same way. */
export function readJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T
    } catch {
      return fallback
    }
  }
  return value as T
}

export const writeJson = (value: unknown): string => JSON.stringify(value)

/** The object without its undefined properties (for partial updates). */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
