import { z } from 'zod'

export const PULSE_WINDOWS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const
export const PulseWindow = z.enum(['24h', '7d', '30d'])
export type PulseWindow = z.infer<typeof PulseWindow>

export const PulseQuery = z.object({ window: PulseWindow.default('24h') })

const Cursor = z.string().max(200).optional()

export const PulsePageQuery = z.object({
  window: PulseWindow.default('24h'),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: Cursor,
})

export const AnomalyQuery = z.object({
  rule: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: Cursor,
})
