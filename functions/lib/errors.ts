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

/** The messages of an error and its causes (drizzle wraps D1's error in "Failed query: ..."). */
export function errorChain(err: unknown): string {
  const parts: string[] = []
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
  }
  return parts.join(' <- ')
}

/**
 * The database itself failing (unreadable, corrupt, full, locked, its storage process gone), as
 * opposed to a query bug: the caller gets 503 and may retry, and nothing was half-written (every
 * write is one D1 batch, so a failed batch changes nothing). workerd hides a storage failure of the
 * D1 binding behind `internal error; reference = ...` (the real SQLite error goes to its log).
 */
const DB_FAILURE =
  /SQLITE_(NOTADB|CORRUPT|IOERR|FULL|CANTOPEN|BUSY|LOCKED|READONLY|PROTOCOL)|file is not a database|database disk image is malformed|disk I\/O error|database or disk is full|unable to open database|database is locked|Durable Object (reset|storage)|internal error; reference = |D1_ERROR: (internal|storage)/i

export function isDatabaseFailure(err: unknown): boolean {
  return DB_FAILURE.test(errorChain(err))
}
