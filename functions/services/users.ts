import { eq } from 'drizzle-orm'
import type { UserCreateInput, UserPatch } from '../../schema/contracts/users'
import { auditLog, users } from '../../schema/tables'
import type { Db, Principal } from '../env'
import { ApiError, notFound } from '../lib/errors'
import { oneTimePassword } from '../lib/one-time-password'
import { hashPassword } from '../lib/password'
import { otherActiveAdmins } from '../repos/users-admin'
import { getUserById, getUserByUsername, type UserRow } from '../repos/users'

export interface Actor extends Pick<Principal, 'id' | 'username'> {
  ip: string
}

const conflict = (code: string, field: string, reason: string) =>
  new ApiError(409, code, `${field}: ${reason}`, { fields: [{ field, reason, code }] })

function auditStmt(db: Db, actor: Actor, action: string, target: string, details: Record<string, unknown> | null, severity = 5) {
  return db.insert(auditLog).values({
    action,
    outcome: 'success',
    severity,
    actor: actor.username,
    actorId: actor.id,
    sourceIp: actor.ip,
    target,
    details,
  })
}

async function load(db: Db, id: number): Promise<UserRow> {
  const row = await getUserById(db, id)
  if (!row) throw notFound('User')
  return row
}

/** Creates a local account with a one-time password that must be changed at the first sign-in. */
export async function createUser(db: Db, input: UserCreateInput, actor: Actor) {
  if (await getUserByUsername(db, input.username)) throw conflict('duplicate', 'username', 'already exists')
  const password = oneTimePassword()
  const [[row]] = await db.batch([
    db
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName ?? input.username,
        email: input.email ?? '',
        role: input.role,
        roleDescription: input.roleDescription ?? '',
        source: 'local',
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      })
      .returning(),
    auditStmt(db, actor, 'user.create', input.username, { role: input.role }),
  ])
  return { row, password }
}

/**
 * Applies an admin's change. Nobody demotes or deactivates themselves, the last active admin
 * stays, system accounts never become admins; deactivation ends every session at once.
 */
export async function patchUser(db: Db, id: number, patch: UserPatch, actor: Actor) {
  const row = await load(db, id)
  const roleChange = patch.role !== undefined && patch.role !== row.role ? patch.role : undefined
  const activeChange = patch.active !== undefined && patch.active !== row.active ? patch.active : undefined
  if (id === actor.id && roleChange) throw conflict('self_change', 'role', 'you cannot change your own role')
  if (id === actor.id && activeChange === false) throw conflict('self_change', 'active', 'you cannot deactivate yourself')
  if (row.source === 'system' && roleChange === 'admin') {
    throw new ApiError(422, 'validation_failed', 'role: a system account cannot be an administrator', {
      fields: [{ field: 'role', reason: 'a system account cannot be an administrator', code: 'system_account' }],
    })
  }
  const losesAdmin = row.role === 'admin' && row.active && ((roleChange && roleChange !== 'admin') || activeChange === false)
  if (losesAdmin && (await otherActiveAdmins(db, id)) === 0) {
    throw conflict('last_admin', roleChange ? 'role' : 'active', 'this is the last active administrator')
  }

  const values: Partial<typeof users.$inferInsert> = { ...patch, updatedAt: new Date().toISOString() }
  if (activeChange === false) values.tokenVersion = row.tokenVersion + 1
  const stmts = [db.update(users).set(values).where(eq(users.id, id))] as unknown[]
  if (roleChange) stmts.push(auditStmt(db, actor, 'user.role_change', row.username, { from: row.role, to: roleChange }, 6))
  if (activeChange !== undefined) {
    stmts.push(auditStmt(db, actor, activeChange ? 'user.activate' : 'user.deactivate', row.username, null, 6))
  }
  const other = Object.keys(patch).filter((k) => k !== 'role' && k !== 'active' && patch[k as keyof UserPatch] !== row[k as keyof UserRow])
  if (other.length) stmts.push(auditStmt(db, actor, 'user.edit', row.username, { fields: other }))
  await db.batch(stmts as never)
}

/** A new one-time password; unlocks the account and ends its sessions. Local accounts only. */
export async function resetPassword(db: Db, id: number, actor: Actor) {
  const row = await load(db, id)
  if (id === actor.id) throw conflict('self_change', 'id', 'change your own password under Profile')
  if (row.source !== 'local') {
    throw new ApiError(409, 'not_local_account', `${row.username} is a ${row.source} account without a local password`)
  }
  const password = oneTimePassword()
  await db.batch([
    db
      .update(users)
      .set({
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
        failedLogins: 0,
        lockedUntil: null,
        tokenVersion: row.tokenVersion + 1,
        updatedAt: new Date().toISOString(),
      })
      .where(eq(users.id, id)),
    auditStmt(db, actor, 'user.password_reset', row.username, null, 6),
  ])
  return password
}
