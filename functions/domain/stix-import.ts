/**
 * Reads indicators out of a STIX 2.1 (or 2.0) bundle (pure): what the staging import turns into
 * preview rows. Only simple comparison patterns are taken (`[type:prop = 'literal']`, joined by
 * OR); anything else is reported, never guessed.
 */
import type { IocType } from './ioc'

export interface StixIndicatorRow {
  /** Moat type the pattern names (the importer still runs the IOC rules over the value). */
  type: IocType
  value: string
  /** Where it came from, for the preview: the indicator id and its index in `objects`. */
  stixId: string
  index: number
  name?: string
  comment?: string
  tags: string[]
  confidence?: number
  validFrom?: string
  validUntil?: string
  ticket?: string
  revoked: boolean
}

export interface StixImportResult {
  rows: StixIndicatorRow[]
  /** One line per skipped indicator or unreadable pattern: `objects[3]: ...`. */
  notes: string[]
}

const PATHS: Record<string, IocType | 'hash'> = {
  'ipv4-addr:value': 'ip',
  'ipv6-addr:value': 'ip',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'email-addr:value': 'email',
  'email-message:from_ref.value': 'email',
  'email-message:sender_ref.value': 'email',
  'file:hashes': 'hash',
}

const HASHES: Record<string, IocType> = { md5: 'md5', 'sha-1': 'sha1', sha1: 'sha1', 'sha-256': 'sha256', sha256: 'sha256' }

// One comparison: object path, `=`, a quoted literal with \\ and \' escapes.
const COMPARISON = /^\s*([a-z0-9-]+:[a-z0-9_.-]+(?:\.'[^']+'|\.[A-Za-z0-9_-]+)?)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$/

function unescape(lit: string): string {
  return lit.replace(/\\(.)/g, '$1')
}

/** Splits `a OR b` at top level (outside quotes and brackets). */
function splitTop(s: string, word: 'OR' | 'AND'): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted) {
      if (ch === '\\') i++
      else if (ch === "'") quoted = false
      continue
    }
    if (ch === "'") quoted = true
    else if (ch === '[' || ch === '(') depth++
    else if (ch === ']' || ch === ')') depth--
    else if (depth === 0 && s.startsWith(` ${word} `, i)) {
      parts.push(s.slice(start, i))
      start = i + word.length + 2
      i = start - 1
    }
  }
  parts.push(s.slice(start))
  return parts.map((p) => p.trim())
}

function comparisonValue(expr: string): { type: IocType; value: string } | string {
  const m = COMPARISON.exec(expr)
  if (!m) return `unsupported comparison ${JSON.stringify(expr.slice(0, 120))}`
  const path = m[1]
  const value = unescape(m[2])
  const hash = /^file:hashes\.(?:'([^']+)'|([A-Za-z0-9_-]+))$/.exec(path)
  if (hash) {
    const algo = (hash[1] ?? hash[2]).toLowerCase()
    const type = HASHES[algo]
    return type ? { type, value } : `unsupported hash algorithm ${hash[1] ?? hash[2]}`
  }
  const type = PATHS[path]
  if (!type || type === 'hash') return `unsupported object path ${path}`
  return { type, value }
}

/** The values a pattern names, or why it cannot be read. */
export function patternValues(pattern: string): { type: IocType; value: string }[] | string {
  const out: { type: IocType; value: string }[] = []
  for (const observation of splitTop(pattern.trim(), 'OR')) {
    const inner = /^\[(.*)\]$/s.exec(observation)
    if (!inner) return `unsupported pattern ${JSON.stringify(pattern.slice(0, 120))}`
    for (const cmp of splitTop(inner[1], 'OR')) {
      if (splitTop(cmp, 'AND').length > 1) return 'AND patterns name one object by several properties; not an indicator value'
      const v = comparisonValue(cmp)
      if (typeof v === 'string') return v
      out.push(v)
    }
  }
  return out
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

/** Every indicator value in a bundle, with the metadata the staging preview shows. */
export function parseStixBundle(input: unknown): StixImportResult {
  const doc = typeof input === 'string' ? (JSON.parse(input) as unknown) : input
  if (!doc || typeof doc !== 'object') throw new Error('not a STIX bundle: expected a JSON object')
  const objects = (doc as { objects?: unknown }).objects
  if ((doc as { type?: unknown }).type !== 'bundle' || !Array.isArray(objects)) {
    throw new Error('not a STIX bundle: expected {"type":"bundle","objects":[...]}')
  }
  const rows: StixIndicatorRow[] = []
  const notes: string[] = []
  objects.forEach((o: Record<string, unknown>, index) => {
    if (!o || typeof o !== 'object' || o.type !== 'indicator') return
    const where = `objects[${index}]`
    if (o.pattern_type !== undefined && o.pattern_type !== 'stix') {
      notes.push(`${where}: pattern_type ${String(o.pattern_type)} skipped (only STIX patterns carry IOC values)`)
      return
    }
    if (typeof o.pattern !== 'string') {
      notes.push(`${where}: no pattern`)
      return
    }
    const values = patternValues(o.pattern)
    if (typeof values === 'string') {
      notes.push(`${where}: ${values}`)
      return
    }
    const refs = Array.isArray(o.external_references) ? (o.external_references as Record<string, unknown>[]) : []
    const ticket = refs.map((r) => (r.source_name === 'moat-ticket' ? str(r.external_id) : undefined)).find(Boolean)
    const labels = Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : []
    for (const v of values) {
      rows.push({
        ...v,
        stixId: String(o.id ?? ''),
        index,
        name: str(o.name),
        comment: str(o.description),
        tags: labels,
        confidence: typeof o.confidence === 'number' ? o.confidence : undefined,
        validFrom: str(o.valid_from),
        validUntil: str(o.valid_until),
        ticket,
        revoked: o.revoked === true,
      })
    }
  })
  return { rows, notes }
}
