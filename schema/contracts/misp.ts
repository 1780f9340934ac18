import { z } from 'zod'
import { MISP_MAPPED_TYPES, type MispMappedType } from '../../functions/domain/misp-types'
import { TtlSchema } from './iocs'

export { MISP_MAPPED_TYPES }

/** The MISP types pulled unless an admin narrows them: every mapped type but `email-dst` (victims). */
export const DEFAULT_MISP_TYPES: MispMappedType[] = MISP_MAPPED_TYPES.filter((t) => t !== 'email-dst')

export const MISP_TTL_GROUPS = ['ip', 'domain', 'url', 'email', 'hash'] as const
export type MispTtlGroup = (typeof MISP_TTL_GROUPS)[number]

export const WARNING_POLICIES = ['review', 'import', 'skip'] as const

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----\s*[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/

/** http(s), a host, no credentials, query or fragment; a trailing `/` is dropped. */
export const MispUrl = z
  .string()
  .trim()
  .max(2048, 'is longer than 2048 characters')
  .transform((v) => v.replace(/\/+$/, ''))
  .refine((v) => {
    if (v === '') return true
    try {
      const u = new URL(v)
      return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password && !u.search && !u.hash
    } catch {
      return false
    }
  }, 'must be an http:// or https:// address without credentials, query or fragment')

export const MispApiKey = z
  .string()
  .trim()
  .max(256, 'is longer than 256 characters')
  .refine((v) => !/\s/.test(v), 'must not contain spaces')

export const MispCaPem = z
  .string()
  .max(65536, 'is longer than 64 KiB')
  .refine((v) => v.trim() === '' || CERT_BLOCK.test(v), 'must be PEM text with at least one -----BEGIN CERTIFICATE----- block')

const TagFilter = z
  .array(z.string().trim().min(1, 'is empty').max(255, 'is longer than 255 characters'))
  .max(50, 'has more than 50 tags')

const whole = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)

export const MispTtls = z.object({ ip: TtlSchema, domain: TtlSchema, url: TtlSchema, email: TtlSchema, hash: TtlSchema }).strict()

/** Everything an admin configures for the pull, except the API key (a secret, stored apart). */
export const MispConfig = z.object({
  enabled: z.boolean(),
  url: MispUrl,
  verifyTls: z.boolean(),
  caPem: MispCaPem,
  intervalMinutes: whole(5, 1440),
  timeoutSeconds: whole(1, 600),
  pageSize: whole(10, 5000),
  published: z.boolean(),
  toIds: z.boolean(),
  enforceWarninglist: z.boolean(),
  tagsInclude: TagFilter,
  tagsExclude: TagFilter,
  lastDays: whole(1, 365),
  types: z.array(z.enum(MISP_MAPPED_TYPES)).min(1, 'choose at least one type'),
  domainIpBoth: z.boolean(),
  warningPolicy: z.enum(WARNING_POLICIES),
  ttl: MispTtls,
  confidence: whole(0, 100).nullable(),
  confidenceFromTags: z.boolean(),
  campaignFromEvent: z.boolean(),
})
export type MispConfig = z.infer<typeof MispConfig>

export const MISP_DEFAULTS: MispConfig = {
  enabled: false,
  url: '',
  verifyTls: true,
  caPem: '',
  intervalMinutes: 60,
  timeoutSeconds: 120,
  pageSize: 1000,
  published: true,
  toIds: true,
  enforceWarninglist: true,
  tagsInclude: [],
  tagsExclude: [],
  lastDays: 30,
  types: DEFAULT_MISP_TYPES,
  domainIpBoth: false,
  warningPolicy: 'review',
  ttl: { ip: '1m', domain: '3m', url: '3m', email: '3m', hash: 'permanent' },
  confidence: null,
  confidenceFromTags: true,
  campaignFromEvent: false,
}

/** PATCH body: any subset of the settings, plus `apiKey` (write-only; '' removes it). */
export const MispSettingsInput = MispConfig.extend({ apiKey: MispApiKey }).partial().strict()
export type MispSettingsInput = z.input<typeof MispSettingsInput>

/** Test a connection: the saved settings, or these values before saving them. */
export const MispTestInput = z
  .object({ url: MispUrl, apiKey: MispApiKey, verifyTls: z.boolean(), caPem: MispCaPem, timeoutSeconds: whole(1, 600) })
  .partial()
  .strict()
export type MispTestInput = z.input<typeof MispTestInput>

export const MispPullInput = z
  .object({
    /** Ignore the cursor: fetch the whole first-run window again (known attributes are still skipped). */
    full: z.boolean(),
    /** Check every linked attribute for removal now, not only once a day. */
    reconcile: z.boolean(),
  })
  .partial()
  .strict()
export type MispPullInput = z.input<typeof MispPullInput>

export const MispRunsQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20),
})

const Counts = z.record(z.string(), z.number())
/** One example row of a run; `reason` in English, the rest for the UI to say it in the user's language. */
const Sample = z.object({
  mispType: z.string(),
  value: z.string(),
  event: z.string().nullable().optional(),
  reason: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), part: z.string().optional() }).optional(),
  warnings: z.array(z.string()).optional(),
  listed: z.string().optional(),
  allowlist: z.object({ value: z.string(), reason: z.string() }).optional(),
})

/** What one pull did. */
export const MispRunResult = z.object({
  pages: z.number(),
  fetched: z.number(),
  created: z.number(),
  extended: z.number(),
  duplicates: z.number(),
  held: z.number(),
  warningsImported: z.number(),
  allowlisted: z.number(),
  invalid: z.number(),
  skipped: Counts,
  skippedByType: Counts,
  withdrawn: z.number(),
  expired: z.number(),
  reconciled: z.boolean(),
  checked: z.number(),
  cursorFrom: z.number().nullable(),
  cursorTo: z.number().nullable(),
  samples: z.object({ created: z.array(Sample), invalid: z.array(Sample), held: z.array(Sample), allowlisted: z.array(Sample) }),
})
export type MispRunResult = z.infer<typeof MispRunResult>

export const MispRun = z.object({
  id: z.number(),
  trigger: z.enum(['schedule', 'manual']),
  actor: z.string(),
  status: z.enum(['running', 'ok', 'error']),
  full: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  result: MispRunResult.nullable(),
  batchId: z.number().nullable(),
  heldBatchId: z.number().nullable(),
})
export type MispRun = z.infer<typeof MispRun>

export const MispState = z.object({
  cursor: z.number().nullable(),
  running: z.boolean(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastStatus: z.enum(['ok', 'error']).nullable(),
  lastError: z.string().nullable(),
  lastReconcileAt: z.string().nullable(),
  nextDueAt: z.string().nullable(),
})
export type MispState = z.infer<typeof MispState>

export const SecretStatus = z.object({
  set: z.boolean(),
  masked: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
})

export const MispSettingsView = z.object({
  settings: MispConfig.extend({ apiKey: SecretStatus }),
  state: MispState,
})
export type MispSettingsView = z.infer<typeof MispSettingsView>

export const MispTestResult = z.object({ ok: z.literal(true), version: z.string(), url: z.string(), ms: z.number() })
