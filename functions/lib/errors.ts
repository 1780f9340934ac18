import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { FieldIssue } from '../../schema/contracts/common'

/** The one error type: domain, repo and route code throw it; only `app.onError` renders it. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function fieldError(status: 400 | 422, field: string, reason: string, code: string): ApiError {
  const fields: FieldIssue[] = [{ field, reason, code }]
  return new ApiError(status, 'validation_failed', `${field}: ${reason}`, { fields })
}

export const unauthorized = (code = 'unauthorized', message = 'Sign in or send a bearer token') =>
  new ApiError(401, code, message)

export const forbidden = (message = 'Your role does not allow this action') =>
  new ApiError(403, 'forbidden', message)

export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`)
