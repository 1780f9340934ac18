import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Ioc, IocQuery } from '../../schema/contracts/iocs'
import { campaigns, iocs, users } from '../../schema/tables'
import type { IocType } from '../domain/ioc'
import type { Db } from '../env'

export type IocRow = typeof iocs.$inferSelect

/**
 * The one definition of "served" (on `iocs` columns, `?` = now as ISO UTC): what every feed, TAXII
 * and stats query reuses, through `servedWhere` (Drizzle) or as text in raw feed queries.
 */
export const SERVED_SQL =
  'iocs.deleted_at IS NULL AND iocs.excluded_at IS NULL AND iocs.allowlisted_by IS NULL AND (iocs.expires_at IS NULL OR iocs.expires_at > ?)'

export function servedWhere(nowIso: string): SQL {
  const [before, after] = SERVED_SQL.split('?')
  return sql`(${sql.raw(before)}${nowIso}${sql.raw(after)})`
}

export function iocStatus(row: Pick<IocRow, 'deletedAt' | 'excludedAt' | 'allowlistedBy' | 'expiresAt'>, nowIso: string): Ioc['status'] {
  if (row.deletedAt) return 'deleted'
  if (row.excludedAt) return 'excluded'
  if (row.allowlistedBy) return 'allowlisted'
  if (row.expiresAt && row.expiresAt <= nowIso) return 'expired'
  return 'active'
}

const viewColumns = {
  ioc: iocs,
  campaignName: campaigns.name,
  username: users.username,
  displayName: users.displayName,
}

type ViewRow = { ioc: IocRow; campaignName: string | null; username: string | null; displayName: string | null }

export function toIoc(r: ViewRow, nowIso: string): Ioc {
  const i = r.ioc
  return {
    id: i.id,
    type: i.type,
    value: i.value,
    status: iocStatus(i, nowIso),
    expiresAt: i.expiresAt,
    ticket: i.ticket,
    comment: i.comment,
    campaign: i.campaignId && r.campaignName ? { id: i.campaignId, name: r.campaignName } : null,
    tags: i.tags ?? [],
    confidence: i.confidence,
    severity: i.severity,
    source: i.source,
    createdBy: { id: i.createdBy, username: r.username ?? '?', displayName: r.displayName ?? '?' },
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    excludedAt: i.excludedAt,
    excludeReason: i.excludeReason,
    allowlistedBy: i.allowlistedBy,
    deletedAt: i.deletedAt,
    incarnation: i.incarnation,
  }
}

function viewQuery(db: Db) {
  return db
    .select(viewColumns)
    .from(iocs)
    .leftJoin(campaigns, eq(campaigns.id, iocs.campaignId))
    .leftJoin(users, eq(users.id, iocs.createdBy))
}

export async function getIocView(db: Db, id: number, nowIso: string): Promise<Ioc | undefined> {
  const row = await viewQuery(db).where(eq(iocs.id, id)).get()
  return row ? toIoc(row, nowIso) : undefined
}

export async function getIocRow(db: Db, id: number): Promise<IocRow | undefined> {
  return db.select().from(iocs).where(eq(iocs.id, id)).get()
}

export async function getLiveIoc(db: Db, type: IocType, value: string): Promise<IocRow | undefined> {
  return db
    .select()
    .from(iocs)
    .where(and(eq(iocs.type, type), eq(iocs.value, value), isNull(iocs.deletedAt)))
    .get()
}

type Cursor = [string | null, number]
const encodeCursor = (c: Cursor) => btoa(JSON.stringify(c)).replace(/=+$/, '')
function decodeCursor(s: string): Cursor | null {
  try {
    const c = JSON.parse(atob(s))
    return Array.isArray(c) && c.length === 2 && typeof c[1] === 'number' ? (c as Cursor) : null
  } catch {
    return null
  }
}

/** Quotes a user's text as one FTS5 string (trigram tokenizer: substring match). */
const ftsString = (q: string) => `"${q.replace(/"/g, '""')}"`

const SORTS = {
  newest: { col: iocs.createdAt, dir: 'desc' },
  oldest: { col: iocs.createdAt, dir: 'asc' },
  value: { col: iocs.value, dir: 'asc' },
  expiry: { col: iocs.expiresAt, dir: 'asc' },
} as const

export function statusWhere(status: IocQuery['status'], nowIso: string): SQL | undefined {
  const live = isNull(iocs.deletedAt)
  switch (status) {
    case 'active':
      return servedWhere(nowIso)
    case 'expired':
      return and(live, isNotNull(iocs.expiresAt), lte(iocs.expiresAt, nowIso))
    case 'permanent':
      return and(live, isNull(iocs.expiresAt))
    case 'excluded':
      return and(live, isNotNull(iocs.excludedAt))
    case 'allowlisted':
      return and(live, isNotNull(iocs.allowlistedBy))
    case 'deleted':
      return isNotNull(iocs.deletedAt)
    case 'live':
      return live
    case 'all':
      return undefined
  }
}

/**
 * Search with keyset pagination. Substring search of 3+ characters uses the FTS5 trigram index,
 * prefix search the value index; every other filter has its own index.
 */
export async function listIocs(db: Db, q: IocQuery & { canonical?: string }, nowIso: string) {
  const conds: (SQL | undefined)[] = [statusWhere(q.status, nowIso)]
  const needle = q.canonical ?? q.q
  if (needle) {
    if (q.match === 'exact') conds.push(eq(iocs.value, needle))
    else if (q.match === 'prefix') conds.push(gte(iocs.value, needle), lt(iocs.value, needle + '\u{10ffff}'))
    else if (needle.length >= 3) {
      conds.push(sql`${iocs.id} IN (SELECT rowid FROM ioc_fts WHERE ioc_fts MATCH ${ftsString(needle)})`)
    } else conds.push(sql`${iocs.value} LIKE ${'%' + needle.replace(/[%_\\]/g, '\\$&') + '%'} ESCAPE '\\'`)
  }
  if (q.type) conds.push(eq(iocs.type, q.type))
  if (q.ticket) conds.push(eq(iocs.ticket, q.ticket))
  if (q.campaign) conds.push(eq(iocs.campaignId, q.campaign))
  if (q.user) conds.push(sql`${iocs.createdBy} = (SELECT id FROM users WHERE username = ${q.user} COLLATE NOCASE)`)
  if (q.tag) conds.push(sql`${iocs.id} IN (SELECT ioc_id FROM ioc_tags WHERE tag = ${q.tag})`)
  if (q.from) conds.push(gte(iocs.createdAt, new Date(q.from).toISOString()))
  if (q.to) conds.push(lte(iocs.createdAt, new Date(q.to).toISOString()))

  const sort = SORTS[q.sort]
  const cursor = q.cursor ? decodeCursor(q.cursor) : null
  if (cursor) {
    const [key, id] = cursor
    const after = sort.dir === 'desc' ? lt : gt
    conds.push(
      key === null
        ? and(isNull(sort.col), after(iocs.id, id))
        : or(after(sort.col, key), and(eq(sort.col, key), after(iocs.id, id)), sort.dir === 'asc' ? isNull(sort.col) : undefined),
    )
  }
  const order = sort.dir === 'desc' ? [desc(sort.col), desc(iocs.id)] : [sql`${sort.col} IS NULL`, asc(sort.col), asc(iocs.id)]
  const rows = await viewQuery(db)
    .where(and(...conds))
    .orderBy(...order)
    .limit(q.limit + 1)
  const more = rows.length > q.limit
  const page = rows.slice(0, q.limit)
  const last = page[page.length - 1]
  const nextCursor = more && last ? encodeCursor([(last.ioc[sortKey(q.sort)] as string | null) ?? null, last.ioc.id]) : null
  return { items: page.map((r) => toIoc(r, nowIso)), nextCursor }
}

function sortKey(sort: IocQuery['sort']): 'createdAt' | 'value' | 'expiresAt' {
  return sort === 'value' ? 'value' : sort === 'expiry' ? 'expiresAt' : 'createdAt'
}
