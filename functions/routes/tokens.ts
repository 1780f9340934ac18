import { Hono } from 'hono'
import type { Role } from '../../schema/contracts/common'
import { TokenInput, TokenQuery, type TokenScope } from '../../schema/contracts/tokens'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth } from '../lib/auth'
import { ApiError, forbidden, notFound } from '../lib/errors'
import { sha256Hex } from '../lib/hash'
import { randomToken } from '../lib/session'
import { IdParam, zv } from '../lib/validate'
import * as repo from '../repos/api-tokens'

/** Live tokens one user may hold: plenty for automation, a cap against runaway scripts. */
export const MAX_LIVE_TOKENS = 50

/** The highest scope each role may put on a token. */
const MAX_SCOPE: Record<Role, TokenScope> = { viewer: 'read', analyst: 'write', admin: 'admin' }
const LEVEL: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 }

const fieldConflict = (status: 403 | 409, code: string, field: string, reason: string) =>
  new ApiError(status, code, `${field}: ${reason}`, { fields: [{ field, reason, code }] })

export const tokenRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', zv('query', TokenQuery), async (c) => {
    const q = c.req.valid('query')
    const isAdmin = c.var.user.role === 'admin'
    if ((q.owner === 'all' || (q.userId && q.userId !== c.var.user.id)) && !isAdmin) throw forbidden('Only administrators see the tokens of others')
    const userId = q.owner === 'all' ? q.userId : (q.userId ?? c.var.user.id)
    return c.json({ items: await repo.listTokens(c.var.db, userId) })
  })
  .post('/', zv('json', TokenInput), async (c) => {
    const input = c.req.valid('json')
    const me = c.var.user
    const scope = repo.tokenLevel(input.scopes)
    if (LEVEL[scope] > LEVEL[MAX_SCOPE[me.role]]) {
      throw fieldConflict(403, 'scope_not_allowed', 'scopes', `the ${scope} scope needs a role your account does not have`)
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
      throw new ApiError(422, 'validation_failed', 'expiresAt: must be in the future', {
        fields: [{ field: 'expiresAt', reason: 'must be in the future', code: 'in_past' }],
      })
    }
    if (await repo.liveTokenNamed(c.var.db, me.id, input.name)) throw fieldConflict(409, 'duplicate', 'name', 'you already have a token with this name')
    if ((await repo.countLiveTokens(c.var.db, me.id)) >= MAX_LIVE_TOKENS) {
      throw new ApiError(409, 'too_many_tokens', `You already have ${MAX_LIVE_TOKENS} tokens; revoke one first`)
    }
    const secret = `moat_${randomToken(32)}`
    const row = await repo.insertToken(c.var.db, {
      userId: me.id,
      name: input.name,
      scopes: input.scopes,
      tokenHash: await sha256Hex(new TextEncoder().encode(secret)),
      prefix: secret.slice(0, 12),
      expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
    })
    await auditAction(c, 'token.create', me.username, { tokenId: row.id, name: row.name, scopes: row.scopes, expiresAt: row.expiresAt })
    const created = await repo.getToken(c.var.db, row.id)
    return c.json({ token: repo.toApiToken(created!), secret }, 201)
  })
  .delete('/:id', zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const found = await repo.getToken(c.var.db, id)
    // Someone else's token is "not found" to a non-admin: no hint that the id exists.
    if (!found || (found.user.id !== c.var.user.id && c.var.user.role !== 'admin')) throw notFound('Token')
    if (!found.t.revokedAt) {
      await repo.revokeToken(c.var.db, id, c.var.user.username)
      await auditAction(c, 'token.revoke', found.user.username, { tokenId: id, name: found.t.name })
    }
    return c.body(null, 204)
  })
