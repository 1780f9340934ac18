/**
 * Custom feed bodies (pure): the selected IOC rows, through the feed policy (width and TLD guards,
 * IP collapsing, maximum entry count, `n`/`s` slicing, optional header comment), into one of the
 * built-in device formats or CSV, JSON or a STIX 2.1 bundle. Every rule of the built-in feeds
 * holds: entries PAN-OS or Check Point would misread are dropped and counted, an empty list is
 * never zero bytes (one comment line, or the format's own empty form).
 */
import type { CsvColumn, CustomFeedPolicy, CustomFormat } from '../../schema/contracts/custom-feeds'
import { csvRow } from './csv'
import { confidenceLabel, cpComment, cpCsv, EMPTY_LINE, paDomainList, paUrlList, plainList, sliceLines, type FeedBody, type FeedRow } from './feed-formats'
import type { IocType } from './ioc'
import { collapseIps, mergeNets, netToRange, parseNet, widerThan, type Net } from './ip-collapse'
import { identityObject, indicatorId, indicatorObject } from './stix'

export interface CustomRow extends FeedRow {
  tags: string[]
  campaign: string | null
  source: string
  analyst: string | null
  createdAt: string
  updatedAt: string
  expiresAt: string | null
  incarnation: number
}

export interface CustomFeedSpec {
  slug: string
  name: string
  format: CustomFormat
  columns: CsvColumn[]
  policy: CustomFeedPolicy
}

export interface RenderOptions {
  nowIso: string
  n?: number
  s?: number
  /** Check Point IoC feeds: IPv6 rows allowed (the global feed setting). */
  cpIpv6: boolean
  /** STIX: the Moat identity (id and first publication time). */
  identity?: { id: string; created: string }
}

export interface Warning {
  code: 'over_limit' | 'dropped' | 'empty' | 'collapsed'
  message: string
  params: Record<string, string | number>
}

export interface Rendered {
  text: string
  /** Entries before the maximum and slicing. */
  total: number
  /** Entries in this body. */
  returned: number
  dropped: Record<string, number>
  warnings: Warning[]
  contentType: string
  empty: boolean
}

const TEXT = 'text/plain; charset=utf-8'

const drop = (d: Record<string, number>, reason: string, n = 1) => {
  d[reason] = (d[reason] ?? 0) + n
}

/** A bare TLD (`com`) or a wildcard over one (`*.com`): refused, they would block a whole zone. */
export function isTldEntry(domain: string): boolean {
  const d = domain.replace(/^\*\./, '').replace(/\.$/, '')
  return d !== '' && !d.includes('.')
}

/** Rows that pass the guards of the policy; the rest are counted by reason. */
export function guardRows(rows: CustomRow[], policy: CustomFeedPolicy, dropped: Record<string, number>): CustomRow[] {
  return rows.filter((r) => {
    if (r.type === 'ip' && widerThan(r.value, policy.maxPrefixV4, policy.maxPrefixV6)) {
      drop(dropped, 'too_wide')
      return false
    }
    if (policy.refuseTld && r.type === 'domain' && isTldEntry(r.value)) {
      drop(dropped, 'tld')
      return false
    }
    return true
  })
}

/** IP values collapsed per the policy, then every other value in its order. */
function collapsedValues(rows: CustomRow[], policy: CustomFeedPolicy): { values: string[]; merged: number } {
  if (policy.collapse === 'none') return { values: rows.map((r) => r.value), merged: 0 }
  const ips = rows.filter((r) => r.type === 'ip').map((r) => r.value)
  const { entries } = collapseIps(ips, policy.collapse)
  return { values: [...entries, ...rows.filter((r) => r.type !== 'ip').map((r) => r.value)], merged: ips.length - entries.length }
}

const SEVERITIES = ['low', 'medium', 'high', 'critical']

/** Check Point IoC rows with IPs merged into `IP` / `IP Range` records (IPv4 ranges only). */
function cpCollapsed(rows: CustomRow[], description: string, cpIpv6: boolean): FeedBody & { merged: number } {
  const others = rows.filter((r) => r.type !== 'ip')
  const ips = rows
    .filter((r) => r.type === 'ip')
    .map((r) => ({ row: r, net: parseNet(r.value) }))
    .filter((x): x is { row: CustomRow; net: NonNullable<typeof x.net> } => x.net !== null)
  const base = cpCsv(others, description, { ipv6: cpIpv6 })
  const dropped = { ...base.dropped }
  const merged = mergeNets(ips.map((x) => x.net))
  // Both in (version, start) order: each merged range takes the next run of IOCs (linear, not n²).
  ips.sort((a, b) => a.net.version - b.net.version || (a.net.start < b.net.start ? -1 : a.net.start > b.net.start ? 1 : 0))
  const lines: string[] = []
  let at = 0
  for (const net of merged) {
    const members: CustomRow[] = []
    while (at < ips.length && ips[at].net.version === net.version && ips[at].net.start <= net.end) members.push(ips[at++].row)
    if (net.version === 6 && !cpIpv6) {
      drop(dropped, 'ipv6', members.length)
      continue
    }
    const single = net.start === net.end
    if (net.version === 6 && !single) {
      drop(dropped, 'ipv6_range', members.length)
      continue
    }
    const text = single ? netToRange(net) : rangeText(net)
    const confidence = Math.max(...members.map((m) => m.confidence))
    const severity = SEVERITIES[Math.max(...members.map((m) => Math.max(0, SEVERITIES.indexOf(m.severity))))]
    const comment = members.length === 1 ? cpComment(members[0]) : cpComment({ ...members[0], comment: `${members.length} indicators`, ticket: [...new Set(members.map((m) => m.ticket).filter(Boolean))].join(' ') })
    const name = members.length === 1 ? `moat-${members[0].id}` : `moat-net-${text}`
    lines.push([name, text, single ? 'IP' : 'IP Range', confidenceLabel(confidence), severity, 'AB', comment].join(',') + '\n')
  }
  return { head: base.head, empty: base.empty, lines: [...lines, ...base.lines], dropped, merged: ips.length - lines.length }
}

function rangeText(net: Net): string {
  const r = netToRange({ ...net })
  if (r.includes('-')) return r
  // A single CIDR block: Check Point IoC feeds have no CIDR type, write it as first-last.
  const p = parseNet(r)!
  const first = netToRange({ version: p.version, start: p.start, end: p.start })
  const last = netToRange({ version: p.version, start: p.end, end: p.end })
  return `${first}-${last}`
}

const CSV_VALUE: Record<CsvColumn, (r: CustomRow) => unknown> = {
  type: (r) => r.type,
  value: (r) => r.value,
  confidence: (r) => r.confidence,
  severity: (r) => r.severity,
  tags: (r) => r.tags.join(';'),
  campaign: (r) => r.campaign ?? '',
  ticket: (r) => r.ticket,
  comment: (r) => r.comment,
  source: (r) => r.source,
  analyst: (r) => r.analyst ?? '',
  created_at: (r) => r.createdAt,
  expires_at: (r) => r.expiresAt ?? '',
}

function jsonItem(r: CustomRow) {
  return JSON.stringify({
    type: r.type,
    value: r.value,
    confidence: r.confidence,
    severity: r.severity,
    tags: r.tags,
    campaign: r.campaign,
    ticket: r.ticket,
    comment: r.comment,
    source: r.source,
    analyst: r.analyst,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  })
}

async function stixItem(r: CustomRow, identity: string) {
  const id = await indicatorId(r.type as IocType, r.value, r.incarnation)
  return JSON.stringify(
    indicatorObject(
      { id, created: r.createdAt, modified: r.updatedAt, revoked: false },
      { type: r.type as IocType, value: r.value, comment: r.comment, tags: r.tags, confidence: r.confidence, ticket: r.ticket, validFrom: r.createdAt, validUntil: r.expiresAt },
      identity,
    ),
  )
}

/** Entry lines of the text formats (each newline-terminated) plus the never-sliced head. */
async function entryLines(rows: CustomRow[], spec: CustomFeedSpec, opts: RenderOptions, dropped: Record<string, number>): Promise<{ body: FeedBody; merged: number }> {
  const { policy } = spec
  switch (spec.format) {
    case 'plain':
    case 'pa-ip':
    case 'cp-network':
    case 'esa': {
      const { values, merged } = collapsedValues(rows, policy)
      return { body: plainList(values), merged }
    }
    case 'pa-domain':
      return { body: paDomainList(rows.map((r) => r.value), policy.wildcard), merged: 0 }
    case 'pa-url':
      return { body: paUrlList(rows.map((r) => r.value)), merged: 0 }
    case 'cp': {
      const description = `Moat custom feed: ${spec.name}`
      if (policy.collapse === 'range') {
        const { merged, ...body } = cpCollapsed(rows, description, opts.cpIpv6)
        return { body, merged }
      }
      return { body: cpCsv(rows, description, { ipv6: opts.cpIpv6 }), merged: 0 }
    }
    case 'csv':
      return { body: { head: csvRow(spec.columns), lines: rows.map((r) => csvRow(spec.columns.map((c) => CSV_VALUE[c](r)), true)), dropped: {} }, merged: 0 }
    case 'json':
      return { body: { lines: rows.map(jsonItem), dropped: {} }, merged: 0 }
    case 'stix': {
      const identity = opts.identity?.id ?? ''
      const lines: string[] = []
      for (const r of rows) lines.push(await stixItem(r, identity))
      return { body: { lines, dropped: {} }, merged: 0 }
    }
  }
  void dropped
}

/** The header comment (formats with `#` comments only). */
function headerComment(spec: CustomFeedSpec, opts: RenderOptions, served: number, total: number): string {
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ')
  let out = `# Moat custom feed: ${clean(spec.name)} (/feed/custom/${spec.slug})\n# generated ${opts.nowIso}; ${served} entries\n`
  if (spec.policy.maxEntries !== null && total > spec.policy.maxEntries) {
    out += `# WARNING: ${total} entries exceed the maximum of ${spec.policy.maxEntries}; only the first ${spec.policy.maxEntries} are served\n`
  }
  return out
}

export async function renderCustomFeed(source: CustomRow[], spec: CustomFeedSpec, opts: RenderOptions): Promise<Rendered> {
  const dropped: Record<string, number> = {}
  const rows = guardRows(source, spec.policy, dropped)
  const { body, merged } = await entryLines(rows, spec, opts, dropped)
  for (const [k, v] of Object.entries(body.dropped)) drop(dropped, k, v)
  const total = body.lines.length
  const max = spec.policy.maxEntries
  const capped = max !== null && total > max ? body.lines.slice(0, max) : body.lines
  const lines = sliceLines(capped, opts.s, opts.n)

  const warnings: Warning[] = []
  if (max !== null && total > max) {
    warnings.push({ code: 'over_limit', message: `${total} entries exceed the maximum of ${max}; only the first ${max} are served`, params: { total, max } })
  }
  for (const [reason, count] of Object.entries(dropped)) {
    warnings.push({ code: 'dropped', message: `${count} IOC(s) left out: ${reason}`, params: { reason, count } })
  }
  if (merged > 0) warnings.push({ code: 'collapsed', message: `${merged} IP entries merged by collapsing`, params: { merged } })
  if (total === 0) warnings.push({ code: 'empty', message: 'the feed has no entries', params: {} })

  const comment = spec.policy.headerComment ? headerComment(spec, opts, lines.length, total) : ''
  let text: string
  let contentType = TEXT
  switch (spec.format) {
    case 'esa':
      // Comma-joined, no trailing newline; an empty body is flagged by X-Moat-Empty (as /feed/esa/email).
      text = lines.map((l) => l.replace(/\n$/, '')).join(',')
      break
    case 'cp':
      // The column header must be the first `#` record: the comment goes after it.
      text = (body.head ?? '') + comment + lines.join('')
      break
    case 'csv':
      contentType = 'text/csv; charset=utf-8'
      text = (body.head ?? '') + lines.join('')
      break
    case 'json':
      contentType = 'application/json; charset=utf-8'
      text = `{"feed":${JSON.stringify(spec.name)},"slug":${JSON.stringify(spec.slug)},"total":${total},"count":${lines.length},"items":[${lines.join(',')}]}\n`
      break
    case 'stix': {
      contentType = 'application/stix+json;version=2.1'
      const idObj = opts.identity ? JSON.stringify(identityObject({ id: opts.identity.id, created: opts.identity.created, modified: opts.identity.created, revoked: false })) : ''
      // A stable bundle id per feed and content, so an unchanged feed keeps its ETag.
      const objects = [idObj, ...lines].filter(Boolean)
      text = `{"type":"bundle","id":"bundle--${await bundleUuid(spec.slug, objects)}","objects":[${objects.join(',')}]}\n`
      break
    }
    default:
      text = comment + (lines.length ? (body.head ?? '') + lines.join('') : EMPTY_LINE)
  }
  return { text, total, returned: lines.length, dropped, warnings, contentType, empty: total === 0 }
}

async function bundleUuid(slug: string, objects: string[]): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${slug}\n${objects.join('\n')}`)))
  const b = digest.slice(0, 16)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
