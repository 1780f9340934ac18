import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { users } from './tables'

/**
 * Hunter's Playbook entries: investigation sites, groups of them and workflows. `description` and
 * `examples` are Markdown with no HTML (stripped on the way in); `url` is http(s) only.
 */
export const playbookLinks = sqliteTable(
  'playbook_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type', { enum: ['site', 'group', 'workflow'] }).notNull(),
    name: text('name').notNull(),
    url: text('url'),
    description: text('description').notNull().default(''),
    examples: text('examples').notNull().default(''),
    // IOC types the entry applies to (empty = all).
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    essential: integer('essential', { mode: 'boolean' }).notNull().default(false),
    dir: text('dir', { enum: ['ltr', 'rtl'] }),
    // The group this entry belongs to, if any.
    parentId: integer('parent_id'),
    position: integer('position').notNull().default(0),
    // Where an imported entry came from (`ziochub:<item id>`): a second import skips it.
    sourceKey: text('source_key'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [index('playbook_links_position').on(t.parentId, t.position), uniqueIndex('playbook_links_source_key').on(t.sourceKey)],
)
