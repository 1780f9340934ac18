import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm'
import { apiTokens } from '../../schema/admin'
import type { AdminUser } from '../../schema/contracts/users'
import { userAvatars, users } from '../../schema/tables'
import type { Db } from '../env'
import { toMe, type UserRow } from './users'

const extras = {
  hasAvatar: sql<number>`EXISTS (SELECT 1 FROM ${userAvatars} WHERE ${userAvatars.userId} = ${users.id})`,
  activeTokens: sql<number>`(SELECT count(*) FROM ${apiTokens} WHERE ${apiTokens.userId} = ${users.id} AND ${apiTokens.revokedAt} IS NULL AND (${apiTokens.expiresAt} IS NULL OR ${apiTokens.expiresAt} > strftime('%Y-%m-%dT%H:%M:%fZ','now')))`,
}

export function toAdminUser(row: UserRow, hasAvatar: boolean, activeTokens: number): AdminUser {
  return {
    ...toMe(row, hasAvatar),
    active: row.active,
    lockedUntil: row.lockedUntil && Date.parse(row.lockedUntil) > Date.now() ? row.lockedUntil : null,
    activeTokens,
    updatedAt: row.updatedAt,
  }
}

export interface UserFilter {
  q?: string
  role?: UserRow['role']
  source?: UserRow['source']
  active?: 'true' | 'false'
  id?: number
}

export async function listUsersForAdmin(db: Db, f: UserFilter): Promise<AdminUser[]> {
  const conds: (SQL | undefined)[] = [
    f.id ? eq(users.id, f.id) : undefined,
    f.role ? eq(users.role, f.role) : undefined,
    f.source ? eq(users.source, f.source) : undefined,
    f.active ? eq(users.active, f.active === 'true') : undefined,
  ]
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
    conds.push(
      sql`(${users.username} LIKE ${like} ESCAPE '\\' OR ${users.displayName} LIKE ${like} ESCAPE '\\' OR ${users.email} LIKE ${like} ESCAPE '\\')`,
    )
  }
  const rows = await db
    .select({ u: users, ...extras })
    .from(users)
    .where(and(...conds))
    .orderBy(asc(sql`${users.username} COLLATE NOCASE`))
    .limit(2000)
  return rows.map((r) => toAdminUser(r.u, Boolean(r.hasAvatar), Number(r.activeTokens)))
}

export async function getAdminUser(db: Db, id: number): Promise<AdminUser | undefined> {
  const [found] = await listUsersForAdmin(db, { id })
  return found
}

/** Active administrators who can sign in, other than `exceptId`. */
export async function otherActiveAdmins(db: Db, exceptId: number): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.source, 'system'), ne(users.id, exceptId)))
    .get()
  return row?.n ?? 0
}
