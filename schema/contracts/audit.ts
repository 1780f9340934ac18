import { z } from 'zod'

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
  cursor: z.coerce.number().int().positive('must be a positive integer').optional(),
  action: z.string().max(64).optional(),
})

export const AuditRecord = z.object({
  id: z.number(),
  at: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure']),
  severity: z.number(),
  actor: z.string().nullable(),
  actorId: z.number().nullable(),
  sourceIp: z.string().nullable(),
  target: z.string().nullable(),
  details: z.unknown(),
})

export const AuditPage = z.object({ items: z.array(AuditRecord), nextCursor: z.string().nullable() })
export type AuditPage = z.infer<typeof AuditPage>
