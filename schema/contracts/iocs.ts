import { z } from 'zod'
import { IOC_TYPES } from '../../functions/domain/ioc'

export const IocTypeSchema = z.enum(IOC_TYPES)
export const TtlSchema = z.enum(['1w', '1m', '3m', '1y', 'permanent'])
export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical'])
export const IocStatusSchema = z.enum(['active', 'expired', 'excluded', 'allowlisted', 'deleted'])

export const Tag = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(40, 'is longer than 40 characters')
  .regex(/^[\p{L}\p{N}_.:\-/ ]+$/u, 'may contain letters, digits, space and _ . : - / only')
export const Tags = z.array(Tag).max(20, 'has more than 20 tags')
export const Ticket = z.string().trim().max(64, 'is longer than 64 characters')
export const Comment = z.string().max(2000, 'is longer than 2000 characters')
export const CampaignName = z.string().trim().min(1, 'is empty').max(100, 'is longer than 100 characters')
const FutureIso = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' })

export const IocInput = z
  .object({
    value: z.string().min(1, 'is required').max(8192, 'is longer than 8192 characters'),
    type: IocTypeSchema.optional(),
    ttl: TtlSchema.optional(),
    expiresAt: FutureIso.optional(),
    ticket: Ticket.optional(),
    comment: Comment.optional(),
    campaign: CampaignName.optional(),
    tags: Tags.optional(),
    confidence: z.number().int().min(0, 'must be at least 0').max(100, 'must be at most 100').optional(),
    severity: SeveritySchema.optional(),
    /** Accept the sanity warnings the previous attempt returned. */
    confirm: z.boolean().optional(),
    /** On a duplicate: `error` (409, default) or `extend` the existing IOC's expiry. */
    onDuplicate: z.enum(['error', 'extend']).optional(),
  })
  .strict()
export type IocInput = z.infer<typeof IocInput>

export const IocPatch = z
  .object({
    ttl: TtlSchema.optional(),
    expiresAt: FutureIso.nullable().optional(),
    ticket: Ticket.optional(),
    comment: Comment.optional(),
    campaign: CampaignName.nullable().optional(),
    tags: Tags.optional(),
    confidence: z.number().int().min(0).max(100).optional(),
    severity: SeveritySchema.optional(),
  })
  .strict()
export type IocPatch = z.infer<typeof IocPatch>

export const ParseInput = z.object({
  text: z.string().max(5 * 1024 * 1024, 'is larger than 5 MB'),
  type: IocTypeSchema.optional(),
})

export const ExcludeInput = z.object({ reason: z.string().trim().max(500, 'is longer than 500 characters').optional() }).strict()

export const IocQuery = z.object({
  q: z.string().trim().max(8192).optional(),
  match: z.enum(['substring', 'prefix', 'exact']).default('substring'),
  type: IocTypeSchema.optional(),
  status: z.enum(['active', 'expired', 'permanent', 'excluded', 'allowlisted', 'deleted', 'live', 'all']).default('live'),
  ticket: z.string().trim().max(64).optional(),
  user: z.string().trim().max(128).optional(),
  campaign: z.coerce.number().int().positive().optional(),
  tag: z.string().trim().max(40).optional(),
  from: FutureIso.optional(),
  to: FutureIso.optional(),
  sort: z.enum(['newest', 'oldest', 'value', 'expiry']).default('newest'),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(50),
  cursor: z.string().max(200).optional(),
})
export type IocQuery = z.infer<typeof IocQuery>

export const ExportQuery = IocQuery.omit({ limit: true, cursor: true }).extend({ format: z.enum(['csv', 'json', 'txt']).default('csv') })
export type ExportQuery = z.infer<typeof ExportQuery>

export const UserRef = z.object({ id: z.number(), username: z.string(), displayName: z.string() })

export const Ioc = z.object({
  id: z.number(),
  type: IocTypeSchema,
  value: z.string(),
  status: IocStatusSchema,
  expiresAt: z.string().nullable(),
  ticket: z.string(),
  comment: z.string(),
  campaign: z.object({ id: z.number(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  confidence: z.number(),
  severity: SeveritySchema,
  source: z.string(),
  createdBy: UserRef,
  createdAt: z.string(),
  updatedAt: z.string(),
  excludedAt: z.string().nullable(),
  excludeReason: z.string().nullable(),
  allowlistedBy: z.number().nullable(),
  deletedAt: z.string().nullable(),
  incarnation: z.number(),
})
export type Ioc = z.infer<typeof Ioc>

export const Warning = z.object({ code: z.string(), message: z.string() })

export const IocCreated = z.object({ ioc: Ioc, warnings: z.array(Warning), extended: z.boolean().optional() })
export const IocPage = z.object({ items: z.array(Ioc), nextCursor: z.string().nullable() })

export const HistoryEvent = z.object({
  id: z.number(),
  iocId: z.number(),
  event: z.string(),
  actor: z.string(),
  at: z.string(),
  diff: z.unknown(),
})
export const HistoryPage = z.object({ items: z.array(HistoryEvent) })

export const NoteQuery = z.object({ type: IocTypeSchema, value: z.string().min(1, 'is required').max(8192) })
export const NoteInput = z
  .object({ type: IocTypeSchema, value: z.string().min(1, 'is required').max(8192), body: z.string().trim().min(1, 'is empty').max(10_000, 'is longer than 10000 characters') })
  .strict()
export const Note = z.object({ id: z.number(), type: z.string(), value: z.string(), body: z.string(), author: z.string(), createdAt: z.string() })
export const NotePage = z.object({ items: z.array(Note) })

export const CampaignInput = z
  .object({ name: CampaignName, description: z.string().max(5000, 'is longer than 5000 characters').optional() })
  .strict()
export const CampaignPatch = CampaignInput.partial().strict()
export const Campaign = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  iocCount: z.number(),
  activeCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export const CampaignList = z.object({ items: z.array(Campaign) })
export const CampaignLinkInput = z.object({ iocIds: z.array(z.number().int().positive()).min(1, 'is empty').max(1000) }).strict()

export const AllowlistInput = z
  .object({
    kind: z.enum(['exact', 'suffix', 'cidr']),
    value: z.string().trim().min(1, 'is required').max(8192),
    reason: z.string().trim().min(1, 'is required').max(500, 'is longer than 500 characters'),
  })
  .strict()
export const AllowlistEntry = z.object({
  id: z.number(),
  kind: z.enum(['exact', 'suffix', 'cidr']),
  value: z.string(),
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  matches: z.number(),
})
export const AllowlistList = z.object({ items: z.array(AllowlistEntry) })
