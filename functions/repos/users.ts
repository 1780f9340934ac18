import { eq, sql } from 'drizzle-orm'
import type { Me } from '../../schema/contracts/auth'
import { userAvatars, users } from '../../schema/tables'
import type { Db } from '../env'

export type UserRow = typeof users.$inferSelect
export type NewUser = typeof users.$inferInsert

export async function getUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.id, id)).get()
}

/** Usernames are unique without regard to case (`Admin` and `admin` are one account). */
export async function getUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(users)
    .where(sql`${users.username} = ${username} COLLATE NOCASE`)
    .get()
}

export async function createUser(db: Db, values: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning()
  return row
}

export async function updateUser(db: Db, id: number, patch: Partial<NewUser>): Promise<UserRow> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(users.id, id))
    .returning()
  return row
}

export async function hasAvatar(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .select({ id: userAvatars.userId })
    .from(userAvatars)
    .where(eq(userAvatars.userId, userId))
    .get()
  return Boolean(row)
}

export async function getAvatar(db: Db, userId: number) {
  return db.select().from(userAvatars).where(eq(userAvatars.userId, userId)).get()
}

export async function putAvatar(db: Db, userId: number, mime: string, data: Uint8Array, sha256: string) {
  const values = { userId, mime, data: data as Buffer, sha256, updatedAt: new Date().toISOString() }
  await db
    .insert(userAvatars)
    .values(values)
    .onConflictDoUpdate({ target: userAvatars.userId, set: values })
}

export async function deleteAvatar(db: Db, userId: number) {
  await db.delete(userAvatars).where(eq(userAvatars.userId, userId))
}

/** The user as the API shows it: no hash, no counters. */
export function toMe(row: UserRow, avatar: boolean): Me {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    role: row.role,
    roleDescription: row.roleDescription,
    source: row.source,
    locale: row.locale,
    theme: row.theme,
    hasAvatar: avatar,
    mustChangePassword: row.mustChangePassword,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
  }
}
