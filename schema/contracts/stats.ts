import { z } from 'zod'
import { SCORING_METHODS } from '../../functions/domain/champs'

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d
}, 'is not a real date')

export const TickerMessage = z
  .object({
    text: z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters'),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb'),
    dir: z.enum(['ltr', 'rtl']),
  })
  .strict()

/** Admin settings of the Champs screen. */
export const ChampsConfigPatch = z
  .object({
    method: z.number().int().refine((m) => (SCORING_METHODS as readonly number[]).includes(m), 'must be a scoring method 1 to 8').optional(),
    excludeSystem: z.boolean().optional(),
    weekendDays: z.array(z.number().int().min(0).max(6)).max(7).optional(),
    ticker: z.array(TickerMessage).max(5, 'may hold at most 5 messages').optional(),
  })
  .strict()
export type ChampsConfigPatch = z.infer<typeof ChampsConfigPatch>

export const ChampsQuery = z.object({
  method: z.coerce.number().int().min(1, 'must be a scoring method 1 to 8').max(8, 'must be a scoring method 1 to 8').optional(),
})

export const SpotlightParam = z.object({ userId: z.coerce.number().int().positive() })

export const TeamGoalInput = z
  .object({
    title: z.string().trim().min(1, 'is required').max(120, 'is longer than 120 characters'),
    description: z.string().trim().max(500, 'is longer than 500 characters').optional(),
    targetValue: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000, 'is larger than 1,000,000'),
    unit: z.string().trim().max(40, 'is longer than 40 characters').optional(),
    goalType: z.enum(['ioc_add', 'yara_add', 'deletion']),
    period: z.enum(['weekly', 'monthly']),
  })
  .strict()
export type TeamGoalInput = z.infer<typeof TeamGoalInput>

export const ReportQuery = z
  .object({
    period: z.enum(['day', 'week', 'month', 'custom']).default('week'),
    date: IsoDate.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period !== 'custom') return
    if (!q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for a custom range' })
    if (!q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for a custom range' })
    if (q.from && q.to) {
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1
      if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' })
      else if (days > 366) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a custom range may span at most 366 days' })
    }
  })
export type ReportQuery = z.infer<typeof ReportQuery>
