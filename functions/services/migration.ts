/**
 * Migrations from ZIoCHub and ThreatGate (migration.md). `stageMigration` stores a plan as one
 * import batch (the IOC rows, classified like any bulk import) plus its other records in
 * `migration_items`, in one transaction. `commitMigration` applies it: users, placeholders,
 * avatars, campaigns and allowlist entries first, then the IOC rows with their legacy history
 * (one transaction), then deleted values, the rest of the history, notes and playbook links.
 * Every write is keyed on a natural key, so running a migration twice adds nothing.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { migrationItems } from '../../schema/migration'
import { importBatches } from '../../schema/tables'
import type { MigrationPlan } from '../domain/migration-plan'
import type { Db } from '../env'
import { runBatch, type BatchItem } from '../lib/d1-batch'
import { ApiError } from '../lib/errors'
import { sha256Hex } from '../lib/hash'
import { addAllowlistEntry, findAllowlistEntry } from '../repos/allowlist'
import { bumpGeneration } from '../repos/generation'
import { blockCritical, commitImport, loadBatch, loadWarninglistMatcher, prepareRow, stageRows, type CommitOptions } from './imports'
import { getIocPolicy } from './ioc-policy'
import { iocKeys } from './ioc-checks'
import type { Actor } from './iocs'

export const MIGRATION_SOURCES = new Set(['ziochub', 'threatgate'])
/** Item kinds applied at commit (and then removed); the others are kept for later features. */
const APPLIED = ['user', 'avatar', 'campaign', 'allowlist', 'history', 'tombstone', 'note', 'playbook', 'options', 'settings']
const KEPT = ['yara', 'sanity_exclusion', 'team_goal', 'activity_event', 'rank_snapshot', 'user_prefs']
const CHUNK_BYTES = 512 * 1024

export interface MigrationOptions {
  /** Allowlisted rows: imported as excluded IOCs (default) or left out. */
  allowlisted: 'exclude' | 'drop'
}

interface Item {
  kind: string
  key: string
  data: Record<string, unknown>
}

const SOURCE_LABEL: Record<string, string> = { ziochub: 'ZIoCHub', threatgate: 'ThreatGate' }

function planItems(plan: MigrationPlan, options: MigrationOptions): Item[] {
  const items: Item[] = [{ kind: 'options', key: 'options', data: { ...options } }]
  const add = (kind: string, key: string, data: object) => items.push({ kind, key, data: data as Record<string, unknown> })
  for (const u of plan.users) add('user', u.username.toLowerCase(), u)
  for (const c of plan.campaigns) add('campaign', c.name.toLowerCase(), c)
  for (const a of plan.allowlist) add('allowlist', `${a.kind}:${a.value}`, a)
  for (const h of plan.history) add('history', `${h.type}|${h.value}|${h.event}|${h.at}|${h.actor}`, h)
  for (const t of plan.tombstones) {
    const k = iocKeys(t.type as never, t.value)
    add('tombstone', `${t.type}|${t.value}`, { ...t, host: k.host, ipStart: k.ipStart, ipEnd: k.ipEnd })
  }
  for (const n of plan.notes) add('note', `${n.type}|${n.value}|${n.author}|${n.createdAt}`, n)
  for (const p of plan.playbook) add('playbook', p.sourceKey, p)
  for (const y of plan.yara) add('yara', y.filename.toLowerCase(), y)
  for (const r of plan.retained) add(r.kind === 'settings' ? 'settings' : r.kind, r.key, r.data)
  return items
}

function itemChunks(items: Item[]): string[] {
  const chunks: string[] = []
  let parts: string[] = []
  let size = 0
  for (const it of items) {
    const s = JSON.stringify([it.kind, it.key, JSON.stringify(it.data)])
    if (size + s.length > CHUNK_BYTES && parts.length) {
      chunks.push(`[${parts.join(',')}]`)
      parts = []
      size = 0
    }
    parts.push(s)
    size += s.length + 1
  }
  if (parts.length) chunks.push(`[${parts.join(',')}]`)
  return chunks
}

/** One-line summary of the plan for the batch's notes (shown in the import preview). */
function planNotes(plan: MigrationPlan): string[] {
  const count = (kind: string) => plan.report.filter((r) => r.kind === kind).length
  const notes = [
    `${SOURCE_LABEL[plan.source]} migration of ${plan.label}: ${plan.rows.length} IOC rows, ${plan.users.length} users, ${plan.campaigns.length} campaigns, ` +
      `${plan.history.length} history events, ${plan.notes.length} notes, ${plan.allowlist.length} allowlist entries, ${plan.playbook.length} playbook links, ${plan.yara.length} YARA rules`,
    `${count('skipped')} skipped, ${count('merged')} merged, ${count('changed')} changed (see the migration report)`,
  ]
  if (plan.secrets.length) notes.push(`secret settings not imported (enter them in Admin and rotate them): ${plan.secrets.join(', ')}`)
  for (const r of plan.report.filter((e) => e.kind !== 'info').slice(0, 200)) notes.push(`${r.where}: ${r.reason}: ${r.message}`)
  return notes
}

/** Stages a migration plan as one import batch; returns its id. Warning rows start selected (the old system had them live). */
export async function stageMigration(db: Db, plan: MigrationPlan, actor: Actor, options: MigrationOptions): Promise<number> {
  if (actor.role !== 'admin') throw new ApiError(403, 'forbidden', 'Only an administrator can run a migration')
  const nowIso = new Date().toISOString()
  const matcher = await loadWarninglistMatcher(db)
  const { sanityMode } = await getIocPolicy(db)
  const rows = plan.rows.map((r) => {
    const p = blockCritical(prepareRow(r.staged, nowIso, matcher, true), sanityMode, actor.role)
    p.createdAt = r.createdAt
    p.extra = r.extra as Record<string, unknown> | null
    return p
  })
  const chunks = itemChunks(planItems(plan, options))
  const avatars = await Promise.all(plan.avatars.map(async (a) => ({ ...a, sha256: await sha256Hex(a.bytes) })))
  return stageRows(
    db,
    {
      source: plan.source,
      format: plan.source,
      filename: plan.label,
      rows,
      notes: planNotes(plan),
      also: (self: SQL): BatchItem[] => [
        sql`UPDATE import_rows SET selected = 1 WHERE batch_id = ${self} AND status = 'warning'`,
        ...chunks.map(
          (json) => sql`INSERT INTO migration_items (batch_id, kind, key, data)
            SELECT ${self}, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(${json})`,
        ),
        // A plain Uint8Array: D1 (and Miniflare's proxy of it) binds that as a BLOB, not a Buffer.
        ...avatars.map(
          (a) => sql`INSERT INTO migration_items (batch_id, kind, key, data, blob)
            VALUES (${self}, 'avatar', ${a.username.toLowerCase()}, ${JSON.stringify({ username: a.username, mime: a.mime, sha256: a.sha256 })},
              ${new Uint8Array(a.bytes)})`,
        ),
      ],
    },
    actor,
  )
}

const d = (path: string) => sql.raw(`json_extract(m.data, '$.${path}')`)
const userId = (name: SQL) =>
  sql`coalesce((SELECT id FROM users WHERE username = ${name} COLLATE NOCASE), (SELECT id FROM users WHERE username = substr('legacy:' || lower(${name}), 1, 64) COLLATE NOCASE))`

/** Users, placeholder users for unknown analysts, avatars, campaigns; then the rows' authors. */
function peopleStatements(batchId: number, src: string, nowIso: string): BatchItem[] {
  const items = (kind: string) => sql`migration_items m WHERE m.batch_id = ${batchId} AND m.kind = ${kind}`
  const placeholderDescription = `Placeholder for a ${src} analyst without an account (migration)`
  return [
    sql`INSERT INTO users (username, display_name, email, role, role_description, source, password_hash, must_change_password,
        active, created_at, updated_at, last_login_at)
      SELECT ${d('username')}, ${d('displayName')}, ${d('email')}, ${d('role')}, ${d('roleDescription')}, ${d('source')}, NULL,
        ${d('mustChangePassword')}, ${d('active')}, coalesce(${d('createdAt')}, ${nowIso}), ${nowIso}, ${d('lastLoginAt')}
      FROM ${items('user')} AND NOT EXISTS (SELECT 1 FROM users u WHERE u.username = ${d('username')} COLLATE NOCASE)`,
    sql`INSERT INTO users (username, display_name, role, role_description, source, password_hash, must_change_password, active, created_at, updated_at)
      SELECT DISTINCT substr('legacy:' || lower(name), 1, 64), name, 'analyst', ${placeholderDescription}, 'system', NULL, 0, 0, ${nowIso}, ${nowIso}
      FROM (SELECT json_extract(extra, '$.analyst') AS name FROM import_rows
              WHERE batch_id = ${batchId} AND extra IS NOT NULL AND status IN ('new', 'warning', 'allowlisted')
            UNION SELECT json_extract(data, '$.createdBy') FROM migration_items WHERE batch_id = ${batchId} AND kind = 'tombstone'
            UNION SELECT json_extract(data, '$.deletedBy') FROM migration_items WHERE batch_id = ${batchId} AND kind = 'tombstone')
      WHERE name IS NOT NULL AND name <> '' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.username = name COLLATE NOCASE)
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.username = substr('legacy:' || lower(name), 1, 64) COLLATE NOCASE)`,
    sql`INSERT INTO user_avatars (user_id, mime, data, sha256, updated_at)
      SELECT u.id, ${d('mime')}, m.blob, ${d('sha256')}, ${nowIso}
      FROM migration_items m JOIN users u ON u.username = ${d('username')} COLLATE NOCASE
      WHERE m.batch_id = ${batchId} AND m.kind = 'avatar' AND m.blob IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM user_avatars a WHERE a.user_id = u.id)`,
    sql`INSERT INTO campaigns (name, description, created_by, created_at, updated_at)
      SELECT ${d('name')}, ${d('description')}, (SELECT id FROM users WHERE username = ${d('createdBy')} COLLATE NOCASE),
        coalesce(${d('createdAt')}, ${nowIso}), ${nowIso}
      FROM ${items('campaign')} AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.name = ${d('name')} COLLATE NOCASE)`,
    sql`UPDATE import_rows SET extra = json_set(extra, '$.createdBy', ${userId(sql`json_extract(extra, '$.analyst')`)})
      WHERE batch_id = ${batchId} AND extra IS NOT NULL`,
  ]
}

const historyKey = sql`NOT EXISTS (SELECT 1 FROM ioc_history h WHERE h.type = ${d('type')} AND h.value = ${d('value')}
  AND h.event = ${d('event')} AND h.at = ${d('at')} AND h.actor = ${d('actor')})`
const historyDiff = (batchId: number, src: string) =>
  sql`json_object('legacy', json(m.data -> '$.payload'), 'migratedFrom', ${src}, 'importBatch', ${batchId})`

/** Legacy history of the IOCs this batch inserts: runs inside the IOC transaction, before their own `created` event. */
function batchHistory(batchId: number, src: string): SQL {
  return sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
    SELECT i.id, ${d('type')}, ${d('value')}, ${d('event')}, (SELECT id FROM users WHERE username = ${d('actor')} COLLATE NOCASE),
      ${d('actor')}, ${d('at')}, ${historyDiff(batchId, src)}
    FROM migration_items m JOIN iocs i ON i.import_batch_id = ${batchId} AND i.type = ${d('type')} AND i.value = ${d('value')}
    WHERE m.batch_id = ${batchId} AND m.kind = 'history' AND ${historyKey}
    ORDER BY ${d('at')}, m.id`
}

/** Values deleted in the old system, the history of IOCs that already existed, notes, playbook, settings. */
function restStatements(db: Db, batchId: number, src: string, actor: Actor, nowIso: string): BatchItem[] {
  const items = (kind: string) => sql`migration_items m WHERE m.batch_id = ${batchId} AND m.kind = ${kind}`
  const anyIoc = sql`coalesce((SELECT id FROM iocs WHERE type = ${d('type')} AND value = ${d('value')} AND deleted_at IS NULL),
    (SELECT max(id) FROM iocs WHERE type = ${d('type')} AND value = ${d('value')}))`
  return [
    sql`INSERT INTO iocs (type, value, host, ip_start, ip_end, ticket, comment, source, created_by, deleted_at, deleted_by, created_at, updated_at)
      SELECT ${d('type')}, ${d('value')}, ${d('host')}, ${d('ipStart')}, ${d('ipEnd')}, ${d('ticket')}, ${d('comment')}, ${`${src}:history`},
        ${userId(d('createdBy'))}, ${d('deletedAt')}, ${userId(d('deletedBy'))}, ${d('createdAt')}, ${d('deletedAt')}
      FROM ${items('tombstone')} AND NOT EXISTS (SELECT 1 FROM iocs i WHERE i.type = ${d('type')} AND i.value = ${d('value')})
        AND ${userId(d('createdBy'))} IS NOT NULL`,
    sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
      SELECT ${anyIoc}, ${d('type')}, ${d('value')}, ${d('event')}, (SELECT id FROM users WHERE username = ${d('actor')} COLLATE NOCASE),
        ${d('actor')}, ${d('at')}, ${historyDiff(batchId, src)}
      FROM ${items('history')} AND ${historyKey} AND ${anyIoc} IS NOT NULL
      ORDER BY ${d('at')}, m.id`,
    sql`INSERT INTO ioc_notes (type, value, body, author_id, author, created_at)
      SELECT ${d('type')}, ${d('value')}, ${d('body')}, (SELECT id FROM users WHERE username = ${d('author')} COLLATE NOCASE), ${d('author')},
        coalesce(${d('createdAt')}, ${nowIso})
      FROM ${items('note')} AND NOT EXISTS (SELECT 1 FROM ioc_notes n WHERE n.type = ${d('type')} AND n.value = ${d('value')}
        AND n.author = ${d('author')} AND n.body = ${d('body')} AND n.created_at = coalesce(${d('createdAt')}, ${nowIso}))`,
    sql`INSERT INTO playbook_links (type, name, url, description, examples, tags, essential, dir, position, source_key, created_by, created_at, updated_at)
      SELECT ${d('type')}, ${d('name')}, ${d('url')}, ${d('description')}, ${d('examples')}, json(${d('tags')}), ${d('essential')}, ${d('dir')},
        ${d('position')}, ${d('sourceKey')}, ${actor.id}, ${nowIso}, ${nowIso}
      FROM ${items('playbook')} AND NOT EXISTS (SELECT 1 FROM playbook_links p WHERE p.source_key = ${d('sourceKey')})`,
    sql`UPDATE playbook_links SET parent_id = (SELECT g.id FROM playbook_links g WHERE g.type = 'group'
        AND g.source_key = (SELECT 'ziochub:' || ${d('legacyGroup')} FROM ${items('playbook')} AND ${d('sourceKey')} = playbook_links.source_key))
      WHERE parent_id IS NULL AND source_key IN (SELECT ${d('sourceKey')} FROM ${items('playbook')} AND ${d('legacyGroup')} IS NOT NULL)`,
    sql`INSERT INTO settings (key, value, updated_at, updated_by)
      SELECT ${`migration.${src}.settings`}, m.data, ${nowIso}, ${actor.username} FROM ${items('settings')}
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    // Kept kinds: one copy per key across committed migrations; applied kinds are done with.
    db
      .delete(migrationItems)
      .where(
        and(
          eq(migrationItems.batchId, batchId),
          inArray(migrationItems.kind, KEPT),
          sql`EXISTS (SELECT 1 FROM migration_items o JOIN import_batches b ON b.id = o.batch_id AND b.status = 'committed'
            WHERE o.kind = migration_items.kind AND o.key = migration_items.key AND o.batch_id <> ${batchId})`,
        ),
      ),
    db.delete(migrationItems).where(and(eq(migrationItems.batchId, batchId), inArray(migrationItems.kind, APPLIED))),
    bumpGeneration(db),
  ]
}

export interface MigrationResult {
  created: number
  skipped: number
  counts: Awaited<ReturnType<typeof commitImport>>['counts']
  batch: Awaited<ReturnType<typeof commitImport>>['batch']
  applied: Record<string, number>
}

async function count(db: Db, query: SQL): Promise<number> {
  const row = await db.get<{ n: number }>(query)
  return row?.n ?? 0
}

/** Commits a staged migration batch (admin only). Safe to repeat: natural keys everywhere. */
export async function commitMigration(db: Db, batchId: number, input: CommitOptions, actor: Actor, now: Date): Promise<MigrationResult> {
  if (actor.role !== 'admin') throw new ApiError(403, 'forbidden', 'Only an administrator can commit a migration')
  const batch = await loadBatch(db, batchId, actor, true)
  const src = batch.source
  const nowIso = now.toISOString()
  const before = {
    users: await count(db, sql`SELECT count(*) AS n FROM users`),
    campaigns: await count(db, sql`SELECT count(*) AS n FROM campaigns`),
    history: await count(db, sql`SELECT count(*) AS n FROM ioc_history`),
    notes: await count(db, sql`SELECT count(*) AS n FROM ioc_notes`),
    allowlist: await count(db, sql`SELECT count(*) AS n FROM allowlist`),
    playbook: await count(db, sql`SELECT count(*) AS n FROM playbook_links`),
    deleted: await count(db, sql`SELECT count(*) AS n FROM iocs WHERE deleted_at IS NOT NULL`),
  }
  const options = await db
    .select({ data: migrationItems.data })
    .from(migrationItems)
    .where(and(eq(migrationItems.batchId, batchId), eq(migrationItems.kind, 'options')))
    .get()
  const allowlisted = (options?.data as Partial<MigrationOptions> | undefined)?.allowlisted ?? 'exclude'

  await runBatch(db, peopleStatements(batchId, SOURCE_LABEL[src] ?? src, nowIso))
  const entries = await db
    .select({ data: migrationItems.data })
    .from(migrationItems)
    .where(and(eq(migrationItems.batchId, batchId), eq(migrationItems.kind, 'allowlist')))
  for (const { data } of entries) {
    const e = data as { kind: 'exact' | 'suffix' | 'cidr'; value: string; ipStart: string | null; ipEnd: string | null; source: string }
    if (await findAllowlistEntry(db, e.kind, e.value)) continue
    await addAllowlistEntry(
      db,
      { kind: e.kind, value: e.value, ipStart: e.ipStart, ipEnd: e.ipEnd, reason: `Imported from ${SOURCE_LABEL[src] ?? src} allowlist.txt: ${e.source}`.slice(0, 500), createdBy: actor.id },
      actor,
    )
  }
  const result = await commitImport(
    db,
    batchId,
    { ...input, source: src, allowlisted, sourceAuthors: true, afterInsert: [batchHistory(batchId, src)] },
    actor,
    now,
  )
  await runBatch(db, [
    ...restStatements(db, batchId, src, actor, nowIso),
    sql`INSERT INTO audit_log (action, outcome, actor, actor_id, source_ip, target, details)
      VALUES ('migration.commit', 'success', ${actor.username}, ${actor.id}, ${actor.ip}, ${`import:${batchId}`},
        json_object('source', ${src}, 'created', ${result.created}))`,
  ])
  const after = {
    users: await count(db, sql`SELECT count(*) AS n FROM users`),
    campaigns: await count(db, sql`SELECT count(*) AS n FROM campaigns`),
    history: await count(db, sql`SELECT count(*) AS n FROM ioc_history`),
    notes: await count(db, sql`SELECT count(*) AS n FROM ioc_notes`),
    allowlist: await count(db, sql`SELECT count(*) AS n FROM allowlist`),
    playbook: await count(db, sql`SELECT count(*) AS n FROM playbook_links`),
    deleted: await count(db, sql`SELECT count(*) AS n FROM iocs WHERE deleted_at IS NOT NULL`),
  }
  const applied = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof typeof before]]))
  return { ...result, applied }
}

/** Commit any staged batch: migrations through `commitMigration`, the rest as plain imports. */
export async function commitBatch(db: Db, batchId: number, input: CommitOptions, actor: Actor, now: Date) {
  const batch = await db.select({ source: importBatches.source }).from(importBatches).where(eq(importBatches.id, batchId)).get()
  if (batch && MIGRATION_SOURCES.has(batch.source)) return commitMigration(db, batchId, input, actor, now)
  return commitImport(db, batchId, input, actor, now)
}

/** The YARA rules a migration brought, for the YARA Manager to store (`storeYaraRules`). */
export async function migratedYaraRules(db: Db) {
  const rows = await db
    .select({ batchId: migrationItems.batchId, data: migrationItems.data })
    .from(migrationItems)
    .innerJoin(importBatches, and(eq(importBatches.id, migrationItems.batchId), eq(importBatches.status, 'committed')))
    .where(eq(migrationItems.kind, 'yara'))
  return rows.map((r) => ({ batchId: r.batchId, ...(r.data as unknown as import('../domain/legacy-yara').LegacyYaraRule) }))
}
