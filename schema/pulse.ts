import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// Feed Pulse roll-ups. Both are kept by triggers written by hand at the end of this area's
// migration (schema/pulse-triggers.sql), so every writer path (single submit, bulk commit, MISP,
// the expiry sweep, feed builds) feeds them in its own transaction and Feed Pulse never scans the
// IOC table to count a window.

/**
 * IOCs that came in (`in`, from `iocs` inserts, by `source`) and went out (`deleted`, `expired`,
 * from `ioc_history`; `source` empty) per UTC hour (`YYYY-MM-DDTHH`) and IOC type.
 */
export const pulseHourly = sqliteTable(
  'pulse_hourly',
  {
    hour: text('hour').notNull(),
    event: text('event', { enum: ['in', 'deleted', 'expired'] }).notNull(),
    type: text('type').notNull(),
    source: text('source').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.event, t.type, t.source] })],
)

/** The size of each published feed body, one sample per feed and UTC hour (the last build of that hour). */
export const feedSizeHistory = sqliteTable(
  'feed_size_history',
  {
    feed: text('feed').notNull(),
    hour: text('hour').notNull(),
    entries: integer('entries').notNull(),
    bytes: integer('bytes').notNull(),
    at: text('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.feed, t.hour] })],
)
