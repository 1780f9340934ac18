import { Hono } from 'hono'
import type { AppEnv } from '../env'
import { requireAuth } from '../lib/auth'
import { notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { getAvatar } from '../repos/users'


export const users = new Hono<AppEnv>()
  .use('/*', requireAuth)
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
