import type { Context } from 'hono'
import type { LoginInput } from '../../schema/contracts/auth'
import { lockSeconds, secondsLeft, THROTTLE } from '../domain/login-throttle'
import type { AppEnv } from '../env'
import { addAudit } from '../repos/audit'
import { getThrottle, saveThrottle } from '../repos/login-throttle'
import { getUserByUsername, updateUser, type UserRow } from '../repos/users'
import { ApiError } from './errors'
import { hashPassword, needsRehash, verifyPassword } from './password'
import { getLdapConfig } from '../repos/ldap'
import { ldapAuthenticate } from './ldap-login'

const tooMany = (code: 'too_many_attempts' | 'account_locked', retryAfter: number) =>
  new ApiError(
    429,
    code,
    code === 'account_locked'
      ? `Too many failed sign-ins for this account; try again in ${retryAfter} s`
      : `Too many failed sign-ins from your address; try again in ${retryAfter} s`,
    { retryAfter },
    { 'Retry-After': String(retryAfter) },
  )

/**
 * Checks a username and password under the throttling policy and returns the user, or throws
 * 401/429. Every outcome is audited; the failure message never says which part was wrong.
 */
export async function authenticate(c: Context<AppEnv>, input: LoginInput): Promise<UserRow> {
  const db = c.var.db
  const now = new Date()
  const ip = c.var.clientIp
  const audit = (outcome: 'success' | 'failure', reason: string, user?: UserRow, severity = 5) =>
    addAudit(db, {
      action: 'auth.login',
      outcome,
      severity: outcome === 'success' ? 3 : severity,
      actor: input.username,
      actorId: user?.id ?? null,
      sourceIp: ip,
      target: input.username,
      details: { reason },
    })

  const addressKey = `ip:${ip}`
  const address = await getThrottle(db, addressKey)
  const addressWait = secondsLeft(address?.lockedUntil, now)
  if (addressWait > 0) {
    await audit('failure', 'address throttled')
    throw tooMany('too_many_attempts', addressWait)
  }
  const user = await getUserByUsername(db, input.username)
  const userWait = secondsLeft(user?.lockedUntil, now)
  if (user && userWait > 0) {
    await audit('failure', 'account locked', user)
    throw tooMany('account_locked', userWait)
  }

  // Directory sign-in (README "LDAP / Active Directory"): names that are not local accounts go to
  // the directory when it is on; a local account is never taken over by a directory one.
  const directory = await getLdapConfig(db)
  if (directory.mode !== 'local' && (!user || user.source === 'ldap')) {
    return ldapAuthenticate(c, input, user, directory, {
      fail: (reason) => recordFailure(c, user, addressKey, address?.failures ?? 0, now).then(() => audit('failure', reason, user)),
      audit,
      now,
    })
  }
  // Directory-only mode: local admins keep their password sign-in (break-glass), nobody else.
  const localAllowed = directory.mode !== 'ldap' || user?.role === 'admin'
  const canLogIn = user && user.active && user.source === 'local' && localAllowed
  const ok = await verifyPassword(input.password, canLogIn ? user.passwordHash : null)
  if (!ok || !canLogIn) {
    await recordFailure(c, user, addressKey, address?.failures ?? 0, now)
    const reason = !user
      ? 'unknown user'
      : !user.active
        ? 'inactive account'
        : user.source !== 'local'
          ? `${user.source} account`
          : !localAllowed
            ? 'local sign-in is off (directory mode)'
            : 'wrong password'
    await audit('failure', reason, user)
    throw new ApiError(401, 'invalid_credentials', 'Wrong username or password')
  }

  const patch: Parameters<typeof updateUser>[2] = {
    failedLogins: 0,
    lockedUntil: null,
    lastLoginAt: now.toISOString(),
  }
  if (user.passwordHash && needsRehash(user.passwordHash)) patch.passwordHash = await hashPassword(input.password)
  const updated = await updateUser(db, user.id, patch)
  await audit('success', 'password', user)
  return updated
}

async function recordFailure(
  c: Context<AppEnv>,
  user: UserRow | undefined,
  addressKey: string,
  addressFailures: number,
  now: Date,
) {
  const db = c.var.db
  const lockAt = (seconds: number) => (seconds ? new Date(now.getTime() + seconds * 1000).toISOString() : null)
  const failures = addressFailures + 1
  const addressLock = lockSeconds(THROTTLE.address, failures)
  await saveThrottle(db, addressKey, failures, lockAt(addressLock))
  if (addressLock) {
    await addAudit(db, {
      action: 'auth.lockout',
      outcome: 'failure',
      severity: 7,
      sourceIp: c.var.clientIp,
      target: addressKey,
      details: { failures, seconds: addressLock },
    })
  }
  if (!user) return
  const userFailures = user.failedLogins + 1
  const userLock = lockSeconds(THROTTLE.user, userFailures)
  await updateUser(db, user.id, { failedLogins: userFailures, lockedUntil: lockAt(userLock) })
  if (userLock) {
    await addAudit(db, {
      action: 'auth.lockout',
      outcome: 'failure',
      severity: 7,
      actor: user.username,
      actorId: user.id,
      sourceIp: c.var.clientIp,
      target: user.username,
      details: { failures: userFailures, seconds: userLock },
    })
  }
}
