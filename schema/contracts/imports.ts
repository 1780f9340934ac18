import { z } from 'zod'
import { CampaignName, Comment, IocTypeSchema, Tags, Ticket, TtlSchema } from './iocs'

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024
export const IMPORT_MAX_ROWS = 500_000
export const IMPORT_STATUSES = ['new', 'warning', 'duplicate', 'allowlisted', 'invalid'] as const
export const ImportStatusSchema = z.enum(IMPORT_STATUSES)

/** JSON body of `POST /api/v1/imports` (the other form is multipart with a `file` field). */
export const ImportTextInput = z
  .object({
    text: z.string().min(1, 'is empty'),
    format: z.enum(['csv', 'txt', 'text', 'stix']).optional(),
    filename: z.string().max(255, 'is longer than 255 characters').optional(),
    type: IocTypeSchema.optional(),
  })
  .strict()

/** Batch-level values: they fill what a row does not set itself. */
export const ImportOptions = z
  .object({
    ttl: TtlSchema.nullable().optional(),
    campaign: CampaignName.nullable().optional(),
    ticket: Ticket.nullable().optional(),
  })
  .strict()
export type ImportOptions = z.infer<typeof ImportOptions>

export const ImportCommitInput = ImportOptions.extend({
  /** Lines to leave out, on top of the rows deselected in the preview. */
  exclude: z.array(z.number().int().positive()).max(IMPORT_MAX_ROWS).optional(),
}).strict()

export const ImportRowsQuery = z.object({
  status: ImportStatusSchema.optional(),
  selected: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
  cursor: z.coerce.number().int().min(-1).optional(),
})

export const ImportRowParam = z.object({
  id: z.coerce.number().int().positive('must be a positive integer'),
  idx: z.coerce.number().int().min(0, 'must be 0 or more'),
})

/** An edit of one preview row; `value` is parsed again and the row classified again. */
export const ImportRowPatch = z
  .object({
    value: z.string().min(1, 'is required').max(8192, 'is longer than 8192 characters').optional(),
    type: IocTypeSchema.nullable().optional(),
    selected: z.boolean().optional(),
    ticket: Ticket.nullable().optional(),
    comment: Comment.nullable().optional(),
    campaign: CampaignName.nullable().optional(),
    tags: Tags.nullable().optional(),
    ttl: TtlSchema.nullable().optional(),
  })
  .strict()
export type ImportRowPatch = z.infer<typeof ImportRowPatch>

/** Select or deselect every row of some statuses at once (only new and warning rows can be selected). */
export const ImportSelectInput = z
  .object({ statuses: z.array(z.enum(['new', 'warning'])).min(1, 'is empty'), selected: z.boolean() })
  .strict()
