import { desc, eq, sql } from 'drizzle-orm'
import { MISP_DEFAULTS, MispConfig, type MispRun, type MispRunResult } from '../../schema/contracts/misp'
import { mispRuns, mispSyncState } from '../../schema/misp'
import { settings } from '../../schema/tables'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'

/** The settings row holding every MISP option but the API key (`misp.apiKey`, secret-settings.ts). */
export const CONFIG_KEY = 'misp.config'
/** A pull holds the lease this long, renewed after every page. */
export const LEASE_MS = 15 * 60_000

export type MispStateRow = typeof mispSyncState.$inferSelect
export type MispRunRow = typeof mispRuns.$inferSelect

/** Saved settings over the defaults; a value that no longer validates falls back to its default. */
export async function getMispConfig(db: Db): Promise<MispConfig> {
  const row = await db.select().from(settings).where(eq(settings.key, CONFIG_KEY)).get()
  const stored = (row?.value ?? {}) as Record<string, unknown>
  const merged: Record<string, unknown> = { ...MISP_DEFAULTS }
  for (const [k, v] of Object.entries(stored)) {
    if (!(k in MISP_DEFAULTS)) continue
    const one = MispConfig.shape[k as keyof MispConfig].safeParse(v)
    if (one.success) merged[k] = one.data
  }
  return merged as MispConfig
}

export function saveMispConfigStatement(db: Db, config: MispConfig, actor: string) {
  const at = new Date().toISOString()
  return db
    .insert(settings)
    .values({ key: CONFIG_KEY, value: config, updatedAt: at, updatedBy: actor })
    .onConflictDoUpdate({ target: settings.key, set: { value: config, updatedAt: at, updatedBy: actor } })
}

export async function getMispState(db: Db): Promise<MispStateRow> {
  const row = await db.select().from(mispSyncState).where(eq(mispSyncState.id, 1)).get()
  return (
    row ?? {
      id: 1,
      cursor: null,
      leaseToken: null,
      leaseUntil: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastStatus: null,
      lastError: null,
      lastReconcileAt: null,
      nextReconcileAt: null,
      lastRunId: null,
    }
  )
}

/**
 * Takes the one pull lease (or returns false while another pull holds it). A run left `running`
 * by a pull whose lease ran out (a crash) is closed as interrupted.
 */
export async function acquireLease(db: Db, token: string, now: Date): Promise<boolean> {
  const nowIso = now.toISOString()
  const until = new Date(now.getTime() + LEASE_MS).toISOString()
  const [, taken] = await runBatch(db, [
    db.insert(mispSyncState).values({ id: 1 }).onConflictDoNothing(),
    db
      .update(mispSyncState)
      .set({ leaseToken: token, leaseUntil: until })
      .where(sql`id = 1 AND (lease_until IS NULL OR lease_until < ${nowIso})`),
  ])
  if (!taken.meta.changes) return false
  await db
    .update(mispRuns)
    .set({ status: 'error', error: 'interrupted (the pull stopped without finishing)', finishedAt: nowIso })
    .where(eq(mispRuns.status, 'running'))
  return true
}

export async function renewLease(db: Db, token: string) {
  const until = new Date(Date.now() + LEASE_MS).toISOString()
  await db.update(mispSyncState).set({ leaseUntil: until }).where(eq(mispSyncState.leaseToken, token))
}

export function releaseLeaseStatement(db: Db, token: string) {
  return db.update(mispSyncState).set({ leaseToken: null, leaseUntil: null }).where(eq(mispSyncState.leaseToken, token))
}

export async function startRun(db: Db, run: { trigger: 'schedule' | 'manual'; actor: string; actorId: number | null; full: boolean; at: string }) {
  const [row] = await runBatch(db, [
    db.insert(mispRuns).values({ trigger: run.trigger, actor: run.actor, actorId: run.actorId, full: run.full, startedAt: run.at }).returning({ id: mispRuns.id }),
    db.update(mispSyncState).set({ lastAttemptAt: run.at }).where(eq(mispSyncState.id, 1)),
  ])
  return (row.results[0] as { id: number }).id
}

export function finishRunStatement(
  db: Db,
  id: number,
  patch: { status: 'ok' | 'error'; error?: string | null; result: MispRunResult | null; batchId?: number | null; heldBatchId?: number | null },
) {
  return db
    .update(mispRuns)
    .set({
      status: patch.status,
      error: patch.error ?? null,
      result: patch.result,
      finishedAt: new Date().toISOString(),
      ...(patch.batchId !== undefined ? { batchId: patch.batchId } : {}),
      ...(patch.heldBatchId !== undefined ? { heldBatchId: patch.heldBatchId } : {}),
    })
    .where(eq(mispRuns.id, id))
}

export function runView(r: MispRunRow): MispRun {
  return {
    id: r.id,
    trigger: r.trigger,
    actor: r.actor,
    status: r.status,
    full: r.full,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    result: (r.result as MispRunResult | null) ?? null,
    batchId: r.batchId,
    heldBatchId: r.heldBatchId,
  }
}

export async function listRuns(db: Db, limit: number) {
  const rows = await db.select().from(mispRuns).orderBy(desc(mispRuns.id)).limit(limit)
  return rows.map(runView)
}

export async function getRun(db: Db, id: number) {
  const row = await db.select().from(mispRuns).where(eq(mispRuns.id, id)).get()
  return row ? runView(row) : undefined
}

/** Newest attribute timestamp already linked (and not withdrawn) per uuid, for these uuids. */
export async function knownTimestamps(db: Db, uuids: string[]): Promise<Map<string, number>> {
  const known = new Map<string, number>()
  for (let i = 0; i < uuids.length; i += 5000) {
    const chunk = JSON.stringify(uuids.slice(i, i + 5000))
    const rows = await db.all<{ uuid: string; ts: number }>(
      sql`SELECT uuid, max(attr_timestamp) AS ts FROM misp_attributes
          WHERE uuid IN (SELECT value FROM json_each(${chunk})) AND withdrawn_at IS NULL GROUP BY uuid`,
    )
    for (const r of rows) known.set(r.uuid, r.ts)
  }
  return known
}

/** Links to re-check: not withdrawn, and their indicator is a live IOC the `misp` user created. */
export async function linksToReconcile(db: Db, mispUserId: number) {
  return db.all<{ uuid: string; iocType: string; iocValue: string }>(
    sql`SELECT a.uuid, a.ioc_type AS iocType, a.ioc_value AS iocValue FROM misp_attributes a
        WHERE a.withdrawn_at IS NULL AND EXISTS (SELECT 1 FROM iocs i WHERE i.type = a.ioc_type AND i.value = a.ioc_value
          AND i.deleted_at IS NULL AND i.created_by = ${mispUserId})
        ORDER BY a.uuid`,
  )
}

export async function getMispUserId(db: Db): Promise<number> {
  const row = await db.get<{ id: number }>(sql`SELECT id FROM users WHERE username = 'misp' AND source = 'system'`)
  if (!row) throw new Error("the system user 'misp' is missing (migration 0007)")
  return row.id
}
