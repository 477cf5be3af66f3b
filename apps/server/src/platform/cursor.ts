import { badRequest } from './errors.ts'

/** Opaque keyset cursors: base64url of the sort key of the last row returned. */
export function encodeCursor(parts: (number | string)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, arity: number): (number | string)[] | null {
  if (!cursor) return null
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'number' || typeof p === 'string')) return parts
  } catch {}
  throw badRequest('cursor is not valid')
}
