import { sql } from 'drizzle-orm'
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

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
