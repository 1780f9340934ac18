import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { LoginInput, PasswordChangeInput, ProfileInput } from '../../schema/contracts/auth'
import { sniffImage } from '../domain/image-sniff'
import { passwordWeakness } from '../domain/password-policy'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth } from '../lib/auth'
import { ApiError, fieldError } from '../lib/errors'
import { authenticate } from '../lib/login'
import { sha256Hex } from '../lib/hash'
import { hashPassword, verifyPassword } from '../lib/password'
import { clearSession, issueSession, randomToken, readSession } from '../lib/session'
import { zv } from '../lib/validate'
import { addAudit } from '../repos/audit'
import * as repo from '../repos/users'

export const AVATAR_MAX_BYTES = 1024 * 1024

const me = async (db: AppEnv['Variables']['db'], id: number) => {
  const row = await repo.getUserById(db, id)
  if (!row) throw new ApiError(401, 'session_revoked', 'This session is no longer valid; sign in again')
  return repo.toMe(row, await repo.hasAvatar(db, id))
}

export const auth = new Hono<AppEnv>()
  .post('/login', zv('json', LoginInput), async (c) => {
    const user = await authenticate(c, c.req.valid('json'))
    const authTime = Math.floor(Date.now() / 1000)
    const session = await issueSession(c, { userId: user.id, version: user.tokenVersion, csrf: randomToken(), authTime })
    const view = repo.toMe(user, await repo.hasAvatar(c.var.db, user.id))
    return c.json({
      user: view,
      mustChangePassword: user.mustChangePassword,
      csrfToken: session.csrf,
      expiresAt: session.expiresAt.toISOString(),
    })
  })
  .use('/*', requireAuth)
  .post('/logout', async (c) => {
    const user = await repo.getUserById(c.var.db, c.var.user.id)
    // Bumping the version makes the signed cookie worthless even if a copy of it survives.
    if (user) await repo.updateUser(c.var.db, user.id, { tokenVersion: user.tokenVersion + 1 })
    clearSession(c)
    await auditAction(c, 'auth.logout')
    return c.body(null, 204)
  })
  .get('/me', async (c) => {
    const session = await readSession(c)
    const csrfToken = session.ok ? session.claims.csrf : ''
    return c.json({ user: await me(c.var.db, c.var.user.id), csrfToken })
  })
  .patch('/me', zv('json', ProfileInput), async (c) => {
    const patch = c.req.valid('json')
    await repo.updateUser(c.var.db, c.var.user.id, patch)
    await auditAction(c, 'user.profile_update', c.var.user.username, { fields: Object.keys(patch) })
    return c.json({ user: await me(c.var.db, c.var.user.id) })
  })
  .post('/password', zv('json', PasswordChangeInput), async (c) => {
    const input = c.req.valid('json')
    const db = c.var.db
    const user = await repo.getUserById(db, c.var.user.id)
    if (!user || user.source !== 'local') {
      throw new ApiError(409, 'not_local_account', 'Only local accounts have a password to change here')
    }
    const audit = (outcome: 'success' | 'failure', reason: string) =>
      addAudit(db, {
        action: 'auth.password_change',
        outcome,
        severity: outcome === 'success' ? 3 : 5,
        actor: user.username,
        actorId: user.id,
        sourceIp: c.var.clientIp,
        target: user.username,
        details: { reason },
      })
    if (!(await verifyPassword(input.current, user.passwordHash))) {
      await audit('failure', 'wrong current password')
      throw new ApiError(422, 'wrong_password', 'current: is not your current password', {
        fields: [{ field: 'current', reason: 'is not your current password', code: 'wrong_password' }],
      })
    }
    if (input.new === input.current) {
      throw new ApiError(422, 'password_reused', 'new: must differ from the current password', {
        fields: [{ field: 'new', reason: 'must differ from the current password', code: 'password_reused' }],
      })
    }
    const weak = passwordWeakness(input.new, user.username)
    if (weak) throw fieldError(422, 'new', weak, 'password_weak')
    const version = user.tokenVersion + 1
    const updated = await repo.updateUser(db, user.id, {
      passwordHash: await hashPassword(input.new),
      mustChangePassword: false,
      passwordChangedAt: new Date().toISOString(),
      tokenVersion: version,
    })
    await audit('success', user.mustChangePassword ? 'forced change' : 'self-service')
    // Other sessions die with the old version; this one continues under the new one.
    const old = await readSession(c)
    const authTime = old.ok ? old.claims.authTime : Math.floor(Date.now() / 1000)
    const session = await issueSession(c, { userId: user.id, version, csrf: randomToken(), authTime })
    return c.json({ user: repo.toMe(updated, await repo.hasAvatar(db, user.id)), csrfToken: session.csrf })
  })
  .post('/me/avatar', bodyLimit({ maxSize: AVATAR_MAX_BYTES + 64 * 1024, onError: tooLarge }), async (c) => {
    const type = c.req.header('content-type') ?? ''
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the avatar as multipart/form-data with a field named file')
    }
    const body = await c.req.parseBody()
    const file = body.file
    if (!(file instanceof File)) throw fieldError(400, 'file', 'is required (an image file)', 'required')
    if (file.size > AVATAR_MAX_BYTES) throw tooLarge()
    const bytes = new Uint8Array(await file.arrayBuffer())
    const mime = sniffImage(bytes)
    if (!mime) {
      throw new ApiError(415, 'unsupported_media_type', 'file: must be a PNG, JPEG, GIF or WebP image', {
        fields: [{ field: 'file', reason: 'must be a PNG, JPEG, GIF or WebP image', code: 'unsupported_image' }],
      })
    }
    await repo.putAvatar(c.var.db, c.var.user.id, mime, bytes, await sha256Hex(bytes))
    return c.json({ user: await me(c.var.db, c.var.user.id) })
  })
  .delete('/me/avatar', async (c) => {
    await repo.deleteAvatar(c.var.db, c.var.user.id)
    return c.json({ user: await me(c.var.db, c.var.user.id) })
  })

function tooLarge(): never {
  throw new ApiError(413, 'payload_too_large', `The avatar is larger than ${AVATAR_MAX_BYTES} bytes`, {
    maxBytes: AVATAR_MAX_BYTES,
  })
}
