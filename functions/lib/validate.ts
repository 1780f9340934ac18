import type { Context, MiddlewareHandler } from 'hono'
import { z } from 'zod'
import type { FieldIssue } from '../../schema/contracts/common'
import { ApiError } from './errors'

type Target = 'json' | 'query' | 'param'

/** Turns zod issues into field errors that name the field and say why. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(body)'
    const params: Record<string, string | number> = {}
    if ('minimum' in issue) params.minimum = Number(issue.minimum)
    if ('maximum' in issue) params.maximum = Number(issue.maximum)
    if (issue.code === 'unrecognized_keys') params.keys = issue.keys.join(', ')
    const missing = issue.code === 'invalid_type' && issue.input === undefined
    return {
      field,
      reason: missing ? 'is required' : issue.message,
      code: missing ? 'required' : issue.code,
      ...(Object.keys(params).length ? { params } : {}),
    }
  })
}

async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json', {
      expected: 'application/json',
      received: type || null,
    })
  }
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(err as Error).message}`)
  }
}

/**
 * The one validator wrapper: reads the target (415 for a wrong content type, 400 for broken JSON),
 * checks it against a zod schema and stores the parsed value for `c.req.valid(target)`.
 */
export function zv<T extends Target, S extends z.ZodType>(
  target: T,
  schema: S,
): MiddlewareHandler<
  any,
  string,
  { in: { [K in T]: z.input<S> }; out: { [K in T]: z.output<S> } }
> {
  return async (c, next) => {
    const raw =
      target === 'json' ? await readJson(c) : target === 'query' ? c.req.query() : c.req.param()
    const result = schema.safeParse(raw)
    if (!result.success) {
      const fields = toFieldIssues(result.error)
      const first = fields[0]
      throw new ApiError(400, 'validation_failed', `${first.field}: ${first.reason}`, { fields })
    }
    c.req.addValidatedData(target, result.data as object)
    await next()
  }
}

/** `:id` path parameters: a positive integer. */
export const IdParam = z.object({ id: z.coerce.number().int().positive('must be a positive integer') })
