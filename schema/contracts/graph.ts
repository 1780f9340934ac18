import { z } from 'zod'
import { IOC_TYPES } from '../../functions/domain/ioc'

/** What the Campaign Graph can show besides campaigns: every IOC type and YARA rule files. */
export const GRAPH_TYPES = [...IOC_TYPES, 'yara'] as const
export type GraphType = (typeof GRAPH_TYPES)[number]

/** The most nodes one answer holds (campaigns, IOCs and YARA rules together). */
export const GRAPH_MAX_NODES = 5000

/** A comma-separated list in a query string ("1,2", "ip,domain"); empty items are ignored. */
const list = <T extends z.ZodTypeAny>(item: T, message: string) =>
  z
    .string()
    .max(2000, 'is longer than 2000 characters')
    .transform((s, ctx) => {
      const parts = s.split(',').map((p) => p.trim()).filter(Boolean)
      const out: z.infer<T>[] = []
      for (const p of parts) {
        const r = item.safeParse(p)
        if (!r.success) {
          ctx.addIssue({ code: 'custom', message })
          return z.NEVER
        }
        out.push(r.data)
      }
      return out
    })

export const GraphQuery = z
  .object({
    campaign: list(z.coerce.number().int().positive(), 'must be campaign ids separated by commas').optional(),
    type: list(z.enum(GRAPH_TYPES), `must be types among ${GRAPH_TYPES.join(', ')} separated by commas`).optional(),
    active: z.enum(['0', '1', 'true', 'false'], { message: 'must be 1 or 0' }).transform((v) => v === '1' || v === 'true').optional(),
    q: z.string().trim().max(200, 'is longer than 200 characters').optional(),
    limit: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').max(GRAPH_MAX_NODES, `must be at most ${GRAPH_MAX_NODES}`).optional(),
  })
  .strict()
export type GraphQuery = z.infer<typeof GraphQuery>
