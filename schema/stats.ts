import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { users } from './tables'

// Live Stats, Champs and Intelligence Reports. The roll-up tables are kept in step with `iocs` by
// triggers (written by hand at the end of this area's migration), so every writer path (single
// submit, bulk commit, MISP, the expiry sweep, allowlist changes) updates them in its own
// transaction and Live Stats never scans the IOC table.

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * Counts of "counted" IOCs (live, not excluded, not allowlisted, expiry not yet logged by the
 * sweep) per dimension: `type`, `country`, `tld` (domain and URL hosts), `email_domain`. Active =
 * counted minus the few whose expiry passed since the last sweep (found by `iocs_unswept_expiry`).
 */
export const statsRollup = sqliteTable(
  'stats_rollup',
  {
    dim: text('dim', { enum: ['type', 'country', 'tld', 'email_domain'] }).notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.dim, t.key] }), index('stats_rollup_top').on(t.dim, t.n)],
)

/** The first IOC ever seen with a country, TLD or email domain: a "rare find" (first-come, never replaced). */
export const statsFirsts = sqliteTable(
  'stats_firsts',
  {
    dim: text('dim', { enum: ['country', 'tld', 'email_domain'] }).notNull(),
    key: text('key').notNull(),
    iocId: integer('ioc_id').notNull(),
    userId: integer('user_id').notNull(),
    at: text('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.dim, t.key] }), index('stats_firsts_user').on(t.userId, t.at), index('stats_firsts_at').on(t.at)],
)

/** Activity that has no row of its own elsewhere: rank changes, goal milestones (ticker, spotlight). */
export const activityEvents = sqliteTable(
  'activity_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull().default(now),
    kind: text('kind', { enum: ['rank_change', 'goal_progress'] }).notNull(),
    userId: integer('user_id'),
    // rank_change: {rank, previous, overtaken}; goal_progress: {goalId, title, percent, period}
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    // Makes a milestone or a day's rank change idempotent (`goal:3:2026-11-23:50`).
    dedupeKey: text('dedupe_key').unique(),
  },
  (t) => [index('activity_events_at').on(t.at)],
)

/** One row per user and (configured time zone) day: yesterday's rank for the trend arrows. */
export const champsRankSnapshots = sqliteTable(
  'champs_rank_snapshots',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    rank: integer('rank').notNull(),
    score: integer('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.date] }), index('champs_rank_snapshots_date').on(t.date)],
)

/** Team goals: one active at a time (creating one deactivates the others). */
export const teamGoals = sqliteTable(
  'team_goals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    targetValue: integer('target_value').notNull(),
    unit: text('unit').notNull().default(''),
    goalType: text('goal_type', { enum: ['ioc_add', 'yara_add', 'deletion'] }).notNull(),
    period: text('period', { enum: ['weekly', 'monthly'] }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('team_goals_active').on(t.active, t.id)],
)
