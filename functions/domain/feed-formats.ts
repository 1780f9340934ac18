/**
 * Byte-exact feed bodies, pure (see shared specs/feeds.md). Every builder returns the text lines
 * (already newline-terminated where the format wants it) plus how many IOCs it dropped and why,
 * so the route can slice with `n`/`s`, report `X-Moat-Dropped`, and never emit an invalid line.
 */
import { csvCell } from './csv'
import { ipRange } from './ip-range'

export interface FeedRow {
  id: number
  type: string
  value: string
  confidence: number
  severity: string
  comment: string
  ticket: string
}

export interface FeedBody {
  /** Entry lines, each with its terminator. */
  lines: string[]
  /** Text before the entries (comments, headers); never sliced. */
  head?: string
  /** Body when there are no entries; default one comment line. */
  empty?: string
  dropped: Record<string, number>
}

export const EMPTY_LINE = '# moat: no active entries\n'

const drop = (d: Record<string, number>, reason: string) => {
  d[reason] = (d[reason] ?? 0) + 1
}

export function plainList(values: string[]): FeedBody {
  return { lines: values.map((v) => v + '\n'), dropped: {} }
}

/** PAN-OS IP EDL: canonical IPv4/IPv6 addresses and CIDRs, one per line. */
export const paIpList = plainList

/** PAN-OS domain EDL; with `wild`, `*.d` before `d` (a wildcard does not match the bare domain). */
export function paDomainList(values: string[], wild: boolean): FeedBody {
  const lines: string[] = []
  const dropped: Record<string, number> = {}
  for (const value of values) {
    if (value.length > 253) {
      drop(dropped, 'too_long')
      continue
    }
    if (wild) lines.push(`*.${value}\n`)
    lines.push(value + '\n')
  }
  return { lines, dropped }
}

const PAN_MAX = 255

/**
 * One PAN-OS URL entry for a canonical URL, or the reason it is dropped. Scheme and port are
 * stripped, a host-only URL gets a trailing `/` (else `evil.example` also matches
 * `evil.example.other.tld`), and anything PAN-OS could misread is dropped (CVE-2021-3048).
 */
export function panUrlEntry(url: string): { entry: string } | { drop: string } {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)(.*)$/i.exec(url)
  if (!m) return { drop: 'invalid' }
  let [, authority, rest] = m
  if (authority.includes('@')) authority = authority.slice(authority.lastIndexOf('@') + 1)
  if (authority.startsWith('[')) return { drop: 'ipv6_host' }
  const host = authority.replace(/:\d*$/, '').toLowerCase()
  if (!host || !host.includes('.')) return { drop: 'bare_host' }
  if (rest === '' || rest.startsWith('?')) rest = '/' + rest
  const entry = host + rest
  if (entry.length > PAN_MAX) return { drop: 'too_long' }
  // Printable ASCII without spaces only.
  if (!/^[\x21-\x7e]+$/.test(entry)) return { drop: 'bad_characters' }
  // `*` and `^` are wildcards only when alone in a token (tokens split by . / ? & = ; +).
  for (const token of entry.split(/[./?&=;+]/)) {
    if (/[*^]/.test(token) && token.length > 1) return { drop: 'invalid_wildcard' }
  }
  return { entry }
}

export function paUrlList(values: string[]): FeedBody {
  const lines: string[] = []
  const dropped: Record<string, number> = {}
  const seen = new Set<string>()
  for (const value of values) {
    const e = panUrlEntry(value)
    if ('drop' in e) drop(dropped, e.drop)
    // Two canonical URLs can differ only by scheme or port; PAN-OS needs the entry once.
    else if (!seen.has(e.entry)) {
      seen.add(e.entry)
      lines.push(e.entry + '\n')
    }
  }
  return { lines, dropped }
}

/** Check Point Network Feed: IPs, CIDRs and domains as a flat list. */
export const cpNetworkList = plainList

export function confidenceLabel(confidence: number): 'low' | 'medium' | 'high' | 'critical' {
  if (confidence >= 90) return 'critical'
  if (confidence >= 70) return 'high'
  if (confidence >= 40) return 'medium'
  return 'low'
}

const CP_TYPE: Record<string, string> = {
  domain: 'Domain',
  url: 'URL',
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
  email: 'Mail-from',
}

/** `a.b.c.d-e.f.g.h` for an IPv4 network; null for IPv6 (not documented for IoC feeds). */
function ipv4Range(cidr: string): string | null {
  const r = ipRange(cidr)
  if (!r || r.version !== 4) return null
  const quad = (hex: string) => [24, 26, 28, 30].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.')
  return `${quad(r.start)}-${quad(r.end)}`
}

/** The COMMENT column: always quoted, one line, no formula start. */
export function cpComment(r: FeedRow): string {
  const text = [r.comment.replace(/[\r\n]+/g, ' ').trim(), r.ticket].filter(Boolean).join(', ')
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

/**
 * Check Point IoC feed (sk132193): `#!` description, the header, then
 * `moat-<id>,<value>,<TYPE>,<confidence>,<severity>,<AB|AV>,"<comment>"`, 7 fields per record.
 */
export function cpCsv(rows: FeedRow[], description: string, opts: { ipv6?: boolean } = {}): FeedBody {
  const head = `#! DESCRIPTION = ${description.replace(/[\r\n]+/g, ' ')}\n# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT\n`
  const lines: string[] = []
  const dropped: Record<string, number> = {}
  for (const r of rows) {
    let value = r.value
    let type = CP_TYPE[r.type]
    if (r.type === 'ip') {
      const v6 = r.value.includes(':')
      if (v6 && !opts.ipv6) {
        drop(dropped, 'ipv6')
        continue
      }
      if (r.value.includes('/')) {
        const range = v6 ? null : ipv4Range(r.value)
        if (!range) {
          drop(dropped, 'ipv6_range')
          continue
        }
        value = range
        type = 'IP Range'
      } else type = 'IP'
    } else if (r.type === 'url') {
      const e = panUrlEntry(r.value)
      if ('drop' in e) {
        drop(dropped, e.drop)
        continue
      }
      value = e.entry
    }
    const product = r.type === 'md5' || r.type === 'sha1' || r.type === 'sha256' ? 'AV' : 'AB'
    const severity = ['low', 'medium', 'high', 'critical'].includes(r.severity) ? r.severity : 'high'
    lines.push([`moat-${r.id}`, csvCell(value), type, confidenceLabel(r.confidence), severity, product, cpComment(r)].join(',') + '\n')
  }
  return { head, lines, empty: head, dropped }
}

/** Cisco ESA: comma-joined addresses, no trailing newline; empty body when empty. */
export function esaList(values: string[]): { body: string } {
  return { body: values.join(',') }
}

/** Trellix ePO: distinct ticket ids of active hash IOCs, sorted, LF-terminated. */
export function epoFilesList(tickets: string[]): string {
  return [...new Set(tickets.filter(Boolean))].sort().map((t) => t + '\n').join('')
}

/** Trellix ePO CSV for one ticket: CRLF, one row per hash in its column. */
export function epoTicketCsv(rows: FeedRow[]): string {
  let out = 'All File Names,MD5 Hash,SHA-1 Hash,SHA-256 Hash\r\n'
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    const cols = [r.ticket, r.type === 'md5' ? r.value : '', r.type === 'sha1' ? r.value : '', r.type === 'sha256' ? r.value : '']
    out += cols.map((c) => csvCell(c)).join(',') + '\r\n'
  }
  return out
}

/** Applies `s` (offset) and `n` (count) to entry lines; counts lines, not IOCs. */
export function sliceLines(lines: string[], s?: number, n?: number): string[] {
  const start = s ?? 0
  return n === undefined ? lines.slice(start) : lines.slice(start, start + n)
}
