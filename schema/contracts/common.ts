import { z } from 'zod'

/**
 * A field-level problem inside `details.fields` of a 400/422. `reason` is English; `code` and
 * `params` let the UI say the same thing in the user's language.
 */
export const FieldIssue = z.object({
  field: z.string(),
  reason: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})
export type FieldIssue = z.infer<typeof FieldIssue>

/** The one error envelope every API route answers with on failure. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
})
export type ErrorBody = z.infer<typeof ErrorBody>

export const Role = z.enum(['admin', 'analyst', 'viewer'])
export type Role = z.infer<typeof Role>
