import { Hono, type Context } from 'hono'
import { UserCreateInput, UserPatch, UserQuery } from '../../schema/contracts/users'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { deleteAvatar, getAvatar, getUserById } from '../repos/users'
import { getAdminUser, listUsersForAdmin } from '../repos/users-admin'
import * as service from '../services/users'

const admin = requireRole('admin')
const actorOf = (c: Context<AppEnv>) => ({ id: c.var.user.id, username: c.var.user.username, ip: c.var.clientIp })

async function adminView(db: AppEnv['Variables']['db'], id: number) {
  const user = await getAdminUser(db, id)
  if (!user) throw notFound('User')
  return user
}

export const users = new Hono<AppEnv>()
  .use('/*', requireAuth)
  // Every signed-in user sees avatars (lists and history show them); the rest is for admins.
  .get('/:id/avatar', zv('param', IdParam), async (c) => {
    const avatar = await getAvatar(c.var.db, c.req.valid('param').id)
    if (!avatar) throw notFound('Avatar')
    const etag = `"${avatar.sha256}"`
    const headers = {
      'Content-Type': avatar.mime,
      'Cache-Control': 'private, max-age=300',
      ETag: etag,
      'Content-Security-Policy': "default-src 'none'; sandbox",
    }
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
    return c.body(new Uint8Array(avatar.data), 200, headers)
  })
  .delete('/:id/avatar', admin, zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const user = await getUserById(c.var.db, id)
    if (!user) throw notFound('User')
    await deleteAvatar(c.var.db, id)
    await auditAction(c, 'user.avatar_remove', user.username)
    return c.json({ user: await adminView(c.var.db, id) })
  })
  .get('/', admin, zv('query', UserQuery), async (c) => c.json({ items: await listUsersForAdmin(c.var.db, c.req.valid('query')) }))
  .post('/', admin, zv('json', UserCreateInput), async (c) => {
    const { row, password } = await service.createUser(c.var.db, c.req.valid('json'), actorOf(c))
    return c.json({ user: await adminView(c.var.db, row.id), password }, 201)
  })
  .get('/:id', admin, zv('param', IdParam), async (c) => c.json({ user: await adminView(c.var.db, c.req.valid('param').id) }))
  .patch('/:id', admin, zv('param', IdParam), zv('json', UserPatch), async (c) => {
    const { id } = c.req.valid('param')
    await service.patchUser(c.var.db, id, c.req.valid('json'), actorOf(c))
    return c.json({ user: await adminView(c.var.db, id) })
  })
  .post('/:id/reset-password', admin, zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const password = await service.resetPassword(c.var.db, id, actorOf(c))
    return c.json({ user: await adminView(c.var.db, id), password })
  })
