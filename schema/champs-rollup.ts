import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// Champs leaderboard roll-up: IOCs counted per analyst, creation instant and every attribute a
// scoring method reads, kept in step with `iocs` by triggers (hand-written at the end of this
// migration, schema/champs-rollup-triggers.sql). The leaderboard reads these groups instead of
// grouping the IOC table, so it costs O(groups), not O(IOCs): a 100k-row import is a few rows here.

export const champsIocGroups = sqliteTable(
  'champs_ioc_groups',
  {
    userId: integer('user_id').notNull(),
    // The IOC's created_at (exact, so the leaderboard's per-minute groups and their first instant are unchanged).
    at: text('at').notNull(),
    type: text('type').notNull(),
    campaign: integer('campaign').notNull(),
    comment: text('comment').notNull(),
    ticket: text('ticket').notNull(),
    tags: integer('tags').notNull(),
    expires: integer('expires').notNull(),
    bulk: integer('bulk').notNull(),
    // Deleted within 7 days of creation and allowlisted or critical (method #6 penalty).
    penalized: integer('penalized').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.at, t.type, t.campaign, t.comment, t.ticket, t.tags, t.expires, t.bulk, t.penalized] })],
)
