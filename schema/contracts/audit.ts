import { z } from 'zod'
import { FACILITY_NAMES, type Facility } from '../../functions/domain/syslog'

const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time' })

export const AuditFilter = z.object({
  /** Exact action (`auth.login`), or a prefix ending in `.` or `*` (`auth.`, `ioc.*`). */
  action: z.string().trim().max(64, 'is longer than 64 characters').optional(),
  actor: z.string().trim().max(128, 'is longer than 128 characters').optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
})

export const AuditQuery = AuditFilter.extend({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
  cursor: z.coerce.number().int().positive('must be a positive integer').optional(),
})
export type AuditQuery = z.infer<typeof AuditQuery>

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
export type AuditRecord = z.infer<typeof AuditRecord>

export const AuditPage = z.object({ items: z.array(AuditRecord), nextCursor: z.string().nullable() })
export type AuditPage = z.infer<typeof AuditPage>

/** One record with the exact CEF line and RFC 5424 frame Moat ships for it. */
export const AuditPreview = z.object({ record: AuditRecord, cef: z.string(), syslog: z.string() })

export const FACILITY = z.enum(FACILITY_NAMES as [Facility, ...Facility[]])

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/

export const SyslogHost = z
  .string()
  .trim()
  .max(253, 'is longer than 253 characters')
  .refine((v) => v === '' || HOSTNAME.test(v) || (v.includes(':') && IPV6.test(v)), 'must be a host name or an IP address')
export const SyslogPort = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535')

export const AuditSettingsInput = z
  .object({
    syslogEnabled: z.boolean(),
    syslogHost: SyslogHost,
    syslogPort: SyslogPort,
    syslogFacility: FACILITY,
    retentionDays: z.coerce.number().int('must be a whole number').min(7, 'must be at least 7').max(3650, 'must be at most 3650'),
  })
  .partial()
  .strict()
export type AuditSettingsInput = z.infer<typeof AuditSettingsInput>

export const SyslogTestInput = z
  .object({ host: SyslogHost.refine((v) => v !== '', 'is required'), port: SyslogPort, facility: FACILITY })
  .partial()
  .strict()

export const AuditSettings = z.object({
  syslogEnabled: z.boolean(),
  syslogHost: z.string(),
  syslogPort: z.number(),
  syslogFacility: FACILITY,
  retentionDays: z.number(),
  delivery: z.object({
    lastAuditId: z.number(),
    fileShippedId: z.number(),
    syslogShippedId: z.number(),
    lastShippedAt: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    syslogError: z.string().nullable(),
    syslogErrorAt: z.string().nullable(),
  }),
})
export type AuditSettings = z.infer<typeof AuditSettings>
