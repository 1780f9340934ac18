import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * Every STIX 2.1 object version Moat has published, append-only except for the `latest` flag.
 * TAXII serves from here: `date_added` is when Moat stored the version (microseconds, strictly
 * increasing with `seq`), so `added_after` and keyset pages never skip or repeat. The content of
 * a version never changes once published (`data` is its snapshot); a change of the IOC is a new
 * row. Rows come from the publisher (services/stix-publish.ts), never from the IOC write paths.
 */
export const stixVersions = sqliteTable(
  'stix_versions',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    dateAdded: text('date_added').notNull(),
    stixId: text('stix_id').notNull(),
    // What the object is about: an IOC type (ip, domain, ...), 'identity' (later 'yara'); the
    // collections filter on it.
    kind: text('kind').notNull(),
    // Where it came from: 'ioc' (source_id = iocs.id), 'identity' (0); later 'yara'.
    source: text('source').notNull(),
    sourceId: integer('source_id').notNull(),
    created: text('created').notNull(),
    modified: text('modified').notNull(),
    revoked: integer('revoked', { mode: 'boolean' }).notNull().default(false),
    // 1 on the newest version of its object.
    latest: integer('latest', { mode: 'boolean' }).notNull().default(true),
    // The indicator's valid_until (the IOC's expiry): an active object past it gets revoked.
    validUntil: text('valid_until'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('stix_versions_added').on(t.dateAdded),
    index('stix_versions_kind_added').on(t.kind, t.dateAdded),
    index('stix_versions_latest_kind').on(t.kind, t.dateAdded).where(sql`latest = 1`),
    index('stix_versions_latest_added').on(t.dateAdded).where(sql`latest = 1`),
    index('stix_versions_object').on(t.stixId, t.dateAdded),
    index('stix_versions_source').on(t.source, t.sourceId).where(sql`latest = 1`),
    index('stix_versions_due').on(t.validUntil).where(sql`latest = 1 AND revoked = 0 AND valid_until IS NOT NULL`),
  ],
)

/**
 * The publisher's progress, one row per publishing round. A round claims the next `round` number
 * in the same batch as its versions, so two publishers racing (two isolates, or a request and the
 * cron) cannot both publish the same changes: the loser's batch fails on the primary key.
 */
export const stixSync = sqliteTable('stix_sync', {
  round: integer('round').primaryKey(),
  // ioc_history rows up to this id have been looked at.
  historyId: integer('history_id').notNull(),
  // iocs rows up to this id have been looked at.
  iocId: integer('ioc_id').notNull(),
  at: text('at').notNull(),
})
