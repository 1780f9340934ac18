/**
 * IOC rows of the systems Moat migrates from (ZIoCHub 2.x, ThreatGate v1) -> staged import rows,
 * by migration.md section 3: legacy types to Moat types, values through Moat's own rules (refang,
 * canonicalise), SHA-512 skipped, rows equal after canonicalisation merged, metadata brought
 * within Moat's limits. Every skipped, merged or changed row gets a report entry. Pure.
 */
import type { StagedError, StagedMeta, StagedRow } from './import-parse'
import { cleanIoc, parseIoc, refang, type IocType } from './ioc'

export interface LegacyIoc {
  /** Source row id (ZIoCHub) or running line number (ThreatGate): the staged row's `line`. */
  line: number
  /** Where it came from, for the report (`iocs#12`, `ip.txt:3`). */
  where: string
  /** The legacy type (`IP`, `Domain`, `URL`, `Email`, `Hash`; any case). */
  legacyType: string
  value: string
  /** Lowercased username credited with the IOC. */
  analyst: string
  ticket?: string | null
  comment?: string | null
  campaign?: string | null
  /** A JSON array as text (ZIoCHub) or an array. */
  tags?: unknown
  /** ISO UTC, or null when unknown (the commit time is used). */
  createdAt: string | null
  /** ISO UTC, or null = permanent. */
  expiresAt: string | null
  /** Moat `source` column value (`ziochub:single`, `threatgate`). */
  source: string
  /** Who submitted it, when that differs from the credited analyst (kept in history). */
  submitter?: string | null
}

export type ReportKind = 'skipped' | 'merged' | 'changed' | 'warning' | 'info'
export interface ReportEntry {
  kind: ReportKind
  where: string
  reason: string
  message: string
}

export interface MigrationRowExtra {
  analyst: string
  source: string
  submitter?: string
  /** Legacy rows merged into this one (their `where`). */
  merged?: string[]
}

export interface MappedRow {
  staged: StagedRow
  createdAt: string | null
  extra: MigrationRowExtra | null
}

const TYPES: Record<string, IocType> = { ip: 'ip', domain: 'domain', url: 'url', email: 'email' }
const HASH_BY_LENGTH: Record<number, IocType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' }
const TAG = /^[\p{L}\p{N}_.:\-/ ]+$/u
export const LIMITS = { ticket: 64, comment: 2000, campaign: 100, tag: 40, tags: 20 } as const

export type Canonical = { ok: true; type: IocType; value: string; retyped: boolean } | { ok: false; error: StagedError }

/** A legacy (type, value) as Moat's canonical (type, value), or why it cannot be one. */
export function canonicalLegacy(legacyType: string, raw: string): Canonical {
  const lt = legacyType.trim().toLowerCase()
  let type: IocType | undefined = TYPES[lt]
  if (lt === 'hash' || lt === 'md5' || lt === 'sha1' || lt === 'sha256') {
    const hex = cleanIoc(raw).toLowerCase()
    if (/^[0-9a-f]+$/.test(hex)) {
      type = HASH_BY_LENGTH[hex.length]
      if (!type) {
        const what = hex.length === 128 ? 'a SHA-512 hash (128 hex characters)' : `${hex.length} hex characters`
        return { ok: false, error: { code: 'unsupported_hash', field: 'value', message: `value: ${what}; Moat keeps MD5, SHA-1 and SHA-256` } }
      }
    }
  }
  const parsed = parseIoc(raw, type ? { type } : {})
  if (parsed.ok) return { ok: true, type: parsed.type, value: parsed.value, retyped: !type }
  if (parsed.error.code === 'type_mismatch' || !type) {
    // The legacy type was wrong (a URL stored as Domain): Moat's detection decides.
    const detected = parseIoc(raw)
    if (detected.ok) return { ok: true, type: detected.type, value: detected.value, retyped: true }
  }
  return { ok: false, error: { ...parsed.error, field: 'value' } }
}

/** Legacy tags (JSON text or array) within Moat's tag rules; what was dropped or fixed is reported. */
export function legacyTags(input: unknown, note: (reason: string, message: string) => void): string[] {
  let list: unknown = input
  if (typeof input === 'string') {
    const text = input.trim()
    if (text === '') return []
    try {
      list = JSON.parse(text)
    } catch {
      note('bad_tags', `tags: not a JSON array (${JSON.stringify(text.slice(0, 60))}); imported without tags`)
      return []
    }
  }
  if (list === null || list === undefined) return []
  if (!Array.isArray(list)) {
    note('bad_tags', 'tags: not a JSON array; imported without tags')
    return []
  }
  const out: string[] = []
  const seen = new Set<string>()
  for (const item of list) {
    if (typeof item !== 'string' && typeof item !== 'number') continue
    let tag = String(item).trim().replace(/\s+/g, ' ')
    if (tag && !TAG.test(tag)) {
      const fixed = tag.replace(/[^\p{L}\p{N}_.:\-/ ]+/gu, '-').replace(/^-+|-+$/g, '')
      note('tag_changed', `tag ${JSON.stringify(tag)} -> ${JSON.stringify(fixed)} (letters, digits, space and _ . : - / only)`)
      tag = fixed
    }
    if (tag.length > LIMITS.tag) {
      note('tag_changed', `tag ${JSON.stringify(tag)} cut to ${LIMITS.tag} characters`)
      tag = tag.slice(0, LIMITS.tag).trim()
    }
    if (!tag || seen.has(tag.toLowerCase())) continue
    seen.add(tag.toLowerCase())
    out.push(tag)
  }
  if (out.length > LIMITS.tags) {
    note('tags_dropped', `${out.length - LIMITS.tags} tags over the limit of ${LIMITS.tags} dropped: ${out.slice(LIMITS.tags).join(', ')}`)
    return out.slice(0, LIMITS.tags)
  }
  return out
}

function cut(text: string | null | undefined, max: number, field: string, note: (r: string, m: string) => void): string | undefined {
  const t = (text ?? '').trim()
  if (!t) return undefined
  if (t.length <= max) return t
  note(`${field}_truncated`, `${field}: ${t.length} characters cut to ${max}`)
  return `${t.slice(0, max - 1)}…`
}

interface Candidate {
  item: LegacyIoc
  type: IocType
  value: string
  tags: string[]
}

/**
 * Maps legacy IOC rows (in source order) to staged rows. Rows whose canonical (type, value) is
 * equal are merged into the first: earliest creation (and its analyst), latest expiry (permanent
 * wins), tags united, comments joined with ` / `. The rows merged away are staged too, with the
 * same value, so the preview shows them as duplicates of the kept line.
 */
export function mapLegacyIocs(items: LegacyIoc[], nowIso: string): { rows: MappedRow[]; report: ReportEntry[] } {
  const report: ReportEntry[] = []
  const rows: MappedRow[] = []
  const groups = new Map<string, Candidate[]>()
  const order: (Candidate | MappedRow)[] = []
  const whereOf = new Map(items.map((i) => [i.line, i.where]))
  for (const item of items) {
    const note = (reason: string, message: string, kind: ReportKind = 'changed') => report.push({ kind, where: item.where, reason, message })
    const canon = canonicalLegacy(item.legacyType, item.value)
    if (!canon.ok) {
      note(canon.error.code, `${JSON.stringify(item.value)} (${item.legacyType}): ${canon.error.message}`, 'skipped')
      order.push({ staged: { line: item.line, raw: item.value, error: canon.error, meta: {} }, createdAt: item.createdAt, extra: null })
      continue
    }
    if (canon.retyped) note('retyped', `${JSON.stringify(item.value)}: stored as ${item.legacyType}, imported as ${canon.type}`)
    if (canon.value !== item.value) {
      const cleaned = cleanIoc(item.value)
      const reason = refang(cleaned) !== cleaned ? 'refanged' : 'canonicalised'
      note(reason, `${JSON.stringify(item.value)} -> ${JSON.stringify(canon.value)}`)
    }
    const cand: Candidate = { item, type: canon.type, value: canon.value, tags: legacyTags(item.tags, (r, m) => note(r, m, 'warning')) }
    const key = `${canon.type}\u0000${canon.value}`
    const group = groups.get(key)
    if (group) group.push(cand)
    else {
      groups.set(key, [cand])
      order.push(cand)
    }
  }
  for (const entry of order) {
    if ('staged' in entry) {
      rows.push(entry)
      continue
    }
    const group = groups.get(`${entry.type}\u0000${entry.value}`)!
    rows.push(mergedRow(group, report))
    for (const other of group.slice(1)) {
      report.push({
        kind: 'merged',
        where: other.item.where,
        reason: 'merged_duplicate',
        message: `${JSON.stringify(other.item.value)} equals ${JSON.stringify(entry.item.value)} (${entry.item.where}) as ${JSON.stringify(entry.value)}: merged into it`,
      })
      rows.push({
        staged: { line: other.item.line, raw: other.item.value, type: other.type, value: other.value, warnings: [], meta: {} },
        createdAt: other.item.createdAt,
        extra: null,
      })
    }
  }
  for (const row of rows) {
    if ('error' in row.staged || !row.extra) continue
    const exp = row.staged.meta.expiresAt
    if (exp && exp <= nowIso) report.push({ kind: 'info', where: whereOf.get(row.staged.line) ?? `line ${row.staged.line}`, reason: 'expired', message: `${row.staged.value}: expired ${exp}; imported as expired (never served)` })
  }
  return { rows, report }
}

function mergedRow(group: Candidate[], report: ReportEntry[]): MappedRow {
  const base = group[0]
  const note = (reason: string, message: string) => report.push({ kind: 'changed', where: base.item.where, reason, message })
  const earliest = group.reduce((a, b) => (b.item.createdAt && (!a.item.createdAt || b.item.createdAt < a.item.createdAt) ? b : a))
  const permanent = group.some((c) => c.item.expiresAt === null)
  const expiresAt = permanent ? null : group.map((c) => c.item.expiresAt!).sort().at(-1)!
  const tags: string[] = []
  for (const c of group) for (const t of c.tags) if (!tags.some((x) => x.toLowerCase() === t.toLowerCase())) tags.push(t)
  const comments = [...new Set(group.map((c) => (c.item.comment ?? '').trim()).filter(Boolean))]
  const tickets = [...new Set(group.map((c) => (c.item.ticket ?? '').trim()).filter(Boolean))]
  if (tickets.length > 1) note('tickets_merged', `tickets ${tickets.join(', ')}: kept ${tickets[0]}, the others are in the comment`)
  const comment = [...comments, ...tickets.slice(1).map((t) => `ticket ${t}`)].join(' / ')
  const meta: StagedMeta = {}
  const ticket = cut(tickets[0], LIMITS.ticket, 'ticket', note)
  if (ticket) meta.ticket = ticket
  const text = cut(comment, LIMITS.comment, 'comment', note)
  if (text) meta.comment = text
  const campaign = cut(group.find((c) => c.item.campaign?.trim())?.item.campaign, LIMITS.campaign, 'campaign', note)
  if (campaign) meta.campaign = campaign
  let kept = tags
  if (tags.length > LIMITS.tags) {
    note('tags_dropped', `${tags.length - LIMITS.tags} tags over the limit of ${LIMITS.tags} dropped after merging`)
    kept = tags.slice(0, LIMITS.tags)
  }
  if (kept.length) meta.tags = kept
  if (expiresAt) meta.expiresAt = expiresAt
  else meta.ttl = 'permanent'
  const createdAt = earliest.item.createdAt ?? null
  const extra: MigrationRowExtra = { analyst: earliest.item.analyst, source: base.item.source }
  if (earliest.item.submitter && earliest.item.submitter !== earliest.item.analyst) extra.submitter = earliest.item.submitter
  if (group.length > 1) extra.merged = group.slice(1).map((c) => c.item.where)
  return {
    staged: { line: base.item.line, raw: base.item.value, type: base.type, value: base.value, warnings: [], meta },
    createdAt,
    extra,
  }
}
