import { createHash, createHmac, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

export const hashPassword = (password: string): Promise<string> => hash(password)
export const verifyPassword = async (stored: string, password: string): Promise<boolean> => {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/** A random secret for a cookie, API token or invite link; only its SHA-256 is stored. */
export const newSecret = (prefix = ''): string => prefix + randomBytes(32).toString('base64url')
export const sha256 = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex')
/** A secret derived from a workspace secret and a name: the same name always gives the same secret (e.g. a resent link). */
export const derivedSecret = (key: string, name: string, prefix = ''): string => prefix + createHmac('sha256', key).update(name).digest('base64url')
