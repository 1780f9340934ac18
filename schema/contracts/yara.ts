import { z } from 'zod'
import { UserRef } from './iocs'

/** A rule file may hold at most this many bytes (UTF-8). */
export const YARA_MAX_BYTES = 1024 * 1024
/** A test-scan sample may hold at most this many bytes; it is never stored. */
export const YARA_SAMPLE_MAX_BYTES = 16 * 1024 * 1024

export const YaraStatus = z.enum(['pending', 'approved', 'rejected'])
export type YaraStatus = z.infer<typeof YaraStatus>

const Tag = z
  .string()
  .trim()
  .min(1, 'is empty')
  .max(40, 'is longer than 40 characters')
  .regex(/^[\p{L}\p{N}_.:\-/ ]+$/u, 'may contain letters, digits, space and _ . : - / only')
const Content = z
  .string()
  .min(1, 'is required')
  .refine((s) => new TextEncoder().encode(s).length <= YARA_MAX_BYTES, { message: `is larger than ${YARA_MAX_BYTES} bytes` })
// Checked again (and sanitized) by the server: no path is ever built from it.
const Filename = z.string().trim().min(1, 'is required').max(200, 'is longer than 200 characters')

const Metadata = {
  ticket: z.string().trim().max(64, 'is longer than 64 characters').optional(),
  comment: z.string().max(2000, 'is longer than 2000 characters').optional(),
  campaignId: z.number().int().positive().nullable().optional(),
  tags: z.array(Tag).max(20, 'has more than 20 tags').optional(),
}

/** JSON upload (paste); multipart uploads send the same fields beside `file`. */
export const YaraUpload = z.object({ filename: Filename.optional(), content: Content, ...Metadata }).strict()
export type YaraUpload = z.infer<typeof YaraUpload>

export const YaraPatch = z
  .object({ filename: Filename.optional(), content: Content.optional(), ...Metadata })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'names nothing to change' })
export type YaraPatch = z.infer<typeof YaraPatch>

export const YaraValidate = z.object({ content: Content }).strict()

export const YaraReject = z.object({ reason: z.string().trim().min(3, 'must be at least 3 characters').max(500, 'is longer than 500 characters') }).strict()

export const YaraQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['pending', 'approved', 'rejected', 'all']).default('all'),
  tag: z.string().trim().max(40).optional(),
  campaign: z.coerce.number().int().positive().optional(),
  user: z.string().trim().max(128).optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.coerce.number().int().positive().optional(),
})
export type YaraQuery = z.infer<typeof YaraQuery>

const MetaKey = z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a YARA identifier')
export const YaraSettings = z
  .object({
    requiredMeta: z.array(MetaKey).max(20),
    namePattern: z
      .string()
      .max(200)
      .refine((p) => {
        try {
          new RegExp(p)
          return true
        } catch {
          return false
        }
      }, 'is not a valid regular expression'),
    minAtomBytes: z.number().int().min(1, 'must be at least 1').max(16, 'must be at most 16'),
    /** Analysts who may approve and reject rules of others (admins always may). */
    reviewers: z.array(z.number().int().positive()).max(200),
  })
  .partial()
  .strict()

export const YaraDiagnostic = z.object({
  severity: z.enum(['error', 'warning']),
  source: z.enum(['compiler', 'lint']),
  code: z.string(),
  message: z.string(),
  line: z.number().nullable(),
  column: z.number().nullable(),
  rule: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  detail: z.string().optional(),
})

export const QualityPart = z.object({ key: z.string(), points: z.number(), max: z.number() })

export const YaraRuleSummary = z.object({
  name: z.string(),
  line: z.number(),
  private: z.boolean(),
  global: z.boolean(),
  tags: z.array(z.string()),
  meta: z.record(z.string(), z.string()),
  strings: z.number(),
  quality: z.number(),
})

/** A library entry as the list shows it. */
export const YaraListItem = z.object({
  id: z.number(),
  filename: z.string(),
  status: YaraStatus,
  sha256: z.string(),
  size: z.number(),
  version: z.number(),
  ruleNames: z.array(z.string()),
  imports: z.array(z.string()),
  quality: z.number(),
  warningCount: z.number(),
  ticket: z.string(),
  comment: z.string(),
  campaign: z.object({ id: z.number(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  createdBy: UserRef,
  reviewedBy: UserRef.nullable(),
  reviewedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the signed-in user may do with it (the server checks again on every call). */
  can: z.object({ edit: z.boolean(), review: z.boolean(), delete: z.boolean() }),
})
export type YaraListItem = z.infer<typeof YaraListItem>

/** One file in full: its rules, score breakdown and findings. */
export const YaraFile = YaraListItem.extend({
  rules: z.array(YaraRuleSummary),
  qualityParts: z.array(QualityPart),
  warnings: z.array(YaraDiagnostic),
})
export type YaraFile = z.infer<typeof YaraFile>

export const YaraFileWithContent = z.object({ rule: YaraFile.extend({ content: z.string() }) })
export const YaraPage = z.object({
  items: z.array(YaraListItem),
  nextCursor: z.number().nullable(),
  counts: z.object({ pending: z.number(), approved: z.number(), rejected: z.number() }),
})

export const YaraCheck = z.object({
  ok: z.boolean(),
  errors: z.array(YaraDiagnostic),
  warnings: z.array(YaraDiagnostic),
  ruleNames: z.array(z.string()),
  quality: z.number(),
  qualityParts: z.array(QualityPart),
})

export const YaraHistoryEvent = z.object({
  id: z.number(),
  event: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actor: z.string(),
  at: z.string(),
  diff: z.unknown(),
})

export const YaraScanMatch = z.object({
  ruleId: z.number(),
  filename: z.string(),
  status: YaraStatus,
  rule: z.string(),
  tags: z.array(z.string()),
  strings: z.array(z.object({ id: z.string(), count: z.number(), offsets: z.array(z.number()) })),
})
export const YaraScanResult = z.object({
  sample: z.object({ name: z.string(), size: z.number(), sha256: z.string() }),
  files: z.number(),
  matches: z.array(YaraScanMatch),
  skipped: z.array(z.object({ id: z.number(), filename: z.string() })),
})
