import type { Context } from 'hono'
import type { Role } from '../../schema/contracts/common'
import type { TokenScope } from '../../schema/contracts/tokens'
import type { AppEnv, Principal } from '../env'
import { addAudit } from '../repos/audit'
import { tokenByHash, tokenLevel, touchToken } from '../repos/api-tokens'
import { ApiError, unauthorized } from './errors'
import { sha256Hex } from './hash'
import { logEvent } from './log'

/** `moat_` + 32 random bytes in base64url. */
export const API_TOKEN_PATTERN = /^moat_[A-Za-z0-9_-]{43}$/

/** Routes a token may never call: they need a person at a browser. */
const SESSION_ONLY = new Set(['POST /api/v1/auth/password', 'POST /api/v1/auth/logout', 'POST /api/v1/tokens'])

/**
 * last_used_at is written, and the use audited (`token.use`), at most this often per token and
 * whenever the address changes: a trail of where each token is used without a row per request.
 */
const TOUCH_EVERY_MS = 60_000

const ROLE_LEVEL: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 }
const SCOPE_ROLE: Record<TokenScope, Role> = { read: 'viewer', write: 'analyst', admin: 'admin' }

/** The role a token acts with: the lower of the owner's role and the token's scope. */
export function effectiveRole(userRole: Role, scope: TokenScope): Role {
  const scoped = SCOPE_ROLE[scope]
  return ROLE_LEVEL[scoped] < ROLE_LEVEL[userRole] ? scoped : userRole
}

function waitUntil(c: Context<AppEnv>, p: Promise<unknown>) {
  const guarded = p.catch((err) => logEvent('error', 'token bookkeeping failed', { error: String(err) }))
  try {
    c.executionCtx.waitUntil(guarded)
  } catch {
    // No execution context (unit use): the promise runs on its own.
  }
}

/**
 * Resolves `Authorization: Bearer <token>` to a principal. Refuses (401, audited) unknown, revoked
 * and expired tokens and tokens of deactivated or system accounts; read-scope tokens only read.
 */
export async function authenticateBearer(c: Context<AppEnv>, presented: string): Promise<Principal> {
  const db = c.var.db
  const refuse = async (reason: string, tokenId?: number) => {
    await addAudit(db, {
      action: 'token.auth_failure',
      outcome: 'failure',
      severity: 5,
      sourceIp: c.var.clientIp,
      target: `${c.req.method} ${c.req.path}`,
      details: { reason, ...(tokenId ? { tokenId } : {}), prefix: presented.slice(0, 12) },
    })
    if (reason === 'expired') throw unauthorized('token_expired', 'This API token has expired')
    throw unauthorized('invalid_token', 'The API token is unknown, revoked or its account is disabled')
  }
  if (!API_TOKEN_PATTERN.test(presented)) return refuse('malformed')
  const found = await tokenByHash(db, await sha256Hex(new TextEncoder().encode(presented)))
  if (!found) return refuse('unknown')
  const { t, user } = found
  const now = new Date()
  if (t.revokedAt) return refuse('revoked', t.id)
  if (t.expiresAt && Date.parse(t.expiresAt) <= now.getTime()) return refuse('expired', t.id)
  if (!user.active || user.source === 'system') return refuse('account disabled', t.id)
  if (user.mustChangePassword) {
    throw new ApiError(403, 'password_change_required', "The token's owner must sign in and change the password first")
  }
  const key = `${c.req.method} ${c.req.path.replace(/\/$/, '')}`
  if (SESSION_ONLY.has(key)) {
    throw new ApiError(403, 'session_required', 'This action needs a signed-in session, not an API token')
  }
  const scope = tokenLevel(t.scopes)
  if (scope === 'read' && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    throw new ApiError(403, 'insufficient_scope', 'This token has the read scope: it may only read (GET)')
  }
  const stale = !t.lastUsedAt || now.getTime() - Date.parse(t.lastUsedAt) >= TOUCH_EVERY_MS
  if (stale || t.lastUsedIp !== c.var.clientIp) {
    c.set('audited', true)
    const use = addAudit(db, {
      action: 'token.use',
      outcome: 'success',
      actor: user.username,
      actorId: user.id,
      sourceIp: c.var.clientIp,
      target: `${c.req.method} ${c.req.path}`,
      details: { tokenId: t.id, tokenName: t.name, scope: tokenLevel(t.scopes) },
    })
    waitUntil(c, Promise.all([touchToken(db, t.id, now.toISOString(), c.var.clientIp), use]))
  }
  return {
    id: user.id,
    username: user.username,
    role: effectiveRole(user.role, scope),
    mustChangePassword: false,
    via: 'bearer',
    token: { id: t.id, name: t.name, scope, userRole: user.role },
  }
}
