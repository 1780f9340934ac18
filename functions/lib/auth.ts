import type { Context, MiddlewareHandler } from 'hono'
import type { Role } from '../../schema/contracts/common'
import type { AppEnv } from '../env'
import { addAudit } from '../repos/audit'
import { getUserById } from '../repos/users'
import { authenticateBearer } from './bearer'
import { ApiError, forbidden, unauthorized } from './errors'
import { readSession, refreshSessionIfDue, sameToken } from './session'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Routes a user who must change the password may still use. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
])

/**
 * Resolves the caller from a bearer token (lib/bearer.ts: no cookies, so no CSRF) or from the
 * session cookie, and enforces, in order: a valid signature and lifetime, an active account whose
 * token version still matches (password change, reset and deactivation end old sessions), the CSRF
 * double-submit token on writes, and the forced password change.
 */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const authorization = c.req.header('authorization')
  if (authorization && /^bearer\s/i.test(authorization)) {
    c.set('user', await authenticateBearer(c, authorization.slice(7).trim()))
    return next()
  }
  const session = await readSession(c)
  if (!session.ok) {
    if (session.reason === 'expired') throw unauthorized('session_expired', 'Your session has expired; sign in again')
    if (session.reason === 'invalid') throw unauthorized('invalid_session', 'The session cookie is not valid; sign in again')
    throw unauthorized()
  }
  const { claims } = session
  const user = await getUserById(c.var.db, claims.userId)
  if (!user || !user.active || user.source === 'system' || user.tokenVersion !== claims.version) {
    throw unauthorized('session_revoked', 'This session is no longer valid; sign in again')
  }
  if (!SAFE_METHODS.has(c.req.method)) checkCsrf(c, claims.csrf)
  const key = `${c.req.method} ${c.req.path}`
  if (user.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(key)) {
    throw new ApiError(403, 'password_change_required', 'Change your password before doing anything else')
  }
  c.set('user', {
    id: user.id,
    username: user.username,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    via: 'cookie',
  })
  await refreshSessionIfDue(c, claims, user.tokenVersion)
  await next()
}

function checkCsrf(c: Context<AppEnv>, expected: string) {
  const sent = c.req.header('x-csrf-token')
  if (!sent || !sameToken(sent, expected)) {
    throw new ApiError(403, 'csrf_failed', 'Missing or wrong X-CSRF-Token header (echo the moat_csrf cookie)')
  }
}

/**
 * Lets only these roles through. A bearer token acts with the lower of its owner's role and its
 * scope; passing an admin-only check with a token is audited (`token.admin_use`).
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  const adminOnly = roles.length === 1 && roles[0] === 'admin'
  return async (c, next) => {
    const { user } = c.var
    if (!roles.includes(user.role)) {
      if (user.token && roles.includes(user.token.userRole)) {
        throw new ApiError(403, 'insufficient_scope', `This token's scope (${user.token.scope}) does not allow this action`)
      }
      throw forbidden()
    }
    if (adminOnly && user.token) {
      c.set('audited', true)
      await addAudit(c.var.db, {
        action: 'token.admin_use',
        outcome: 'success',
        severity: 6,
        actor: user.username,
        actorId: user.id,
        sourceIp: c.var.clientIp,
        target: `${c.req.method} ${c.req.path}`,
        details: { tokenId: user.token.id, tokenName: user.token.name },
      })
    }
    await next()
  }
}
