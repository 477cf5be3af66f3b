import { acceptFormBodies } from '../../platform/form-body.ts'
import type { App } from '../../platform/http.ts'

const FORM_LIMIT = 64 * 1024

/**
 * Parses the public pages' HTML form posts (application/x-www-form-urlencoded) into the same shape as the
 * JSON bodies: `answers[<question>]` fields become an `answers` object (repeated fields an array).
 * Registered inside the surveys plugin only.
 */
export function acceptFormPosts(app: App): void {
  acceptFormBodies(app, { bodyLimit: FORM_LIMIT, parse: surveyFields })
}

function surveyFields(params: URLSearchParams): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  const answers: Record<string, string | string[]> = {}
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    const question = /^answers\[(.{1,40})\]$/.exec(key)?.[1]
    if (question) answers[question] = values.length > 1 ? values : values[0]!
    else result[key] = values[values.length - 1]
  }
  if (Object.keys(answers).length || Object.keys(result).length === 0) result.answers = answers
  return result
}

/** A browser's form post (answered with a page or a redirect), rather than an API call (answered with JSON). */
export const isFormPost = (contentType: string | undefined) => (contentType ?? '').startsWith('application/x-www-form-urlencoded')
