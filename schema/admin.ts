import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { users } from './tables'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

/**
 * Personal API tokens for automation (`Authorization: Bearer moat_…`). Only the SHA-256 of the
 * token is kept; the token itself is shown once. Revoked tokens stay as rows (audit trail).
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // Hierarchical levels: read < write < admin (the highest one listed counts).
    scopes: text('scopes', { mode: 'json' }).$type<('read' | 'write' | 'admin')[]>().notNull(),
    tokenHash: text('token_hash').notNull(),
    // The first characters of the token, for recognising it in lists and logs.
    prefix: text('prefix').notNull(),
    expiresAt: text('expires_at'),
    lastUsedAt: text('last_used_at'),
    lastUsedIp: text('last_used_ip'),
    revokedAt: text('revoked_at'),
    revokedBy: text('revoked_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.tokenHash), index('api_tokens_user').on(t.userId, t.id)],
)
