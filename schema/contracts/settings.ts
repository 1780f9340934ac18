import { z } from 'zod'
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

export const DefaultSettings = z.object({
  defaultTtl: TtlSchema,
  defaultConfidence: whole(0, 100),
  defaultSeverity: SeveritySchema,
  timezone: TimeZone,
})
export type DefaultSettings = z.infer<typeof DefaultSettings>

export const DefaultSettingsInput = DefaultSettings.partial().strict()
export type DefaultSettingsInput = z.input<typeof DefaultSettingsInput>

export const DefaultSettingsView = z.object({ settings: DefaultSettings })
