import type { IocSnapshotRow, PublishedHead } from '../domain/stix-publish'
import type { IndicatorData } from '../domain/stix'
import type { ObjectQuery } from '../domain/taxii2'

// Raw D1 like the feed queries: pages of up to 10,000 versions, and the publisher moves
// thousands of rows per round. Id lists travel as one JSON parameter (json_each), never as
// hundreds of bound parameters.

export interface SyncState {
  round: number
  historyId: number
  iocId: number
}

export async function getSyncState(d1: D1Database): Promise<SyncState | null> {
  const row = await d1
    .prepare('SELECT round, history_id AS historyId, ioc_id AS iocId FROM stix_sync ORDER BY round DESC LIMIT 1')
    .first<SyncState>()
  return row ?? null
}

export async function maxHistoryId(d1: D1Database): Promise<number> {
  return (await d1.prepare('SELECT coalesce(max(id), 0) AS n FROM ioc_history').first<{ n: number }>())?.n ?? 0
}

/** IOC rows created after the watermark, in id order. */
export async function newIocIds(d1: D1Database, afterId: number, limit: number): Promise<number[]> {
  const rows = await d1.prepare('SELECT id FROM iocs WHERE id > ? ORDER BY id LIMIT ?').bind(afterId, limit).raw<[number]>()
  return rows.map((r) => r[0])
}

/** History events after the watermark: which rows changed, and when. */
export async function historySince(d1: D1Database, afterId: number, limit: number) {
  const rows = await d1
    .prepare('SELECT id, ioc_id, at FROM ioc_history WHERE id > ? ORDER BY id LIMIT ?')
    .bind(afterId, limit)
    .raw<[number, number, string]>()
  return rows.map(([id, iocId, at]) => ({ id, iocId, at }))
}

/** Rows whose published object is active but whose expiry has passed. */
export async function dueForExpiry(d1: D1Database, nowIso: string, limit: number): Promise<number[]> {
  const rows = await d1
    .prepare(
      `SELECT source_id FROM stix_versions WHERE latest = 1 AND revoked = 0 AND valid_until IS NOT NULL
       AND valid_until <= ? AND source = 'ioc' LIMIT ?`,
    )
    .bind(nowIso, limit)
    .raw<[number]>()
  return rows.map((r) => r[0])
}

/** The earliest expiry among active published objects: the publisher has work from then on. */
export async function nextDueExpiry(d1: D1Database): Promise<string | null> {
  const row = await d1
    .prepare('SELECT min(valid_until) AS v FROM stix_versions WHERE latest = 1 AND revoked = 0 AND valid_until IS NOT NULL')
    .first<{ v: string | null }>()
  return row?.v ?? null
}

export async function loadIocRows(d1: D1Database, ids: number[]): Promise<IocSnapshotRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT id, type, value, incarnation, comment, tags, confidence, ticket, created_at AS createdAt,
              updated_at AS updatedAt, expires_at AS expiresAt, deleted_at AS deletedAt,
              excluded_at AS excludedAt, allowlisted_by AS allowlistedBy
       FROM iocs WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .bind(JSON.stringify(ids))
    .all<Omit<IocSnapshotRow, 'tags'> & { tags: string }>()
  return results.map((r) => ({ ...r, tags: JSON.parse(r.tags || '[]') as string[] }))
}

/** The newest published object of each row (with how many objects the row has had). */
export async function loadHeads(d1: D1Database, source: string, ids: number[]): Promise<Map<number, PublishedHead & { seq: number }>> {
  const { results } = await d1
    .prepare(
      `SELECT seq, source_id AS sourceId, stix_id AS stixId, created, modified, revoked, data
       FROM stix_versions WHERE latest = 1 AND source = ? AND source_id IN (SELECT value FROM json_each(?))
       ORDER BY seq`,
    )
    .bind(source, JSON.stringify(ids))
    .all<{ seq: number; sourceId: number; stixId: string; created: string; modified: string; revoked: number; data: string }>()
  const heads = new Map<number, PublishedHead & { seq: number }>()
  for (const r of results) {
    const objects = (heads.get(r.sourceId)?.objects ?? 0) + 1
    heads.set(r.sourceId, {
      seq: r.seq,
      stixId: r.stixId,
      created: r.created,
      modified: r.modified,
      revoked: Boolean(r.revoked),
      data: JSON.parse(r.data) as IndicatorData,
      objects,
    })
  }
  return heads
}

export async function lastDateAdded(d1: D1Database): Promise<string | null> {
  const row = await d1.prepare('SELECT date_added AS d FROM stix_versions ORDER BY date_added DESC LIMIT 1').first<{ d: string }>()
  return row?.d ?? null
}

export async function hasIdentity(d1: D1Database): Promise<boolean> {
  return (await d1.prepare(`SELECT 1 AS x FROM stix_versions WHERE source = 'identity' LIMIT 1`).first()) !== null
}

export interface NewVersion {
  dateAdded: string
  stixId: string
  kind: string
  source: string
  sourceId: number
  created: string
  modified: string
  revoked: boolean
  validUntil: string | null
  data: unknown
}

/**
 * One publishing round, all or nothing: claim round `round` (a racing publisher's claim fails on
 * the primary key and its whole batch rolls back), retire superseded heads, add the versions.
 */
export async function writeRound(d1: D1Database, round: number, marks: { historyId: number; iocId: number; at: string }, superseded: string[], versions: NewVersion[]) {
  const rows = versions.map((v) => [v.dateAdded, v.stixId, v.kind, v.source, v.sourceId, v.created, v.modified, v.revoked ? 1 : 0, v.validUntil, JSON.stringify(v.data)])
  await d1.batch([
    d1.prepare('INSERT INTO stix_sync (round, history_id, ioc_id, at) VALUES (?, ?, ?, ?)').bind(round, marks.historyId, marks.iocId, marks.at),
    d1.prepare('UPDATE stix_versions SET latest = 0 WHERE latest = 1 AND stix_id IN (SELECT value FROM json_each(?))').bind(JSON.stringify(superseded)),
    d1
      .prepare(
        `INSERT INTO stix_versions (date_added, stix_id, kind, source, source_id, created, modified, revoked, latest, valid_until, data)
         SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6,
                j.value ->> 7, 1, j.value ->> 8, j.value ->> 9
         FROM json_each(?) AS j`,
      )
      .bind(JSON.stringify(rows)),
    d1.prepare('DELETE FROM stix_sync WHERE round < ?').bind(round - 20),
  ])
}

// ---- Reading -------------------------------------------------------------------------------

export interface VersionRow {
  dateAdded: string
  stixId: string
  kind: string
  created: string
  modified: string
  revoked: number
  data: string
}

export interface VersionScope {
  /** null = every kind. An empty list matches nothing (callers skip the query). */
  kinds: string[] | null
  stixId?: string
}

function whereFor(scope: VersionScope, q: ObjectQuery): { sql: string; binds: unknown[] } {
  const parts: string[] = []
  const binds: unknown[] = []
  if (scope.kinds?.length === 1) {
    parts.push('kind = ?')
    binds.push(scope.kinds[0])
  } else if (scope.kinds) {
    parts.push('kind IN (SELECT value FROM json_each(?))')
    binds.push(JSON.stringify(scope.kinds))
  }
  if (scope.stixId) {
    parts.push('stix_id = ?')
    binds.push(scope.stixId)
  }
  const v = q.versions
  if (!v.all) {
    // `latest = 1` alone lets SQLite use the partial indexes.
    if (v.last && !v.first && !v.at.length) parts.push('latest = 1')
    else {
      const alts: string[] = []
      if (v.last) alts.push('latest = 1')
      if (v.first) alts.push('modified = created')
      if (v.at.length) {
        alts.push('modified IN (SELECT value FROM json_each(?))')
        binds.push(JSON.stringify(v.at))
      }
      parts.push(`(${alts.join(' OR ')})`)
    }
  }
  if (q.ids) {
    parts.push('stix_id IN (SELECT value FROM json_each(?))')
    binds.push(JSON.stringify(q.ids))
  }
  const after = [q.cursor, q.addedAfter].filter((x): x is string => Boolean(x)).sort().pop()
  if (after) {
    parts.push('date_added > ?')
    binds.push(after)
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', binds }
}

/** One page of versions in `date_added` order (limit + 1 rows: the extra one says `more`). */
export async function pageVersions(d1: D1Database, scope: VersionScope, q: ObjectQuery): Promise<VersionRow[]> {
  const w = whereFor(scope, q)
  const { results } = await d1
    .prepare(
      `SELECT date_added AS dateAdded, stix_id AS stixId, kind, created, modified, revoked, data
       FROM stix_versions ${w.sql} ORDER BY date_added LIMIT ?`,
    )
    .bind(...w.binds, q.limit + 1)
    .all<VersionRow>()
  return results
}

/** Whether an object id exists in the scope at all (404 versus an empty page). */
export async function objectExists(d1: D1Database, scope: VersionScope, stixId: string): Promise<boolean> {
  const kinds = scope.kinds ? ' AND kind IN (SELECT value FROM json_each(?))' : ''
  const stmt = d1.prepare(`SELECT 1 AS x FROM stix_versions WHERE stix_id = ?${kinds} LIMIT 1`)
  const row = await (scope.kinds ? stmt.bind(stixId, JSON.stringify(scope.kinds)) : stmt.bind(stixId)).first()
  return row !== null
}

/**
 * The TAXII 1.1 view of a poll window (begin, end]: for each object, its newest version added up
 * to `end`, when that version is active (not revoked, not expired at `end`) and was added after
 * `begin`. Everything in it was committed before `end` was chosen, so the set never changes and
 * parts of a multi-part result can be addressed by position.
 */
function snapshotWhere(kinds: string[], window: { begin?: string; end: string }) {
  const endMs = new Date(Math.floor((Date.parse(window.end.slice(0, 23) + 'Z')))).toISOString()
  const parts = [
    'v.kind IN (SELECT value FROM json_each(?))',
    'v.revoked = 0',
    'v.date_added <= ?',
    '(v.valid_until IS NULL OR v.valid_until > ?)',
    'NOT EXISTS (SELECT 1 FROM stix_versions w WHERE w.stix_id = v.stix_id AND w.date_added > v.date_added AND w.date_added <= ?)',
  ]
  const binds: unknown[] = [JSON.stringify(kinds), window.end, endMs, window.end]
  if (window.begin) {
    parts.push('v.date_added > ?')
    binds.push(window.begin)
  }
  return { sql: parts.join(' AND '), binds }
}

/** One part: after the keyset `after` when the previous part is known, else by position. */
export async function pageSnapshot(
  d1: D1Database,
  kinds: string[],
  window: { begin?: string; end: string },
  from: { after?: string; offset: number },
  limit: number,
): Promise<VersionRow[]> {
  const w = snapshotWhere(kinds, window)
  const keyset = from.after ? ' AND v.date_added > ?' : ''
  const { results } = await d1
    .prepare(
      `SELECT v.date_added AS dateAdded, v.stix_id AS stixId, v.kind, v.created, v.modified, v.revoked, v.data
       FROM stix_versions v WHERE ${w.sql}${keyset} ORDER BY v.date_added LIMIT ? OFFSET ?`,
    )
    .bind(...w.binds, ...(from.after ? [from.after] : []), limit, from.after ? 0 : from.offset)
    .all<VersionRow>()
  return results
}

export async function countSnapshot(d1: D1Database, kinds: string[], window: { begin?: string; end: string }): Promise<number> {
  const w = snapshotWhere(kinds, window)
  const row = await d1.prepare(`SELECT count(*) AS n FROM stix_versions v WHERE ${w.sql}`).bind(...w.binds).first<{ n: number }>()
  return row?.n ?? 0
}

/** Active objects (newest version, not revoked, not expired) after the keyset `after`: bundles. */
export async function pageActive(d1: D1Database, kinds: string[], nowIso: string, after: string | null, limit: number): Promise<VersionRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT date_added AS dateAdded, stix_id AS stixId, kind, created, modified, revoked, data
       FROM stix_versions WHERE latest = 1 AND revoked = 0 AND (valid_until IS NULL OR valid_until > ?)
       AND kind IN (SELECT value FROM json_each(?)) AND date_added > ? ORDER BY date_added LIMIT ?`,
    )
    .bind(nowIso, JSON.stringify(kinds), after ?? '', limit)
    .all<VersionRow>()
  return results
}

export async function identityVersion(d1: D1Database): Promise<VersionRow | null> {
  return d1
    .prepare(
      `SELECT date_added AS dateAdded, stix_id AS stixId, kind, created, modified, revoked, data
       FROM stix_versions WHERE source = 'identity' AND latest = 1 LIMIT 1`,
    )
    .first<VersionRow>()
}
