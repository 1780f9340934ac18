// The SQL of one MISP pull, run as ONE D1 batch (one SQLite transaction) after the pages are read:
// stage every indicator as an import batch (the same classification as a bulk import: live
// duplicates, allowlist, sanity and warninglist warnings), then in the same transaction extend
// re-seen IOCs, create the new ones, link attributes, hold warnings for review, move the cursor.
// An interrupted pull leaves nothing behind: no IOC, no link, no cursor movement.
import { sql, type SQL } from 'drizzle-orm'
import type { MispConfig } from '../../schema/contracts/misp'
import type { IocType } from '../domain/ioc'
import { expiryFromTtl, TTL_PRESETS, type TtlPreset } from '../domain/ttl'
import type { Db } from '../env'
import { classifyStatements, initialSelectionStatement } from '../repos/imports'
import { bumpGeneration } from '../repos/generation'
import { stageStatements, type PreparedRow } from './imports'

export const MAIN_FORMAT = 'misp'
export const HELD_FORMAT = 'misp-review'

/** The pull's batch, inside the transaction that creates it (the lease keeps pulls one at a time). */
const MAIN_SQL = `(SELECT max(id) FROM import_batches WHERE format = '${MAIN_FORMAT}')`
const MAIN = sql.raw(MAIN_SQL)
/** The batch of held warning rows, created after MAIN in the same transaction (NULL when none). */
const HELD = sql.raw(`(SELECT max(id) FROM import_batches WHERE format = '${HELD_FORMAT}' AND id > ${MAIN_SQL})`)

export function ttlGroup(type: IocType): keyof MispConfig['ttl'] {
  return type === 'md5' || type === 'sha1' || type === 'sha256' ? 'hash' : type
}

export interface CommitContext {
  config: MispConfig
  mispUserId: number
  runId: number
  now: Date
  defaultConfidence: number
  severity: string
  /** Newest attribute timestamp among the rows (the next cursor), or null. */
  cursorTo: number | null
}

function expiryCase(col: SQL, now: Date): SQL {
  const at = Object.fromEntries(TTL_PRESETS.map((t) => [t, expiryFromTtl(t, now)])) as Record<TtlPreset, string | null>
  return sql`CASE ${col} WHEN '1w' THEN ${at['1w']} WHEN '1m' THEN ${at['1m']} WHEN '3m' THEN ${at['3m']} WHEN '1y' THEN ${at['1y']} ELSE NULL END`
}

/** The expiry MISP gives an IOC of the row's type now (null = permanent). */
function typeExpiry(col: SQL, ctx: CommitContext): SQL {
  const { ttl } = ctx.config
  const e = (g: keyof MispConfig['ttl']) => expiryFromTtl(ttl[g], ctx.now)
  return sql`CASE ${col} WHEN 'ip' THEN ${e('ip')} WHEN 'domain' THEN ${e('domain')} WHEN 'url' THEN ${e('url')}
    WHEN 'email' THEN ${e('email')} ELSE ${e('hash')} END`
}

/**
 * Every statement of the pull's transaction, in order. Index 0 returns the batch id; the index
 * named `extend` reports how many IOCs got a later expiry.
 */
export function pullStatements(db: Db, rows: PreparedRow[], ctx: CommitContext) {
  const nowIso = ctx.now.toISOString()
  const actor = { id: ctx.mispUserId, username: 'misp', role: 'analyst' as const, ip: '' }
  const policy = ctx.config.warningPolicy
  const linked = policy === 'skip' ? sql`('new', 'duplicate')` : sql`('new', 'duplicate', 'warning')`
  const eligible = sql`r.batch_id = ${MAIN} AND r.selected AND r.status IN ('new', 'warning')`
  const newExpiry = typeExpiry(sql`i.type`, ctx)
  // Re-seen: a live IOC (anyone's) that a new or changed attribute names again gets MISP's expiry
  // when that is later; never shorter, and permanent stays permanent.
  const reseen = sql`i.id IN (SELECT dup_ioc_id FROM import_rows WHERE batch_id = ${MAIN} AND status = 'duplicate')
    AND i.deleted_at IS NULL AND i.expires_at IS NOT NULL AND (${newExpiry} IS NULL OR ${newExpiry} > i.expires_at)`
  const head = [
    ...stageStatements(db, { source: 'misp', format: MAIN_FORMAT, filename: `MISP pull #${ctx.runId}`, rows }, actor, nowIso, MAIN),
    ...(policy === 'import' ? [sql`UPDATE import_rows SET selected = 1 WHERE batch_id = ${MAIN} AND status = 'warning'`] : []),
    sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
      SELECT i.id, i.type, i.value, CASE WHEN i.expires_at <= ${nowIso} THEN 'reactivated' ELSE 'edited' END, ${ctx.mispUserId}, 'misp', ${nowIso},
        json_object('expiresAt', json_array(i.expires_at, ${newExpiry}), 'reason', 'misp_reseen', 'source', 'misp')
      FROM iocs i WHERE ${reseen}`,
  ]
  // The re-seen history insert (one row per extended IOC, no triggers): the UPDATE's change count
  // would include the stats roll-up triggers' writes.
  const extend = head.length - 1
  const statements = [
    ...head,
    sql`UPDATE iocs AS i SET expires_at = ${newExpiry}, expiry_logged = 0, updated_at = ${nowIso}, updated_by = ${ctx.mispUserId} WHERE ${reseen}`,
    sql`INSERT INTO campaigns (name, created_by, created_at, updated_at)
      SELECT min(r.campaign), ${ctx.mispUserId}, ${nowIso}, ${nowIso} FROM import_rows r
      WHERE ${eligible} AND r.campaign IS NOT NULL AND NOT EXISTS (SELECT 1 FROM campaigns WHERE name = r.campaign COLLATE NOCASE)
      GROUP BY lower(r.campaign)`,
    sql`INSERT INTO iocs (type, value, host, ip_start, ip_end, expires_at, ticket, comment, campaign_id, tags, confidence,
        severity, source, created_by, incarnation, import_batch_id, created_at, updated_at)
      SELECT r.type, r.value, r.host, r.ip_start, r.ip_end, ${expiryCase(sql`r.ttl`, ctx.now)}, coalesce(nullif(r.ticket, ''), 'MISP'),
        coalesce(r.comment, ''), (SELECT id FROM campaigns WHERE name = r.campaign COLLATE NOCASE), coalesce(r.tags, '[]'),
        coalesce(json_extract(r.extra, '$.confidence'), ${ctx.defaultConfidence}), ${ctx.severity}, 'misp', ${ctx.mispUserId},
        (SELECT count(*) + 1 FROM iocs o WHERE o.value = r.value AND +o.type = r.type), r.batch_id, ${nowIso}, ${nowIso}
      FROM import_rows r WHERE ${eligible} ORDER BY r.idx`,
    sql`INSERT INTO ioc_tags (ioc_id, tag) SELECT DISTINCT i.id, t.value FROM iocs i, json_each(i.tags) t WHERE i.import_batch_id = ${MAIN}`,
    sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
      SELECT i.id, i.type, i.value, 'created', ${ctx.mispUserId}, 'misp', ${nowIso},
        json_object('value', i.value, 'type', i.type, 'expiresAt', i.expires_at, 'ticket', i.ticket, 'campaignId', i.campaign_id,
                    'tags', json(i.tags), 'source', 'misp', 'importBatch', i.import_batch_id,
                    'mispEvent', json_extract(r.extra, '$.eventId'), 'mispAttribute', json_extract(r.extra, '$.uuid'))
      FROM iocs i JOIN import_rows r ON r.batch_id = i.import_batch_id AND r.type = i.type AND r.value = i.value
        AND r.selected AND r.status IN ('new', 'warning')
      WHERE i.import_batch_id = ${MAIN}`,
    sql`INSERT INTO misp_attributes (uuid, ioc_type, ioc_value, event_uuid, event_id, misp_type, attr_timestamp, first_seen_at, last_seen_at)
      SELECT json_extract(extra, '$.uuid'), type, value, json_extract(extra, '$.eventUuid'), json_extract(extra, '$.eventId'),
        json_extract(extra, '$.mispType'), json_extract(extra, '$.ts'), ${nowIso}, ${nowIso}
      FROM import_rows WHERE batch_id = ${MAIN} AND status IN ${linked} AND true
      ON CONFLICT (uuid, ioc_type, ioc_value) DO UPDATE SET attr_timestamp = excluded.attr_timestamp, last_seen_at = excluded.last_seen_at,
        event_uuid = excluded.event_uuid, event_id = excluded.event_id, misp_type = excluded.misp_type,
        withdrawn_at = NULL, withdrawn_reason = NULL, withdrawn_run = NULL`,
    ...(policy === 'review' ? heldStatements(ctx, nowIso) : []),
    sql`UPDATE import_batches SET status = 'committed', committed_by = ${ctx.mispUserId}, committed_at = ${nowIso}, updated_at = ${nowIso},
        result = json_object('created', (SELECT count(*) FROM iocs WHERE import_batch_id = ${MAIN}))
      WHERE id = ${MAIN}`,
    cursorStatement(ctx.cursorTo),
    bumpGeneration(db),
  ]
  return { statements, extend }
}

/** Warning rows wait in their own staged batch (created by `misp`) for an analyst to review. */
function heldStatements(ctx: CommitContext, nowIso: string) {
  return [
    sql`INSERT INTO import_batches (source, format, filename, status, row_count, notes, options, created_by, created_at, updated_at)
      SELECT 'misp', ${HELD_FORMAT}, ${`MISP pull #${ctx.runId}: held for review`}, 'staged', count(*), '[]', '{}', ${ctx.mispUserId}, ${nowIso}, ${nowIso}
      FROM import_rows WHERE batch_id = ${MAIN} AND status = 'warning' HAVING count(*) > 0`,
    sql`INSERT INTO import_rows (batch_id, idx, line, raw, type, value, host, ip_start, ip_end, suffixes, ticket, comment, campaign, tags,
        ttl, expires_at, created_at, error, warnings, listed, extra)
      SELECT ${HELD}, row_number() OVER (ORDER BY idx) - 1, line, raw, type, value, host, ip_start, ip_end, suffixes, ticket, comment,
        campaign, tags, ttl, expires_at, created_at, error, warnings, listed, extra
      FROM import_rows WHERE batch_id = ${MAIN} AND status = 'warning'`,
    ...classifyStatements(HELD),
    initialSelectionStatement(HELD),
  ]
}

/** The cursor only moves forward, and only in the transaction that commits what it covers. */
export function cursorStatement(cursorTo: number | null) {
  return sql`UPDATE misp_sync_state SET cursor = max(coalesce(cursor, 0), ${cursorTo}) WHERE id = 1 AND ${cursorTo} IS NOT NULL`
}

export { MAIN as MAIN_BATCH_REF }
