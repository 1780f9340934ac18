/**
 * Bulk import parsing (DESIGN.md section 6, `imports`): an upload (CSV, TXT or pasted prose)
 * becomes staged rows for the preview; nothing is stored here. Pure: no I/O, no `node:` imports.
 *
 * Upload bytes (`decodeUpload`): UTF-8 only; a UTF-8 BOM is dropped. UTF-16/32 (a BOM, or NULs in
 * every other byte) is `not_utf8` ("save as UTF-8"); a known file signature (PNG, PDF, ZIP/xlsx,
 * OLE/xls ...), any NUL byte, or more than 2 control characters making up over 1% of the text is
 * `binary`; invalid UTF-8 (Latin-1, Windows-1252) is `not_utf8` naming the first bad line.
 *
 * CSV (papaparse; delimiter `,` `;` or TAB guessed; quotes, CRLF, BOM; blank, `#` lines skipped):
 * - Header: the first record is a header when no cell parses as an IOC and every cell looks like a
 *   name (starts with a letter; no `.` `@` `:`). Names match case-insensitively, `_` `-` `.` and
 *   spaces alike (`IOC_Value` = `ioc value`): IOC columns (HEADER_IOC), and ticket, comment,
 *   campaign, tags, ttl, expiry (HEADER_META). A column's name never forces the IOC type.
 * - No header, or no IOC column by name: IOC columns are those where most non-empty cells of the
 *   first 200 records parse as IOCs; a one-column file is its own IOC column.
 * - Every non-empty IOC cell is one row (two IOC columns, two rows with the same `line`); a record
 *   whose IOC cells are all empty is skipped and counted in `notes`. `line` is the 1-based line on
 *   which the record starts; `raw` is the cell.
 * - tags: a JSON array of strings, or split on `,` `;` `|`; trimmed, deduplicated ignoring case,
 *   at most 50 of at most 64 characters. ttl: `1w` `1m` `3m` `1y` `permanent` or the predecessor's
 *   `1 Week` `1 Month` `3 Months` `1 Year` `Permanent`. expiry: `YYYY-MM-DD` (end of that UTC day),
 *   an ISO date-time (UTC when it has no offset), or `permanent`/`never` (ttl `permanent`); when a
 *   record has both, expiry wins. Any other ttl, expiry or tags value makes the row an error naming
 *   the field: an unreadable lifetime never becomes permanent. An IOC error is reported first.
 *
 * TXT, one indicator per line; blank lines skipped; lines starting with `#` are comments, except
 * directives `# key: value` (keys ticket, campaign, comment, tags, ttl, expiry; case-insensitive):
 *   # ticket: INC-123          metadata for every indicator below, until set again
 *   # ttl: 3 Months            ttl and expiry share one lifetime: setting one replaces the other
 *   # ticket:                  an empty value clears the key
 *   1.2.3.4 # scanner          text after ` #` is the row's comment; with an active `# comment:`
 *                              directive the row gets both, `directive; inline`
 *   # Reference: https://...   an unknown key is a plain comment
 * A directive with a bad value (`# ttl: forever`) is recorded in `notes`, and every indicator below
 * it is an error row naming the field until the key is set again or cleared, so no row silently
 * falls back to a default lifetime.
 *
 * text: `extractIocs` over prose; one row per distinct indicator, at its first line; no metadata.
 *
 * `opts.type` names the type of every row; other values become `type_mismatch` error rows.
 */
// papaparse's `main` build requires Node's `stream` at load time, which the worker bundle (platform
// neutral, bin/build.ts) cannot resolve; its browser build is the same API without that require.
// @ts-expect-error: the browser build ships no types of its own; they are @types/papaparse's.
import PapaBrowser from 'papaparse/papaparse.min.js'
import type * as PapaApi from 'papaparse'
import { extractIocs } from './extract'
import { parseIoc, type IocType, type IocWarning } from './ioc'
import { TTL_PRESETS, type TtlPreset } from './ttl'

export type ImportFormat = 'csv' | 'txt' | 'text'
export interface StagedMeta {
  ticket?: string
  comment?: string
  campaign?: string
  tags?: string[]
  ttl?: TtlPreset
  /** ISO UTC; a record never holds both `ttl` and `expiresAt`. */
  expiresAt?: string
}
/** `field` is `value` for the indicator, else the metadata field; the rest as in IocError. */
export interface StagedError {
  code: string
  message: string
  field?: string
  part?: string
  suggestion?: string
}
export type StagedRow =
  | {
      line: number
      raw: string
      type: IocType
      value: string
      warnings: IocWarning[]
      meta: StagedMeta
    }
  | { line: number; raw: string; error: StagedError; meta: StagedMeta }
export interface ParsedImport {
  format: ImportFormat
  rows: StagedRow[]
  /** CSV only: the IOC column names, and metadata field -> column name. */
  columns?: { ioc: string[]; meta: Record<string, string> }
  notes: string[]
}
type MetaField = 'ticket' | 'comment' | 'campaign' | 'tags' | 'ttl' | 'expiry'
type MetaResult = { ok: true; meta: StagedMeta } | { ok: false; error: StagedError }
type ParseOpts = { type?: IocType }

const Papa: typeof PapaApi = PapaBrowser

// ---------------------------------------------------------------------------------------------
// Bytes -> text

const SIGNATURES: [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive (an .xlsx workbook? save it as CSV UTF-8)', [0x50, 0x4b, 0x03, 0x04]],
  ['an Office document (.xls/.doc; save it as CSV UTF-8)', [0xd0, 0xcf, 0x11, 0xe0]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['a 7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['a RAR archive', [0x52, 0x61, 0x72, 0x21]],
  ['an ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
]
const SAVE_UTF8 = 'save the file as UTF-8 and upload it again'

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v)

/** UTF-16 without a BOM: NULs fill most of one byte parity (ASCII text) and none of the other. */
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024) & ~1
  let even = 0
  let odd = 0
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 ? odd++ : even++
  return n >= 4 && Math.min(even, odd) === 0 && Math.max(even, odd) * 5 >= n * 2
}

/** Upload bytes to text: UTF-8 only, BOM dropped, binary files refused with what they look like. */
export function decodeUpload(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; code: 'binary' | 'not_utf8'; message: string } {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]) || looksUtf16(bytes)) {
    return { ok: false, code: 'not_utf8', message: `UTF-16 text is not supported: ${SAVE_UTF8}` }
  }
  const kind = SIGNATURES.find(([, sig]) => startsWith(bytes, sig))
  if (kind) return { ok: false, code: 'binary', message: `this is ${kind[0]}, not a text file` }
  if (bytes.includes(0)) {
    return { ok: false, code: 'binary', message: 'binary data (NUL bytes), not a text file' }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const loose = new TextDecoder('utf-8').decode(bytes)
    const line = lineCount(loose.slice(0, loose.indexOf('\ufffd')))
    const message = `not UTF-8 (line ${line}; Latin-1 or Windows-1252?): ${SAVE_UTF8}`
    return { ok: false, code: 'not_utf8', message }
  }
  // TextDecoder drops one leading BOM already; a second is not text anyone meant.
  if (text.startsWith('\ufeff')) text = text.slice(1)
  const controls = text.match(/[\x00-\x08\x0e-\x1f\x7f]/g)?.length ?? 0
  if (controls > 2 && controls * 100 > text.length) {
    return { ok: false, code: 'binary', message: `${controls} control characters: not a text file` }
  }
  return { ok: true, text }
}

function lineCount(text: string): number {
  return (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1
}

// ---------------------------------------------------------------------------------------------
// Metadata values

const TTL_WORDS: Record<string, TtlPreset> = {
  '1 week': '1w',
  '1 month': '1m',
  '3 months': '3m',
  '1 year': '1y',
  ...Object.fromEntries(TTL_PRESETS.map((p) => [p, p])),
}
const MAX_TAGS = 50
const MAX_TAG_LENGTH = 64

const metaError = (field: MetaField, code: string, message: string): MetaResult => ({
  ok: false,
  error: { code, message, field },
})

function parseTtl(value: string): MetaResult {
  const ttl = TTL_WORDS[value.toLowerCase().replace(/\s+/g, ' ')]
  if (ttl) return { ok: true, meta: { ttl } }
  const expected = `${TTL_PRESETS.join(', ')} or 1 Week, 1 Month, 3 Months, 1 Year, Permanent`
  return metaError('ttl', 'invalid_ttl', `unknown TTL '${value}' (expected ${expected})`)
}

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(+y, +m - 1, +d))
  return date.getUTCFullYear() === +y && date.getUTCMonth() === +m - 1 && date.getUTCDate() === +d
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i

function parseExpiry(value: string): MetaResult {
  if (/^(?:permanent|never)$/i.test(value)) return { ok: true, meta: { ttl: 'permanent' } }
  const day = DATE.exec(value)
  if (day && validDay(day[1], day[2], day[3])) {
    return { ok: true, meta: { expiresAt: `${value}T23:59:59.999Z` } }
  }
  const at = DATE_TIME.exec(value)
  if (at && validDay(at[1], at[2], at[3]) && +at[4] < 24 && +at[5] < 60 && +(at[6] ?? 0) < 60) {
    const zone = (at[8] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
    const ms = (at[7] ?? '').slice(0, 4)
    const iso = `${at[1]}-${at[2]}-${at[3]}T${at[4]}:${at[5]}:${at[6] ?? '00'}${ms}${zone}`
    const time = Date.parse(iso)
    if (!Number.isNaN(time)) return { ok: true, meta: { expiresAt: new Date(time).toISOString() } }
  }
  const message = `unreadable expiry '${value}' (expected YYYY-MM-DD, an ISO date-time, or never)`
  return metaError('expiry', 'invalid_expiry', message)
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function parseTags(value: string): MetaResult {
  const list: unknown = value.startsWith('[') ? jsonOrNull(value) : value.split(/[,;|]/)
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    return metaError('tags', 'invalid_tags', `tags '${value}' are not a JSON array of strings`)
  }
  const seen = new Set<string>()
  const tags: string[] = []
  for (const tag of list.map((t: string) => t.trim())) {
    if (tag === '' || seen.has(tag.toLowerCase())) continue
    if (tag.length > MAX_TAG_LENGTH) {
      const message = `tag '${tag.slice(0, 20)}...' is over ${MAX_TAG_LENGTH} characters`
      return metaError('tags', 'invalid_tags', message)
    }
    seen.add(tag.toLowerCase())
    tags.push(tag)
  }
  if (tags.length > MAX_TAGS) {
    return metaError('tags', 'invalid_tags', `${tags.length} tags (max ${MAX_TAGS})`)
  }
  return { ok: true, meta: tags.length ? { tags } : {} }
}

/** One metadata value (already trimmed, not empty) to its StagedMeta part, or why not. */
function parseMetaValue(field: MetaField, value: string): MetaResult {
  if (field === 'ttl') return parseTtl(value)
  if (field === 'expiry') return parseExpiry(value)
  if (field === 'tags') return parseTags(value)
  return { ok: true, meta: { [field]: value } }
}

/** One staged row: the IOC's own error first, then the record's metadata error, else the IOC. */
function makeRow(
  line: number,
  raw: string,
  value: string,
  meta: StagedMeta,
  opts: ParseOpts,
  metaErr?: StagedError,
): StagedRow {
  const parsed = parseIoc(value, opts)
  if (!parsed.ok) return { line, raw, error: { ...parsed.error, field: 'value' }, meta }
  if (metaErr) return { line, raw, error: metaErr, meta }
  return { line, raw, type: parsed.type, value: parsed.value, warnings: parsed.warnings, meta }
}

function duplicateNote(rows: StagedRow[], notes: string[]): void {
  const seen = new Set<string>()
  let dupes = 0
  for (const row of rows) {
    if (!('value' in row)) continue
    const key = `${row.type} ${row.value.toLowerCase()}`
    if (seen.has(key)) dupes++
    else seen.add(key)
  }
  if (dupes) notes.push(`${dupes} values appear more than once in the file`)
}

// ---------------------------------------------------------------------------------------------
// CSV

const HEADER_IOC = new Set([
  'ioc', 'iocs', 'indicator', 'indicators', 'indicator value', 'ioc value', 'value',
  'observable', 'observable value', 'ip', 'ips', 'ip address', 'ip addresses', 'ipv4', 'ipv6',
  'domain', 'domains', 'domain name', 'hostname', 'fqdn', 'url', 'urls', 'uri', 'email', 'e mail',
  'email address', 'md5', 'sha1', 'sha 1', 'sha256', 'sha 256', 'hash', 'hashes', 'file hash',
])
const META_SYNONYMS: [MetaField, string[]][] = [
  ['ticket', ['ticket', 'ticket id', 'ticket number', 'ticket no', 'ticket #', 'case', 'case id']],
  ['ticket', ['incident', 'incident id']],
  ['comment', ['comment', 'comments', 'description', 'notes', 'note']],
  ['campaign', ['campaign', 'campaign name']],
  ['tags', ['tags', 'tag', 'labels', 'label']],
  ['ttl', ['ttl']],
  ['expiry', ['expiry', 'expires', 'expires at', 'expiration', 'expiration date', 'expiry date']],
  ['expiry', ['valid until']],
]
const HEADER_META = new Map(META_SYNONYMS.flatMap(([f, names]) => names.map((n) => [n, f])))
const CONTENT_SAMPLE = 200

const headerName = (cell: string) => cell.trim().toLowerCase().replace(/[\s_.-]+/g, ' ').trim()

function isHeaderRow(cells: string[]): boolean {
  const names = cells.map((c) => c.trim()).filter((c) => c !== '')
  return (
    names.length > 0 &&
    names.every((c) => c.length <= 64 && /^\p{L}[\p{L}\p{N} _#()/-]*$/u.test(c)) &&
    names.every((c) => !parseIoc(c).ok)
  )
}

interface CsvRecord {
  line: number
  cells: string[]
}

/** Records with the line each starts on: the line of its end, less the line breaks inside it. */
function readCsv(text: string, notes: string[]): CsvRecord[] {
  const lineStarts = [0]
  for (const m of text.matchAll(/\r\n|\r|\n/g)) lineStarts.push(m.index + m[0].length)
  const lineAt = (pos: number) => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid] <= pos) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
  const records: CsvRecord[] = []
  const problems: string[] = []
  Papa.parse<string[]>(text, {
    delimitersToGuess: [',', ';', '\t'],
    skipEmptyLines: 'greedy',
    comments: '#',
    step: (result) => {
      let end = result.meta.cursor
      if (text[end - 1] === '\n') end--
      if (text[end - 1] === '\r') end--
      const inside = result.data.reduce((n, cell) => n + lineCount(cell) - 1, 0)
      const line = lineAt(Math.max(end - 1, 0)) - inside
      records.push({ line, cells: result.data })
      for (const e of result.errors) {
        if (e.type !== 'Delimiter') problems.push(`line ${line}: ${e.message}`)
      }
    },
  })
  if (problems.length) {
    notes.push(...problems.slice(0, 5))
    if (problems.length > 5) notes.push(`${problems.length - 5} more CSV problems`)
  }
  return records
}

/** Columns where most non-empty cells of the first records parse as IOCs. */
function iocColumnsByContent(records: CsvRecord[], skip: Set<number>): number[] {
  const width = Math.max(0, ...records.map((r) => r.cells.length))
  const columns: number[] = []
  for (let col = 0; col < width; col++) {
    if (skip.has(col)) continue
    let filled = 0
    let iocs = 0
    for (const { cells } of records.slice(0, CONTENT_SAMPLE)) {
      const cell = (cells[col] ?? '').trim()
      if (cell === '') continue
      filled++
      if (parseIoc(cell).ok) iocs++
    }
    if (iocs > 0 && iocs * 2 > filled) columns.push(col)
  }
  if (columns.length === 0 && width === 1 && !skip.has(0)) columns.push(0)
  return columns
}

interface CsvLayout {
  header: string[] | null
  ioc: number[]
  meta: [MetaField, number][]
}

function csvLayout(records: CsvRecord[]): CsvLayout {
  const first = records[0]?.cells ?? []
  const header = records.length > 0 && isHeaderRow(first) ? first.map((c) => c.trim()) : null
  const names = header?.map(headerName) ?? []
  const meta: [MetaField, number][] = []
  const ioc: number[] = []
  for (const [col, name] of names.entries()) {
    const field = HEADER_META.get(name)
    if (HEADER_IOC.has(name)) ioc.push(col)
    else if (field && !meta.some(([taken]) => taken === field)) meta.push([field, col])
  }
  if (ioc.length === 0) {
    const data = header ? records.slice(1) : records
    ioc.push(...iocColumnsByContent(data, new Set(meta.map(([, col]) => col))))
  }
  return { header, ioc, meta }
}

function recordMeta(
  cells: string[],
  columns: [MetaField, number][],
): { meta: StagedMeta; error?: StagedError } {
  const meta: StagedMeta = {}
  let error: StagedError | undefined
  // expiry after ttl, so a record with both keeps the exact expiry.
  const ordered = [...columns].sort(([a], [b]) => Number(a === 'expiry') - Number(b === 'expiry'))
  for (const [field, col] of ordered) {
    const value = (cells[col] ?? '').trim()
    if (value === '') continue
    const result = parseMetaValue(field, value)
    if (!result.ok) {
      error ??= result.error
      continue
    }
    if (field === 'expiry') delete meta.ttl
    Object.assign(meta, result.meta)
  }
  return { meta, error }
}

function parseCsv(text: string, opts: ParseOpts): ParsedImport {
  const notes: string[] = []
  const records = readCsv(text, notes)
  const layout = csvLayout(records)
  const label = (col: number) => layout.header?.[col] || `column ${col + 1}`
  const columns = {
    ioc: layout.ioc.map(label),
    meta: Object.fromEntries(layout.meta.map(([field, col]) => [field, label(col)])),
  }
  const rows: StagedRow[] = []
  if (layout.ioc.length === 0) {
    if (records.length) notes.push('no column holds indicators: name it ioc, value, ip, domain ...')
    return { format: 'csv', rows, columns, notes }
  }
  if (!layout.header && (records[0]?.cells.length ?? 0) > layout.ioc.length) {
    notes.push('no header row: only the indicator columns are read')
  }
  let empty = 0
  for (const { line, cells } of layout.header ? records.slice(1) : records) {
    const cellsOf = layout.ioc.map((col) => cells[col] ?? '').filter((c) => c.trim() !== '')
    if (cellsOf.length === 0) {
      empty++
      continue
    }
    const { meta, error } = recordMeta(cells, layout.meta)
    for (const cell of cellsOf) rows.push(makeRow(line, cell, cell, { ...meta }, opts, error))
  }
  if (empty) notes.push(`${empty} records without an indicator skipped`)
  duplicateNote(rows, notes)
  return { format: 'csv', rows, columns, notes }
}

// ---------------------------------------------------------------------------------------------
// TXT

const DIRECTIVE = /^#+\s*(ticket|campaign|comment|tags|ttl|expiry)\s*:(.*)$/i

/** Index of a `#` that follows whitespace (`1.2.3.4 # scanner`), or -1. */
function inlineCommentAt(line: string): number {
  for (let at = line.indexOf('#'); at >= 0; at = line.indexOf('#', at + 1)) {
    if (at > 0 && /\s/.test(line[at - 1])) return at
  }
  return -1
}

function parseTxt(text: string, opts: ParseOpts): ParsedImport {
  const rows: StagedRow[] = []
  const notes: string[] = []
  let meta: StagedMeta = {}
  const bad = new Map<MetaField, StagedError>()
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '') return
    if (trimmed.startsWith('#')) {
      const directive = DIRECTIVE.exec(trimmed)
      if (!directive) return
      const field = directive[1].toLowerCase() as MetaField
      const value = directive[2].trim()
      // ttl and expiry are one lifetime: either directive replaces (or clears) both.
      const lifetime = field === 'ttl' || field === 'expiry'
      const fields: MetaField[] = lifetime ? ['ttl', 'expiry'] : [field]
      meta = { ...meta }
      for (const f of fields) bad.delete(f)
      if (lifetime) {
        delete meta.ttl
        delete meta.expiresAt
      } else delete meta[field as 'ticket' | 'campaign' | 'comment' | 'tags']
      if (value === '') return
      const result = parseMetaValue(field, value)
      if (result.ok) Object.assign(meta, result.meta)
      else {
        const message = `the '# ${field}:' directive on line ${line}: ${result.error.message}`
        bad.set(field, { ...result.error, message })
        notes.push(`${message}; the indicators below it are errors until it is fixed or cleared`)
      }
      return
    }
    const hash = inlineCommentAt(trimmed)
    const value = hash < 0 ? trimmed : trimmed.slice(0, hash)
    const inline = hash < 0 ? '' : trimmed.slice(hash + 1).trim()
    const rowMeta: StagedMeta = { ...meta }
    if (meta.tags) rowMeta.tags = [...meta.tags]
    if (inline) rowMeta.comment = meta.comment ? `${meta.comment}; ${inline}` : inline
    const metaErr = bad.size ? bad.values().next().value : undefined
    rows.push(makeRow(line, raw, value, rowMeta, opts, metaErr))
  })
  duplicateNote(rows, notes)
  return { format: 'txt', rows, notes }
}

// ---------------------------------------------------------------------------------------------
// Prose

function parseText(text: string, opts: ParseOpts): ParsedImport {
  const { items, duplicates } = extractIocs(text)
  const notes = duplicates ? [`${duplicates} repeated mentions merged`] : []
  const rows = items.map((item): StagedRow => {
    if (opts.type && item.type !== opts.type) {
      return makeRow(item.line, item.raw, item.raw, {}, opts)
    }
    const { line, raw, type, value, warnings } = item
    return { line, raw, type, value, warnings, meta: {} }
  })
  return { format: 'text', rows, notes }
}

/** Staged rows for the preview; see the grammar at the top of this file. */
export function parseImport(
  text: string,
  format: ImportFormat,
  opts: ParseOpts = {},
): ParsedImport {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text
  if (format === 'csv') return parseCsv(body, opts)
  if (format === 'txt') return parseTxt(body, opts)
  return parseText(body, opts)
}

// ---------------------------------------------------------------------------------------------
// Format detection

const SNIFF_LINES = 200

/** Non-blank, non-`#` lines of the first part of the text, inline comments cut. */
function contentLines(text: string): string[] {
  const out: string[] = []
  for (const raw of text.slice(0, 64 * 1024).split(/\r\n|\r|\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const hash = inlineCommentAt(line)
    out.push(hash < 0 ? line : line.slice(0, hash).trim())
    if (out.length >= SNIFF_LINES) break
  }
  return out
}

function looksLikeCsv(text: string): boolean {
  const sample = Papa.parse<string[]>(text.slice(0, 64 * 1024), {
    delimitersToGuess: [',', ';', '\t'],
    skipEmptyLines: 'greedy',
    comments: '#',
    preview: SNIFF_LINES,
  })
  if (sample.errors.some((e) => e.code === 'UndetectableDelimiter')) return false
  const widths = new Set(sample.data.map((r) => r.length))
  if (sample.data.length < 2 || widths.size !== 1 || sample.data[0].length < 2) return false
  const records = sample.data.map((cells, i) => ({ line: i + 1, cells }))
  return csvLayout(records).ioc.length > 0
}

/** `.csv`/`.tsv` -> csv; `.txt` -> txt unless it reads as prose; else sniffed from the content. */
export function detectFormat(text: string, filename?: string): ImportFormat {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1]
  if (ext === 'csv' || ext === 'tsv') return 'csv'
  const lines = contentLines(body)
  const single = lines.filter((l) => !/\s/.test(l)).length
  const oneTokenPerLine = lines.length > 0 && single * 5 >= lines.length * 4
  if (ext === 'txt') return single * 2 >= lines.length ? 'txt' : 'text'
  if (looksLikeCsv(body)) return 'csv'
  if (oneTokenPerLine && lines.length > 1 && HEADER_IOC.has(headerName(lines[0]))) return 'csv'
  // A list is a list of indicators: when a tenth of the lines are something else (AsciiDoc or
  // Markdown table rows such as `|hash|Component|date|`, headings), it is a document to extract
  // from, so no indicator in it is lost to an `invalid` row.
  const indicators = lines.filter((l) => !/\s/.test(l) && parseIoc(l).ok).length
  return oneTokenPerLine && indicators * 10 >= lines.length * 9 ? 'txt' : 'text'
}
