/**
 * Legacy ThreatGate v1 text files (`data/Main/<type>.txt`, migration.md section 6):
 * `<value> # Date:<ISO> | User:<name> | Ref:<ticket> | Comment:<text> | EXP:<YYYY-MM-DD|NEVER>`,
 * fields in any order, any of them missing, or no `#` part at all. Never read with the bulk TXT
 * parser (it mis-reads this grammar). Pure.
 */
import { mapLegacyIocs, type LegacyIoc, type ReportEntry } from './legacy-iocs'
import { naiveToIso, parseNaive } from './legacy-time'
import { mapLegacyYara, type LegacyYaraRow, type YaraFolder } from './legacy-yara'
import { emptyPlan, type MigrationPlan } from './migration-plan'

/** File name (lowercase) -> legacy type. */
export const THREATGATE_FILES: Record<string, string> = {
  'ip.txt': 'IP',
  'domain.txt': 'Domain',
  'hash.txt': 'Hash',
  'email.txt': 'Email',
  'url.txt': 'URL',
}

export interface ThreatgateLine {
  value: string
  fields: Record<string, string>
}

const FIELD_START = /#\s*(?:date|user|ref|comment|exp)\s*:/i

/** Where the metadata starts: a `#` after whitespace, or a `#` directly followed by a known `Key:`. */
function metaStart(line: string): number {
  for (let at = line.indexOf('#'); at >= 0; at = line.indexOf('#', at + 1)) {
    if (at > 0 && /\s/.test(line[at - 1])) return at
    if (FIELD_START.test(line.slice(at, at + 16))) return at
  }
  return -1
}

/** One line: the value, and `key` (lowercased) -> text up to the next `|`. Null for blank lines. */
export function parseThreatgateLine(line: string): ThreatgateLine | null {
  const text = line.replace(/^\uFEFF/, '').trim()
  if (!text || text.startsWith('#')) return null
  const at = metaStart(text)
  const value = (at < 0 ? text : text.slice(0, at)).trim()
  const fields: Record<string, string> = {}
  if (at > 0) {
    for (const part of text.slice(at + 1).split('|')) {
      const m = /^\s*([A-Za-z]+)\s*:(.*)$/s.exec(part)
      if (m) fields[m[1].toLowerCase()] = m[2].trim()
    }
  }
  return { value, fields }
}

/** `Date:` as ISO UTC: a naive wall time in the source zone; a trailing `Z` or offset is dropped (section 6). */
function legacyDate(text: string | undefined, zone: string): string | null {
  if (!text) return null
  const naive = text.trim().replace(/(?:Z|[+-]\d{2}:?\d{2})$/i, '')
  return parseNaive(naive) ? naiveToIso(naive, zone) : null
}

/** Parses one type file into legacy IOC rows; `firstLine` numbers rows across files. */
export function mapThreatgateFile(
  fileName: string,
  text: string,
  firstLine: number,
  zone: string,
): { items: LegacyIoc[]; report: ReportEntry[] } {
  const legacyType = THREATGATE_FILES[fileName.toLowerCase()]
  const items: LegacyIoc[] = []
  const report: ReportEntry[] = []
  if (!legacyType) return { items, report }
  text.split(/\r?\n/).forEach((raw, i) => {
    const parsed = parseThreatgateLine(raw)
    if (!parsed || !parsed.value) return
    const where = `${fileName}:${i + 1}`
    const f = parsed.fields
    const note = (reason: string, message: string) => report.push({ kind: 'warning', where, reason, message })
    const createdAt = legacyDate(f.date, zone)
    if (f.date && !createdAt) note('bad_date', `Date:${f.date} is not a date; the import time is used`)
    let expiresAt: string | null = null
    const exp = (f.exp ?? '').trim()
    if (exp && exp.toUpperCase() !== 'NEVER') {
      expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(exp) ? naiveToIso(exp, zone) : null
      if (!expiresAt) note('bad_expiry', `EXP:${exp} is not a YYYY-MM-DD date; imported as permanent`)
    }
    items.push({
      line: firstLine + i,
      where,
      legacyType,
      value: parsed.value,
      analyst: (f.user ?? '').trim().toLowerCase() || 'unknown',
      ticket: f.ref || null,
      comment: f.comment || null,
      createdAt,
      expiresAt,
      source: 'threatgate',
    })
  })
  return { items, report }
}

export interface ThreatgateYaraMeta {
  filename: string
  analyst: string
  ticket: string | null
  comment: string
  uploadedAt: string | null
}

/** `yara.txt`: `<file>.yar # Date:… | User:… | Ref:… | Comment:…`; only `.yar` names count. */
export function parseThreatgateYaraList(text: string, zone: string): ThreatgateYaraMeta[] {
  const out: ThreatgateYaraMeta[] = []
  for (const raw of text.split(/\r?\n/)) {
    const parsed = parseThreatgateLine(raw)
    if (!parsed || !/\.yar$/i.test(parsed.value)) continue
    const f = parsed.fields
    out.push({
      filename: parsed.value,
      analyst: (f.user ?? '').trim().toLowerCase() || 'upload',
      ticket: f.ref || null,
      comment: f.comment || 'Uploaded YARA Rule',
      uploadedAt: legacyDate(f.date, zone),
    })
  }
  return out
}

export interface ThreatgateInput {
  /** The type files of `Main/` (`ip.txt` ...), in any order. */
  files: { name: string; text: string }[]
  /** `Main/yara.txt`, if present. */
  yaraList?: string | null
  yara?: { approved: YaraFolder; pending: YaraFolder }
  zone: string
  nowIso: string
  label: string
}

/** A ThreatGate v1 `Main/` folder -> a migration plan (IOCs, YARA rules; v1 had no users or history). */
export function planThreatgate(input: ThreatgateInput): MigrationPlan {
  const plan = emptyPlan('threatgate', input.label)
  const order = Object.keys(THREATGATE_FILES)
  const files = input.files
    .filter((f) => THREATGATE_FILES[f.name.toLowerCase()])
    .sort((a, b) => order.indexOf(a.name.toLowerCase()) - order.indexOf(b.name.toLowerCase()))
  const items: LegacyIoc[] = []
  let next = 1
  for (const f of files) {
    const parsed = mapThreatgateFile(f.name, f.text, next, input.zone)
    next += f.text.split(/\r?\n/).length
    items.push(...parsed.items)
    plan.report.push(...parsed.report)
  }
  const mapped = mapLegacyIocs(items, input.nowIso)
  plan.rows = mapped.rows
  plan.report.push(...mapped.report)
  if (input.yara) {
    const rows: LegacyYaraRow[] = parseThreatgateYaraList(input.yaraList ?? '', input.zone).map((m) => ({
      ...m,
      campaign: null,
      qualityPoints: null,
      status: 'approved',
    }))
    const yara = mapLegacyYara(rows, input.yara.approved, input.yara.pending)
    plan.yara = yara.rules
    plan.report.push(...yara.report)
  }
  return plan
}
