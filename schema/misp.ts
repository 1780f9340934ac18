import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * The MISP pull's state: one row (id 1). The lease keeps one pull at a time (scheduled or "pull
 * now"); the cursor is the newest attribute `timestamp` (MISP's clock, epoch seconds) committed.
 */
export const mispSyncState = sqliteTable('misp_sync_state', {
  id: integer('id').primaryKey(),
  cursor: integer('cursor'),
  leaseToken: text('lease_token'),
  leaseUntil: text('lease_until'),
  lastAttemptAt: text('last_attempt_at'),
  lastSuccessAt: text('last_success_at'),
  lastStatus: text('last_status', { enum: ['ok', 'error'] }),
  lastError: text('last_error'),
  lastReconcileAt: text('last_reconcile_at'),
  // The daily check for removals is due from here (a day after the first pull, then after each check).
  nextReconcileAt: text('next_reconcile_at'),
  lastRunId: integer('last_run_id'),
})

/** One row per pull (scheduled or manual): what the admin screen's history shows. */
export const mispRuns = sqliteTable(
  'misp_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    actor: text('actor').notNull(),
    actorId: integer('actor_id'),
    status: text('status', { enum: ['running', 'ok', 'error'] }).notNull().default('running'),
    full: integer('full', { mode: 'boolean' }).notNull().default(false),
    startedAt: text('started_at').notNull().default(now),
    finishedAt: text('finished_at'),
    error: text('error'),
    // Counts, skips by reason and by MISP type, samples, cursor movement (contracts/misp.ts MispRunResult).
    result: text('result', { mode: 'json' }),
    batchId: integer('batch_id'),
    heldBatchId: integer('held_batch_id'),
  },
  (t) => [index('misp_runs_started').on(t.startedAt)],
)

/**
 * Which MISP attribute gave which indicator: (attribute uuid, Moat type, Moat value). One
 * attribute may give two (`domain|ip`), one indicator may come from many attributes. Linked by
 * value, not IOC id, so a link follows the indicator through re-creation. A link is withdrawn when
 * MISP deletes the attribute, unpublishes it or clears to_ids; an IOC the `misp` user created is
 * expired when its last link is withdrawn.
 */
export const mispAttributes = sqliteTable(
  'misp_attributes',
  {
    uuid: text('uuid').notNull(),
    iocType: text('ioc_type').notNull(),
    iocValue: text('ioc_value').notNull(),
    eventUuid: text('event_uuid'),
    eventId: text('event_id'),
    mispType: text('misp_type').notNull(),
    // The attribute's own `timestamp` (epoch seconds): first_seen_source.
    attrTimestamp: integer('attr_timestamp').notNull(),
    firstSeenAt: text('first_seen_at').notNull().default(now),
    lastSeenAt: text('last_seen_at').notNull().default(now),
    withdrawnAt: text('withdrawn_at'),
    withdrawnReason: text('withdrawn_reason'),
    withdrawnRun: integer('withdrawn_run'),
  },
  (t) => [
    primaryKey({ columns: [t.uuid, t.iocType, t.iocValue] }),
    index('misp_attributes_ioc').on(t.iocType, t.iocValue),
    index('misp_attributes_withdrawn_run').on(t.withdrawnRun).where(sql`withdrawn_run IS NOT NULL`),
  ],
)
