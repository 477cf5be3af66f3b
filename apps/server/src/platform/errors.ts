export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'stale_draft'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'setup_required'

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError('bad_request', 400, message, details)
export const unauthenticated = () => new AppError('unauthenticated', 401, 'Sign in first')
export const forbidden = (action: string, why?: string) => new AppError('forbidden', 403, `You are not allowed to ${action}${why ? `: ${why}` : ''}`)
export const notFound = (what: string, id: number | string) => new AppError('not_found', 404, `${what} ${id} was not found`)
export const conflict = (message: string, details?: unknown) => new AppError('conflict', 409, message, details)
export const unprocessable = (message: string, details?: unknown) => new AppError('unprocessable', 422, message, details)
export const tooLarge = (message: string) => new AppError('payload_too_large', 413, message)
export const rateLimited = (message: string) => new AppError('rate_limited', 429, message)
