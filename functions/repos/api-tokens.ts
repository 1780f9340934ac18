import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { apiTokens } from '../../schema/admin'
import type { ApiToken, TokenScope } from '../../schema/contracts/tokens'
import { users } from '../../schema/tables'
import type { Db } from '../env'

export type TokenRow = typeof apiTokens.$inferSelect

const LEVEL: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 }

/** The highest level a token's scopes grant. */
export function tokenLevel(scopes: readonly TokenScope[]): TokenScope {
  return scopes.reduce<TokenScope>((best, s) => (LEVEL[s] > LEVEL[best] ? s : best), 'read')
}

export function tokenStatus(row: Pick<TokenRow, 'revokedAt' | 'expiresAt'>, now = new Date()): ApiToken['status'] {
  if (row.revokedAt) return 'revoked'
  if (row.expiresAt && Date.parse(row.expiresAt) <= now.getTime()) return 'expired'
  return 'active'
}

const owner = { id: users.id, username: users.username, displayName: users.displayName }

type Joined = { t: TokenRow; user: { id: number; username: string; displayName: string } }

export function toApiToken({ t, user }: Joined): ApiToken {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    prefix: t.prefix,
    status: tokenStatus(t),
    expiresAt: t.expiresAt,
    lastUsedAt: t.lastUsedAt,
    lastUsedIp: t.lastUsedIp,
    revokedAt: t.revokedAt,
    createdAt: t.createdAt,
    user,
  }
}

export async function listTokens(db: Db, userId?: number): Promise<ApiToken[]> {
  const rows = await db
    .select({ t: apiTokens, user: owner })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(userId === undefined ? undefined : eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id))
    .limit(1000)
  return rows.map(toApiToken)
}

export async function getToken(db: Db, id: number): Promise<Joined | undefined> {
  return db.select({ t: apiTokens, user: owner }).from(apiTokens).innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.id, id)).get()
}

/** Live (not revoked) tokens of a user with this name, case-insensitively. */
export async function liveTokenNamed(db: Db, userId: number, name: string) {
  return db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), sql`${apiTokens.name} = ${name} COLLATE NOCASE`))
    .get()
}

export async function countLiveTokens(db: Db, userId: number): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .get()
  return row?.n ?? 0
}

export async function insertToken(db: Db, values: typeof apiTokens.$inferInsert): Promise<TokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning()
  return row
}

export async function revokeToken(db: Db, id: number, by: string) {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date().toISOString(), revokedBy: by })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
}

/** The token and its owner, by the SHA-256 of the presented token. */
export async function tokenByHash(db: Db, hash: string) {
  return db
    .select({
      t: apiTokens,
      user: {
        id: users.id,
        username: users.username,
        role: users.role,
        source: users.source,
        active: users.active,
        mustChangePassword: users.mustChangePassword,
      },
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hash))
    .get()
}

export async function touchToken(db: Db, id: number, at: string, ip: string) {
  await db.update(apiTokens).set({ lastUsedAt: at, lastUsedIp: ip }).where(eq(apiTokens.id, id))
}
