import type { CustomFeedFilters } from '../../schema/contracts/custom-feeds'
import type { CustomRow } from '../domain/custom-feed'
import { SERVED_SQL } from './iocs'

// Raw D1 like repos/feeds.ts: a custom feed can hold a million rows. Every filter is a condition
// on an indexed column or an `ioc_tags` lookup by (tag, ioc_id), so SQLite can start from the most
// selective one (EXPLAIN QUERY PLAN at 1M rows: bench/custom-feeds.ts).

const DAY_MS = 86_400_000

/** Origins as `iocs.source` values: createIoc writes ui/api, the MISP pull misp, imports the rest. */
const ANALYST_SOURCES = ['ui', 'api']

interface Where {
  sql: string
  binds: unknown[]
}

/** The filters as one WHERE clause on `iocs` (served rule included); `skipExpiring` leaves that filter out. */
export function customWhere(f: CustomFeedFilters, nowIso: string, skipExpiring = false): Where {
  const parts: string[] = []
  const binds: unknown[] = []
  const marks = (values: unknown[]) => {
    binds.push(...values)
    return values.map(() => '?').join(',')
  }
  parts.push(`iocs.type IN (${marks(f.types)})`)
  parts.push(SERVED_SQL)
  binds.push(nowIso)
  if (f.minConfidence !== null) {
    parts.push('iocs.confidence >= ?')
    binds.push(f.minConfidence)
  }
  if (f.sources.length && f.sources.length < 3) {
    const any: string[] = []
    if (f.sources.includes('analyst')) any.push(`iocs.source IN (${marks(ANALYST_SOURCES)})`)
    if (f.sources.includes('misp')) any.push(`iocs.source = 'misp'`)
    if (f.sources.includes('import')) any.push(`iocs.source NOT IN (${marks([...ANALYST_SOURCES, 'misp'])})`)
    parts.push(`(${any.join(' OR ')})`)
  }
  if (f.analysts.length) parts.push(`iocs.created_by IN (${marks(f.analysts)})`)
  if (f.campaigns.length) parts.push(`iocs.campaign_id IN (${marks(f.campaigns)})`)
  if (f.createdWithinDays !== null) {
    parts.push('iocs.created_at >= ?')
    binds.push(new Date(Date.parse(nowIso) - f.createdWithinDays * DAY_MS).toISOString())
  }
  if (f.expiringWithinDays !== null && !skipExpiring) {
    parts.push('iocs.expires_at IS NOT NULL AND iocs.expires_at <= ?')
    binds.push(new Date(Date.parse(nowIso) + f.expiringWithinDays * DAY_MS).toISOString())
  }
  const { any, all, none } = f.tags
  if (any.length) parts.push(`iocs.id IN (SELECT ioc_id FROM ioc_tags WHERE tag IN (${marks(any)}))`)
  if (all.length) {
    const distinct = [...new Set(all)]
    parts.push(`iocs.id IN (SELECT ioc_id FROM ioc_tags WHERE tag IN (${marks(distinct)}) GROUP BY ioc_id HAVING count(*) = ?)`)
    binds.push(distinct.length)
  }
  if (none.length) parts.push(`NOT EXISTS (SELECT 1 FROM ioc_tags nt WHERE nt.ioc_id = iocs.id AND nt.tag IN (${marks(none)}))`)
  return { sql: parts.join(' AND '), binds }
}

export const CUSTOM_SELECT = `SELECT iocs.id, iocs.type, iocs.value, iocs.confidence, iocs.severity, iocs.comment, iocs.ticket, iocs.tags,
  campaigns.name, iocs.source, users.username, iocs.created_at, iocs.updated_at, iocs.expires_at, iocs.incarnation
  FROM iocs LEFT JOIN campaigns ON campaigns.id = iocs.campaign_id LEFT JOIN users ON users.id = iocs.created_by`

/**
 * What a format reads: list formats only type and value (a million rows stay small in the
 * isolate), Check Point IoC rows their seven columns, CSV, JSON and STIX everything.
 */
export type ColumnSet = 'list' | 'cp' | 'full'

const SELECTS: Record<ColumnSet, string> = {
  list: 'SELECT iocs.type, iocs.value FROM iocs',
  cp: 'SELECT iocs.id, iocs.type, iocs.value, iocs.confidence, iocs.severity, iocs.comment, iocs.ticket FROM iocs',
  full: CUSTOM_SELECT,
}

type Raw = [number, string, string, number, string, string, string, string, string | null, string, string | null, string, string, string | null, number]

function toRow(set: ColumnSet, r: unknown[]): CustomRow {
  if (set === 'list') {
    const [type, value] = r as [string, string]
    return { id: 0, type, value, confidence: 0, severity: '', comment: '', ticket: '', tags: [], campaign: null, source: '', analyst: null, createdAt: '', updatedAt: '', expiresAt: null, incarnation: 1 }
  }
  if (set === 'cp') {
    const [id, type, value, confidence, severity, comment, ticket] = r as [number, string, string, number, string, string, string]
    return { id, type, value, confidence, severity, comment, ticket, tags: [], campaign: null, source: '', analyst: null, createdAt: '', updatedAt: '', expiresAt: null, incarnation: 1 }
  }
  const [id, type, value, confidence, severity, comment, ticket, tags, campaign, source, analyst, createdAt, updatedAt, expiresAt, incarnation] = r as Raw
  return { id, type, value, confidence, severity, comment, ticket, tags: JSON.parse(tags) as string[], campaign, source, analyst, createdAt, updatedAt, expiresAt, incarnation }
}

/**
 * The feed's current members in value order, and when that membership next changes by time
 * alone: a member expires, a member gets older than `createdWithinDays`, or an IOC comes within
 * `expiringWithinDays` of its expiry. The cached body is valid until then (or the next write).
 */
export async function selectCustomRows(d1: D1Database, f: CustomFeedFilters, nowIso: string, set: ColumnSet = 'full'): Promise<{ rows: CustomRow[]; validUntil: string | null }> {
  const where = customWhere(f, nowIso)
  // Array rows (no per-row objects from D1); a write between the two reads bumps the generation,
  // so the next poll rebuilds anyway.
  const raw = await d1.prepare(`${SELECTS[set]} WHERE ${where.sql} ORDER BY iocs.value, iocs.id`).bind(...where.binds).raw<unknown[]>()
  const stats = await d1
    .prepare(`SELECT min(iocs.expires_at) AS next, min(iocs.created_at) AS oldest FROM iocs WHERE ${where.sql}`)
    .bind(...where.binds)
    .first<{ next: string | null; oldest: string | null }>()
  let validUntil: string | null = null
  const earliest = (iso: string | null) => {
    if (iso && (validUntil === null || iso < validUntil)) validUntil = iso
  }
  const rows = raw.map((r) => toRow(set, r))
  const { next = null, oldest = null } = stats ?? {}
  earliest(next)
  // Still a member at exactly N days; gone a millisecond later.
  if (f.createdWithinDays !== null && oldest) earliest(new Date(Date.parse(oldest) + f.createdWithinDays * DAY_MS + 1).toISOString())
  if (f.expiringWithinDays !== null) {
    const rest = customWhere(f, nowIso, true)
    const horizon = new Date(Date.parse(nowIso) + f.expiringWithinDays * DAY_MS).toISOString()
    const entering = await d1
      .prepare(`SELECT min(iocs.expires_at) AS next FROM iocs WHERE ${rest.sql} AND iocs.expires_at > ?`)
      .bind(...rest.binds, horizon)
      .first<{ next: string | null }>()
    if (entering?.next) earliest(new Date(Date.parse(entering.next) - f.expiringWithinDays * DAY_MS).toISOString())
  }
  return { rows, validUntil }
}
