import { z } from 'zod'
import { SANITY_MODES } from '../../functions/domain/sanity-policy'
import { TTL_TYPE_GROUPS, type TtlByType } from '../../functions/domain/ttl-policy'
import { SeveritySchema, TtlSchema } from './iocs'

// General defaults on the Settings screen (GET/PATCH /api/v1/settings/defaults): what a new IOC
// gets when its submitter leaves a field out, and the zone for day boundaries and ticket ids.

const whole = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)

export const TimeZone = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'is longer than 64 characters')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz })
      return true
    } catch {
      return false
    }
  }, 'must be an IANA time zone such as UTC or Asia/Jerusalem')

/**
 * Per-type lifetimes over `defaultTtl`: `{"ip": "1m", "hash": "permanent"}`. Each bad entry is its
 * own field error (`ttlByType.ip`, `ttlByType.md5`), a missing type takes `defaultTtl`.
 */
export const TtlByTypeSchema = z
  .record(z.string(), z.unknown(), { message: 'must be an object mapping an IOC type to a lifetime' })
  .superRefine((byType, ctx) => {
    for (const [type, ttl] of Object.entries(byType)) {
      if (!(TTL_TYPE_GROUPS as readonly string[]).includes(type)) {
        ctx.addIssue({ code: 'custom', path: [type], message: `is not an IOC type (expected ${TTL_TYPE_GROUPS.join(', ')})` })
      } else if (!TtlSchema.safeParse(ttl).success) {
        ctx.addIssue({ code: 'custom', path: [type], message: `must be one of ${TtlSchema.options.join(', ')}` })
      }
    }
  })
  .transform((byType) => byType as TtlByType)

export const SanityModeSchema = z.enum(SANITY_MODES, { message: `must be one of ${SANITY_MODES.join(', ')}` })

export const DefaultSettings = z.object({
  defaultTtl: TtlSchema,
  ttlByType: TtlByTypeSchema,
  sanityMode: SanityModeSchema,
  defaultConfidence: whole(0, 100),
  defaultSeverity: SeveritySchema,
  timezone: TimeZone,
})
export type DefaultSettings = z.infer<typeof DefaultSettings>

export const DefaultSettingsInput = DefaultSettings.partial().strict()
export type DefaultSettingsInput = z.input<typeof DefaultSettingsInput>

export const DefaultSettingsView = z.object({ settings: DefaultSettings })

/** What any signed-in user's forms need to show the lifetime and the sanity rule that will apply. */
export const SubmissionDefaults = DefaultSettings.pick({ defaultTtl: true, ttlByType: true, sanityMode: true, defaultConfidence: true, defaultSeverity: true })
export type SubmissionDefaults = z.infer<typeof SubmissionDefaults>
