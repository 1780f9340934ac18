import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { YaraRuleSummary } from '../functions/domain/yara-analysis'
import type { YaraDiagnostic } from '../functions/domain/yara-diagnostics'
import type { QualityPart } from '../functions/domain/yara-score'
import { campaigns, users } from './tables'

// Same timestamp convention as tables.ts: ISO-8601 UTC text with milliseconds.
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * One uploaded YARA file (one or many rules): compiled before it is stored, so every row holds
 * content that compiled. Feeds serve only `approved` rows that are not deleted.
 */
export const yaraRules = sqliteTable(
  'yara_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Sanitized (letters, digits, . _ -; ends in .yar or .yara); never used to build a path.
    filename: text('filename').notNull(),
    content: text('content').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    ruleNames: text('rule_names', { mode: 'json' }).$type<string[]>().notNull(),
    rules: text('rules', { mode: 'json' }).$type<YaraRuleSummary[]>().notNull(),
    imports: text('imports', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
    quality: integer('quality').notNull(),
    qualityParts: text('quality_parts', { mode: 'json' }).$type<QualityPart[]>().notNull(),
    // Compiler warnings and lint findings of the current content.
    lint: text('lint', { mode: 'json' }).$type<YaraDiagnostic[]>().notNull(),
    ticket: text('ticket').notNull().default(''),
    comment: text('comment').notNull().default(''),
    campaignId: integer('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    // Bumped on every content change.
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    updatedBy: integer('updated_by').references(() => users.id),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: text('reviewed_at'),
    rejectReason: text('reject_reason'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    deletedAt: text('deleted_at'),
    deletedBy: integer('deleted_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('yara_rules_live_filename').on(sql`${t.filename} COLLATE NOCASE`).where(sql`deleted_at IS NULL`),
    uniqueIndex('yara_rules_live_sha256').on(t.sha256).where(sql`deleted_at IS NULL`),
    index('yara_rules_status').on(t.status, t.filename),
    index('yara_rules_created_by').on(t.createdBy, t.id),
    index('yara_rules_campaign').on(t.campaignId),
  ],
)

/** Append-only: every upload, edit and review decision, with the actor and what changed. */
export const yaraHistory = sqliteTable(
  'yara_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ruleId: integer('rule_id').notNull(),
    event: text('event', { enum: ['uploaded', 'edited', 'metadata', 'approved', 'rejected', 'deleted'] }).notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    actorId: integer('actor_id'),
    actor: text('actor').notNull(),
    at: text('at').notNull().default(now),
    diff: text('diff', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('yara_history_rule').on(t.ruleId, t.id), index('yara_history_at').on(t.at)],
)
