import type { Context } from 'hono'
import type { LoginInput } from '../../schema/contracts/auth'
import type { LdapConfig } from '../../schema/contracts/ldap'
import { roleFromGroups } from '../domain/ldap'
import type { AppEnv } from '../env'
import { addAudit } from '../repos/audit'
import { createUser, getUserByUsername, updateUser, type UserRow } from '../repos/users'
import { ApiError } from './errors'
import { connectionFor, ldapLogin, LdapUnavailable } from './ldap-client'

interface Helpers {
  /** Counts a failed attempt (throttling, lockout) and audits it. */
  fail: (reason: string) => Promise<unknown>
  audit: (outcome: 'success' | 'failure', reason: string, user?: UserRow, severity?: number) => Promise<unknown>
  now: Date
}

/** Failures that say nothing about the password: the directory could not be asked. */
const UNAVAILABLE = new Set(['connect', 'tls', 'timeout', 'bind_failed', 'search_failed', 'bad_request'])

const unavailable = () =>
  new ApiError(503, 'ldap_unavailable', 'The directory server cannot be reached; try again later (local accounts can still sign in)', undefined, { 'Retry-After': '30' })

/**
 * Signs in a name that is not a local account through the directory: search, groups, bind. A user
 * row (source `ldap`, no password) is created on the first sign-in and its name, email and role
 * follow the directory on every later one. Deactivated rows stay refused.
 */
export async function ldapAuthenticate(c: Context<AppEnv>, input: LoginInput, user: UserRow | undefined, config: LdapConfig, h: Helpers): Promise<UserRow> {
  const db = c.var.db
  if (user && !user.active) {
    await h.fail('inactive account')
    throw new ApiError(401, 'invalid_credentials', 'Wrong username or password')
  }
  if (!config.url || !config.searchBase) {
    await h.audit('failure', 'directory sign-in is on but not configured', user)
    throw unavailable()
  }
  let answer
  try {
    const conn = await connectionFor(db, c.env, config)
    answer = await ldapLogin(c.env, conn, input.username, input.password, config.groups.map((g) => g.dn))
  } catch (err) {
    if (!(err instanceof LdapUnavailable)) throw err
    await h.audit('failure', `directory unavailable: ${err.message}`, user)
    throw unavailable()
  }
  if (!answer.ok) {
    if (UNAVAILABLE.has(answer.code)) {
      await h.audit('failure', `directory unavailable (${answer.code}): ${answer.message}`, user)
      throw unavailable()
    }
    const reason = answer.code === 'not_found' ? 'unknown user (directory)' : answer.code === 'ambiguous' ? 'ambiguous directory user' : 'wrong password (directory)'
    await h.fail(reason)
    throw new ApiError(401, 'invalid_credentials', 'Wrong username or password')
  }
  const role = roleFromGroups(config.groups, answer.groups)
  if (!role) {
    await h.audit('failure', 'directory user in no mapped group', user)
    throw new ApiError(403, 'ldap_no_role', 'Your directory account is not in a group that gives access to Moat; ask an administrator')
  }
  const now = h.now.toISOString()
  const profile = {
    displayName: (answer.displayName || input.username).slice(0, 100),
    email: answer.email.slice(0, 254),
    role,
    failedLogins: 0,
    lockedUntil: null,
    lastLoginAt: now,
  }
  let row: UserRow
  const actor = { actor: input.username, sourceIp: c.var.clientIp }
  if (!user) {
    try {
      row = await createUser(db, { username: input.username, source: 'ldap', passwordHash: null, mustChangePassword: false, ...profile })
    } catch (err) {
      // Two first sign-ins at once: the other one created the row.
      const again = await getUserByUsername(db, input.username)
      if (!again || again.source !== 'ldap') throw err
      row = await updateUser(db, again.id, profile)
    }
    await addAudit(db, { action: 'user.create', outcome: 'success', actorId: row.id, ...actor, target: row.username, details: { source: 'ldap', role, dn: answer.dn, groups: answer.groups } })
  } else {
    row = await updateUser(db, user.id, profile)
    if (user.role !== role) {
      await addAudit(db, { action: 'user.role_change', outcome: 'success', actorId: row.id, ...actor, target: row.username, details: { from: user.role, to: role, source: 'ldap', groups: answer.groups } })
    }
  }
  await h.audit('success', 'directory', row)
  return row
}
