import { sql } from 'drizzle-orm'
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { CustomFeedFilters, CustomFeedPolicy } from './contracts/custom-feeds'
import { users } from './tables'

// Same timestamp convention as tables.ts: ISO-8601 UTC text with milliseconds.
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * An admin-defined feed at `/feed/custom/<slug>`: a format, filters and a policy. Membership is
 * never stored: every build evaluates the filters against the current IOCs, so the body follows
 * every write. `version` is bumped on every edit and is part of the cache key.
 */
export const customFeeds = sqliteTable(
  'custom_feeds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Lowercase letters, digits and dashes (contracts/custom-feeds.ts); never used to build a path.
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    format: text('format').notNull(),
    // CSV columns in order (format csv only).
    columns: text('columns', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    filters: text('filters', { mode: 'json' }).$type<CustomFeedFilters>().notNull(),
    policy: text('policy', { mode: 'json' }).$type<CustomFeedPolicy>().notNull(),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('custom_feeds_slug').on(t.slug)],
)
