import { sql } from 'drizzle-orm'
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { importBatches } from './tables'

/**
 * What a migration (`moat import ziochub|threatgate`) brings besides the IOC rows: users,
 * campaigns, history, notes, allowlist entries, playbook links, YARA rules, avatars (in `blob`), and
 * the records Moat keeps for later features (sanity exclusions, team goals, activity, rank
 * snapshots, preferences). Staged with the batch, applied idempotently when it is committed; the
 * applied kinds are then removed and the kept kinds stay, one copy per natural `key`.
 */
export const migrationItems = sqliteTable(
  'migration_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    // Natural key of the item in its kind (username, campaign name, source row id...).
    key: text('key').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    blob: blob('blob', { mode: 'buffer' }),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index('migration_items_batch').on(t.batchId, t.kind), index('migration_items_kind_key').on(t.kind, t.key)],
)
