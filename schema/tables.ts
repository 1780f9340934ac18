import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

// Timestamps are ISO-8601 UTC strings with milliseconds (`2026-11-23T21:34:01.123Z`): they sort
// as text, read well in the database file, and never carry a local time zone.
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    email: text('email').notNull().default(''),
    role: text('role', { enum: ['admin', 'analyst', 'viewer'] }).notNull(),
    roleDescription: text('role_description').notNull().default(''),
    source: text('source', { enum: ['local', 'ldap', 'system'] }).notNull().default('local'),
    passwordHash: text('password_hash'),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    // Bumped on password change, reset, deactivation and logout-everywhere: every older session dies.
    tokenVersion: integer('token_version').notNull().default(1),
    locale: text('locale', { enum: ['en', 'he'] }).notNull().default('en'),
    theme: text('theme', { enum: ['light', 'dark', 'system'] }).notNull().default('system'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: text('locked_until'),
    lastLoginAt: text('last_login_at'),
    passwordChangedAt: text('password_changed_at'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('users_username_nocase').on(sql`${t.username} COLLATE NOCASE`)],
)

export const userAvatars = sqliteTable('user_avatars', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  mime: text('mime').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
  sha256: text('sha256').notNull(),
  updatedAt: text('updated_at').notNull().default(now),
})

/** Failed-login counters per source address (per-user counters live on `users`). */
export const loginThrottle = sqliteTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: text('locked_until'),
  updatedAt: text('updated_at').notNull().default(now),
})

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull().default(now),
  updatedBy: text('updated_by'),
})

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull().default(now),
    action: text('action').notNull(),
    outcome: text('outcome', { enum: ['success', 'failure'] }).notNull(),
    severity: integer('severity').notNull().default(3),
    actor: text('actor'),
    actorId: integer('actor_id'),
    sourceIp: text('source_ip'),
    target: text('target'),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_action_at').on(t.action, t.at)],
)

/** One row per scheduled job: what /health and the admin screens report. */
export const jobRuns = sqliteTable('job_runs', {
  name: text('name').primaryKey(),
  lastStartedAt: text('last_started_at'),
  lastFinishedAt: text('last_finished_at'),
  lastSuccessAt: text('last_success_at'),
  lastOutcome: text('last_outcome'),
  lastError: text('last_error'),
  lastResult: text('last_result', { mode: 'json' }),
  runs: integer('runs').notNull().default(0),
})

// ---- IOCs ---------------------------------------------------------------------------------

export const campaigns = sqliteTable(
  'campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('campaigns_name_nocase').on(sql`${t.name} COLLATE NOCASE`)],
)

/**
 * One row per indicator incarnation. A deleted IOC keeps its row (`deleted_at`), so `(type, value)`
 * is unique only among live rows, and re-creating it makes a new incarnation.
 */
export const iocs = sqliteTable(
  'iocs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type', { enum: ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] }).notNull(),
    value: text('value').notNull(),
    // Host part for domain/url/email (domain suffix allowlisting); IP range as fixed-width hex for
    // ip IOCs and URLs on an IP (CIDR containment and overlap with plain string comparison).
    host: text('host'),
    ipStart: text('ip_start'),
    ipEnd: text('ip_end'),
    expiresAt: text('expires_at'),
    // The sweep records one `expired` history event per expiry; extending the expiry re-arms it.
    expiryLogged: integer('expiry_logged', { mode: 'boolean' }).notNull().default(false),
    ticket: text('ticket').notNull(),
    comment: text('comment').notNull().default(''),
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    confidence: integer('confidence').notNull().default(70),
    severity: text('severity', { enum: ['low', 'medium', 'high', 'critical'] }).notNull().default('medium'),
    source: text('source').notNull().default('ui'),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    updatedBy: integer('updated_by').references(() => users.id),
    excludedAt: text('excluded_at'),
    excludedBy: integer('excluded_by').references(() => users.id),
    excludeReason: text('exclude_reason'),
    // Set by allowlist changes (write time), so feeds filter with one column, not a join.
    allowlistedBy: integer('allowlisted_by'),
    deletedAt: text('deleted_at'),
    deletedBy: integer('deleted_by').references(() => users.id),
    incarnation: integer('incarnation').notNull().default(1),
    // The bulk import that created this row (null for single submissions).
    importBatchId: integer('import_batch_id'),
    // GeoIP country (ISO 3166-1 alpha-2) of an ip IOC, looked up at write time (stats roll-ups,
    // schema/stats.ts); '' = looked up, not in the database; NULL = not looked up yet.
    country: text('country'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    index('iocs_import_batch').on(t.importBatchId).where(sql`import_batch_id IS NOT NULL`),
    uniqueIndex('iocs_live_type_value').on(t.type, t.value).where(sql`deleted_at IS NULL`),
    index('iocs_value').on(t.value),
    index('iocs_created_at').on(t.createdAt),
    // Newest-first listing of one type stops after a page instead of sorting every row of the type.
    index('iocs_type_created').on(t.type, t.createdAt),
    index('iocs_created_by').on(t.createdBy, t.createdAt),
    index('iocs_expires_at').on(t.expiresAt),
    index('iocs_campaign').on(t.campaignId),
    index('iocs_ticket').on(t.ticket),
    index('iocs_host').on(t.host),
    index('iocs_ip_start').on(t.ipStart),
    // Stats (schema/stats.ts): ip rows still waiting for a GeoIP lookup, and live rows whose expiry
    // the sweep has not logged yet (the few that make roll-up counts exact between sweeps).
    index('iocs_country_pending').on(t.id).where(sql`country IS NULL AND type = 'ip' AND deleted_at IS NULL`),
    index('iocs_unswept_expiry').on(t.expiresAt).where(sql`expiry_logged = 0 AND deleted_at IS NULL AND expires_at IS NOT NULL`),
    // Covering index for feed builds: type, value and expiry straight from the index, in value order.
    index('iocs_served_feed').on(t.type, t.value, t.expiresAt).where(sql`deleted_at IS NULL AND excluded_at IS NULL AND allowlisted_by IS NULL`),
  ],
)

export const iocTags = sqliteTable(
  'ioc_tags',
  {
    iocId: integer('ioc_id')
      .notNull()
      .references(() => iocs.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (t) => [uniqueIndex('ioc_tags_tag_ioc').on(t.tag, t.iocId), index('ioc_tags_ioc').on(t.iocId)],
)

/** Append-only: never updated, never deleted. */
export const iocHistory = sqliteTable(
  'ioc_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    iocId: integer('ioc_id').notNull(),
    type: text('type').notNull(),
    value: text('value').notNull(),
    event: text('event', {
      enum: ['created', 'edited', 'deleted', 'expired', 'excluded', 'unexcluded', 'reactivated', 'allowlisted', 'unallowlisted'],
    }).notNull(),
    actorId: integer('actor_id'),
    actor: text('actor').notNull(),
    at: text('at').notNull().default(now),
    diff: text('diff', { mode: 'json' }),
  },
  (t) => [
    index('ioc_history_ioc').on(t.iocId, t.id),
    index('ioc_history_value').on(t.type, t.value),
    index('ioc_history_at').on(t.at),
    // Stats: deletions, expiries and campaign links by time without reading every `created` event.
    index('ioc_history_event_at').on(t.event, t.at),
  ],
)

/** Notes belong to the indicator (type, value), not to a row: they survive delete and re-create. */
export const iocNotes = sqliteTable(
  'ioc_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    value: text('value').notNull(),
    body: text('body').notNull(),
    authorId: integer('author_id').references(() => users.id),
    author: text('author').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('ioc_notes_value').on(t.type, t.value, t.id)],
)

export const allowlist = sqliteTable(
  'allowlist',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['exact', 'suffix', 'cidr'] }).notNull(),
    value: text('value').notNull(),
    ipStart: text('ip_start'),
    ipEnd: text('ip_end'),
    reason: text('reason').notNull(),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('allowlist_kind_value').on(t.kind, t.value), index('allowlist_ip').on(t.ipStart)],
)

/** MISP warninglists imported by admins: extra sanity warnings (never refusals). */
export const warninglists = sqliteTable('warninglists', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  version: integer('version').notNull().default(0),
  listType: text('list_type', { enum: ['cidr', 'string', 'hostname', 'substring'] }).notNull(),
  entryCount: integer('entry_count').notNull().default(0),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  importedBy: integer('imported_by').references(() => users.id),
  importedAt: text('imported_at').notNull().default(now),
})

export const warninglistEntries = sqliteTable(
  'warninglist_entries',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => warninglists.id, { onDelete: 'cascade' }),
    // Lower-cased string or hostname (leading dot stripped); for CIDR entries the original text.
    value: text('value').notNull(),
    ipStart: text('ip_start'),
    ipEnd: text('ip_end'),
  },
  (t) => [index('warninglist_entries_value').on(t.value), index('warninglist_entries_ip').on(t.ipStart, t.ipEnd), index('warninglist_entries_list').on(t.listId)],
)

/** Bumped on every change that can alter a feed body: the feed cache key. */
export const generation = sqliteTable('generation', {
  id: integer('id').primaryKey(),
  value: integer('value').notNull().default(0),
  updatedAt: text('updated_at').notNull().default(now),
})

// ---- Feeds ---------------------------------------------------------------------------------

/** Devices that poll feeds. Tokens are stored as SHA-256 hashes; the old one stays valid for a while after rotation. */
export const feedConsumers = sqliteTable(
  'feed_consumers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    tokenHash: text('token_hash'),
    tokenPrefix: text('token_prefix'),
    previousTokenHash: text('previous_token_hash'),
    previousTokenUntil: text('previous_token_until'),
    // Feed path patterns (`/feed/pa/*`); empty = every feed.
    allowedFeeds: text('allowed_feeds', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    // Source networks (CIDR); empty = any address.
    allowedSources: text('allowed_sources', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    lastSeenAt: text('last_seen_at'),
    lastAddress: text('last_address'),
    lastFeed: text('last_feed'),
    lastStatus: integer('last_status'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('feed_consumers_name_nocase').on(sql`${t.name} COLLATE NOCASE`),
    uniqueIndex('feed_consumers_token').on(t.tokenHash),
    index('feed_consumers_prev_token').on(t.previousTokenHash),
  ],
)

/** Poll log, aggregated per (consumer or address, feed, status) and flush window. */
export const feedPolls = sqliteTable(
  'feed_polls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    consumerId: integer('consumer_id'),
    address: text('address').notNull(),
    feed: text('feed').notNull(),
    status: integer('status').notNull(),
    count: integer('count').notNull().default(1),
    bytes: integer('bytes').notNull().default(0),
  },
  (t) => [index('feed_polls_at').on(t.at), index('feed_polls_consumer').on(t.consumerId, t.at)],
)

/** The last published state of each feed: size trend and shrink alerts for Feed Pulse. */
export const feedState = sqliteTable('feed_state', {
  feed: text('feed').primaryKey(),
  entries: integer('entries').notNull(),
  bytes: integer('bytes').notNull(),
  dropped: integer('dropped').notNull().default(0),
  etag: text('etag').notNull(),
  builtAt: text('built_at').notNull(),
  buildMs: integer('build_ms').notNull().default(0),
})

export const feedAlerts = sqliteTable(
  'feed_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    feed: text('feed').notNull(),
    kind: text('kind', { enum: ['shrink', 'auth_failure', 'build_error'] }).notNull(),
    message: text('message').notNull(),
    fromEntries: integer('from_entries'),
    toEntries: integer('to_entries'),
    at: text('at').notNull().default(now),
    acknowledgedAt: text('acknowledged_at'),
  },
  (t) => [index('feed_alerts_at').on(t.at)],
)

// ---- Bulk import staging ---------------------------------------------------------------------

/** An upload staged for preview; committed once, all or nothing. */
export const importBatches = sqliteTable(
  'import_batches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source', { enum: ['upload', 'paste', 'ziochub', 'threatgate', 'stix', 'misp'] }).notNull(),
    format: text('format').notNull(),
    // Display only (sanitized); never used to build a path.
    filename: text('filename'),
    status: text('status', { enum: ['staged', 'committed', 'discarded'] }).notNull().default('staged'),
    rowCount: integer('row_count').notNull().default(0),
    // Parser notes and the detected CSV columns, for the preview.
    notes: text('notes', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    columns: text('columns', { mode: 'json' }),
    // Batch-level ticket, campaign and TTL chosen in the preview.
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    result: text('result', { mode: 'json' }),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    committedBy: integer('committed_by').references(() => users.id),
    committedAt: text('committed_at'),
    /** The live state the rows were classified against (repos/imports CLASSIFY_STAMP); null after a row edit. */
    classifyStamp: text('classify_stamp'),
  },
  (t) => [index('import_batches_created').on(t.createdBy, t.id), index('import_batches_status').on(t.status, t.updatedAt)],
)

/** One preview row: what the parser made of one indicator, its classification and the analyst's edits. */
export const importRows = sqliteTable(
  'import_rows',
  {
    batchId: integer('batch_id')
      .notNull()
      .references(() => importBatches.id, { onDelete: 'cascade' }),
    idx: integer('idx').notNull(),
    line: integer('line').notNull(),
    raw: text('raw').notNull(),
    type: text('type'),
    value: text('value'),
    host: text('host'),
    ipStart: text('ip_start'),
    ipEnd: text('ip_end'),
    // Host and its parent domains (JSON array) for allowlist suffix and warninglist hostname lookups.
    suffixes: text('suffixes', { mode: 'json' }).$type<string[]>(),
    ticket: text('ticket'),
    comment: text('comment'),
    campaign: text('campaign'),
    tags: text('tags', { mode: 'json' }).$type<string[]>(),
    ttl: text('ttl'),
    expiresAt: text('expires_at'),
    // Source timestamps kept by migrations (created_at of the original system).
    createdAt: text('created_at'),
    error: text('error', { mode: 'json' }),
    warnings: text('warnings', { mode: 'json' }).$type<{ code: string; message: string }[]>(),
    // The first MISP warninglist entry covering the value: {list, entry}.
    listed: text('listed', { mode: 'json' }).$type<{ list: string; entry: string }>(),
    status: text('status', { enum: ['new', 'duplicate', 'allowlisted', 'invalid', 'warning'] }).notNull().default('new'),
    dupIocId: integer('dup_ioc_id'),
    dupOfLine: integer('dup_of_line'),
    allowlistId: integer('allowlist_id'),
    selected: integer('selected', { mode: 'boolean' }).notNull().default(true),
    edited: integer('edited', { mode: 'boolean' }).notNull().default(false),
    // Migration rows: the original analyst, submitter and source columns.
    extra: text('extra', { mode: 'json' }),
  },
  (t) => [
    primaryKey({ columns: [t.batchId, t.idx] }),
    index('import_rows_value').on(t.batchId, t.type, t.value),
    index('import_rows_status').on(t.batchId, t.status, t.idx),
  ],
)
