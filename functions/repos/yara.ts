import { and, desc, eq, getTableColumns, isNull, like, lt, ne, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { YaraFile, YaraListItem, YaraQuery } from '../../schema/contracts/yara'
import { campaigns, settings, users } from '../../schema/tables'
import { yaraHistory, yaraRules } from '../../schema/yara'
import { LINT_DEFAULTS, type LibraryRule, type YaraLintSettings } from '../domain/yara-lint'
import { canDelete, canEdit, canReview, type Who } from '../domain/yara-workflow'
import type { Db } from '../env'

export type YaraRow = typeof yaraRules.$inferSelect

export interface YaraSettings extends YaraLintSettings {
  reviewers: number[]
}

const SETTING_KEY = {
  requiredMeta: 'yara.requiredMeta',
  namePattern: 'yara.namePattern',
  minAtomBytes: 'yara.minAtomBytes',
  reviewers: 'yara.reviewers',
} as const

export async function getYaraSettings(db: Db): Promise<YaraSettings> {
  const rows = await db.select().from(settings).where(like(settings.key, 'yara.%'))
  const out: YaraSettings = { ...LINT_DEFAULTS, reviewers: [] }
  for (const [field, key] of Object.entries(SETTING_KEY)) {
    const row = rows.find((r) => r.key === key)
    if (row) (out as unknown as Record<string, unknown>)[field] = row.value
  }
  return out
}

export function setYaraSettingStmts(db: Db, patch: Partial<YaraSettings>, by: string) {
  const at = new Date().toISOString()
  return Object.entries(patch).map(([field, value]) =>
    db
      .insert(settings)
      .values({ key: SETTING_KEY[field as keyof typeof SETTING_KEY], value, updatedAt: at, updatedBy: by })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at, updatedBy: by } }),
  )
}

/** Active analysts who can sign in (not system users such as misp): who an admin may name as a reviewer. */
export async function reviewerCandidates(db: Db) {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.role, 'analyst'), eq(users.active, true), ne(users.source, 'system')))
    .orderBy(sql`${users.username} COLLATE NOCASE`)
}

const reviewer = alias(users, 'reviewer')
const live = isNull(yaraRules.deletedAt)

const people = {
  campaignName: campaigns.name,
  creator: { username: users.username, displayName: users.displayName },
  reviewer: { username: reviewer.username, displayName: reviewer.displayName },
}

// The list leaves out what only the detail needs (content, rule summaries, findings).
const { content: _content, rules: _rules, lint: _lint, qualityParts: _parts, ...listColumns } = getTableColumns(yaraRules)

const listQuery = (db: Db) =>
  db
    .select({ row: listColumns, warningCount: sql<number>`json_array_length(${yaraRules.lint})`, ...people })
    .from(yaraRules)
    .leftJoin(campaigns, eq(campaigns.id, yaraRules.campaignId))
    .leftJoin(users, eq(users.id, yaraRules.createdBy))
    .leftJoin(reviewer, eq(reviewer.id, yaraRules.reviewedBy))

const viewQuery = (db: Db) =>
  db
    .select({ row: yaraRules, ...people })
    .from(yaraRules)
    .leftJoin(campaigns, eq(campaigns.id, yaraRules.campaignId))
    .leftJoin(users, eq(users.id, yaraRules.createdBy))
    .leftJoin(reviewer, eq(reviewer.id, yaraRules.reviewedBy))

type ListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['get']>> & object
type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['get']>> & object

function toItem(v: Pick<ListRow, 'campaignName' | 'creator' | 'reviewer'> & { row: ListRow['row'] }, warningCount: number, who: Who, reviewers: number[]): YaraListItem {
  const r = v.row
  return {
    id: r.id,
    filename: r.filename,
    status: r.status,
    sha256: r.sha256,
    size: r.size,
    version: r.version,
    ruleNames: r.ruleNames,
    imports: r.imports,
    quality: r.quality,
    warningCount,
    ticket: r.ticket,
    comment: r.comment,
    campaign: r.campaignId && v.campaignName ? { id: r.campaignId, name: v.campaignName } : null,
    tags: r.tags,
    createdBy: { id: r.createdBy, username: v.creator?.username ?? '?', displayName: v.creator?.displayName ?? '?' },
    reviewedBy: r.reviewedBy ? { id: r.reviewedBy, username: v.reviewer?.username ?? '?', displayName: v.reviewer?.displayName ?? '?' } : null,
    reviewedAt: r.reviewedAt,
    rejectReason: r.rejectReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    can: { edit: canEdit(who, r), review: canReview(who, r, reviewers), delete: canDelete(who, r) },
  }
}

function toYaraFile(v: ViewRow, who: Who, reviewers: number[]): YaraFile {
  const r = v.row
  return {
    ...toItem(v, r.lint.length, who, reviewers),
    rules: r.rules.map(({ logicHash: _hash, ...rest }) => rest),
    qualityParts: r.qualityParts,
    warnings: r.lint,
  }
}

export async function getYaraRow(db: Db, id: number): Promise<YaraRow | undefined> {
  return db.select().from(yaraRules).where(and(eq(yaraRules.id, id), live)).get()
}

export async function getYaraView(db: Db, id: number, who: Who, reviewers: number[]) {
  const v = await viewQuery(db).where(and(eq(yaraRules.id, id), live)).get()
  return v ? { file: toYaraFile(v, who, reviewers), content: v.row.content } : undefined
}

/** A live file with this name (case-insensitive) or this content, other than `except`. */
export async function findClash(db: Db, filename: string, sha256: string, except?: number) {
  const rows = await db
    .select({ id: yaraRules.id, filename: yaraRules.filename, sha256: yaraRules.sha256 })
    .from(yaraRules)
    .where(and(live, or(sql`${yaraRules.filename} = ${filename} COLLATE NOCASE`, eq(yaraRules.sha256, sha256))))
  const others = rows.filter((r) => r.id !== except)
  return {
    byName: others.find((r) => r.filename.toLowerCase() === filename.toLowerCase()),
    byContent: others.find((r) => r.sha256 === sha256),
  }
}

export async function listYara(db: Db, q: YaraQuery, who: Who, reviewers: number[]) {
  const filters: (SQL | undefined)[] = [live]
  if (q.status !== 'all') filters.push(eq(yaraRules.status, q.status))
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
    const likes = [yaraRules.filename, yaraRules.ruleNames, yaraRules.ticket, yaraRules.comment, yaraRules.tags].map((col) => sql`${col} LIKE ${pattern} ESCAPE '\\'`)
    filters.push(or(...likes))
  }
  if (q.tag) filters.push(sql`EXISTS (SELECT 1 FROM json_each(${yaraRules.tags}) WHERE lower(value) = lower(${q.tag}))`)
  if (q.campaign) filters.push(eq(yaraRules.campaignId, q.campaign))
  if (q.user) filters.push(sql`${users.username} = ${q.user} COLLATE NOCASE`)
  const where = and(...filters)
  const rows = await listQuery(db)
    .where(and(where, q.cursor ? lt(yaraRules.id, q.cursor) : undefined))
    .orderBy(desc(yaraRules.id))
    .limit(q.limit + 1)
  const more = rows.length > q.limit
  const page = rows.slice(0, q.limit)
  const counts = await db
    .select({ status: yaraRules.status, n: sql<number>`count(*)` })
    .from(yaraRules)
    .where(live)
    .groupBy(yaraRules.status)
  const count = (s: string) => counts.find((c) => c.status === s)?.n ?? 0
  return {
    items: page.map((v) => toItem(v, v.warningCount, who, reviewers)),
    nextCursor: more ? page[page.length - 1].row.id : null,
    counts: { pending: count('pending'), approved: count('approved'), rejected: count('rejected') },
  }
}

/** Rules of every live, not rejected file except `except`: what lint compares names and logic with. */
export async function libraryRules(db: Db, except?: number): Promise<LibraryRule[]> {
  const rows = await db
    .select({ id: yaraRules.id, filename: yaraRules.filename, rules: yaraRules.rules })
    .from(yaraRules)
    .where(and(live, sql`${yaraRules.status} != 'rejected'`))
  return rows.filter((r) => r.id !== except).flatMap((r) => r.rules.map((rule) => ({ name: rule.name, logicHash: rule.logicHash, filename: r.filename })))
}

/** Files to test-scan: the given ids, or every approved (or every pending and approved) file. */
export async function scanFiles(db: Db, scope: { ids?: number[]; approvedOnly: boolean }) {
  const where = scope.ids
    ? and(live, sql`${yaraRules.id} IN (SELECT value FROM json_each(${JSON.stringify(scope.ids)}))`)
    : and(live, scope.approvedOnly ? eq(yaraRules.status, 'approved') : sql`${yaraRules.status} != 'rejected'`)
  return db.select({ id: yaraRules.id, filename: yaraRules.filename, status: yaraRules.status, content: yaraRules.content }).from(yaraRules).where(where)
}

export interface HistoryEntry {
  ruleId: number | SQL<number>
  event: (typeof yaraHistory.$inferInsert)['event']
  fromStatus?: string | null
  toStatus?: string | null
  actor: { id: number; username: string }
  diff?: Record<string, unknown>
}

export function historyStmt(db: Db, e: HistoryEntry) {
  return db.insert(yaraHistory).values({
    ruleId: e.ruleId,
    event: e.event,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    actorId: e.actor.id,
    actor: e.actor.username,
    diff: e.diff ?? null,
  })
}

export async function listYaraHistory(db: Db, ruleId: number) {
  return db
    .select({ id: yaraHistory.id, event: yaraHistory.event, fromStatus: yaraHistory.fromStatus, toStatus: yaraHistory.toStatus, actor: yaraHistory.actor, at: yaraHistory.at, diff: yaraHistory.diff })
    .from(yaraHistory)
    .where(eq(yaraHistory.ruleId, ruleId))
    .orderBy(desc(yaraHistory.id))
}

// ---- Feeds: raw D1, like the other feed queries ------------------------------------------------

export async function selectApprovedForFeed(d1: D1Database) {
  const { results } = await d1
    .prepare(
      `SELECT y.filename, y.content, y.sha256, y.rule_names, y.reviewed_at, u.username AS reviewer
         FROM yara_rules y LEFT JOIN users u ON u.id = y.reviewed_by
        WHERE y.deleted_at IS NULL AND y.status = 'approved'
        ORDER BY y.filename COLLATE NOCASE`,
    )
    .all<{ filename: string; content: string; sha256: string; rule_names: string; reviewed_at: string | null; reviewer: string | null }>()
  return results
}

export async function selectApprovedContent(d1: D1Database, filename: string) {
  return d1
    .prepare(`SELECT content FROM yara_rules WHERE deleted_at IS NULL AND status = 'approved' AND filename = ?1 COLLATE NOCASE`)
    .bind(filename)
    .first<{ content: string }>()
}
