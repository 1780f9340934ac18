import { Hono } from 'hono'
import { AuditQuery } from '../../schema/contracts/audit'
import type { AppEnv } from '../env'
import { requireAuth, requireRole } from '../lib/auth'
import { zv } from '../lib/validate'
import { listAudit } from '../repos/audit'

export const audit = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/', zv('query', AuditQuery), async (c) => {
    const q = c.req.valid('query')
    const items = await listAudit(c.var.db, q)
    const nextCursor = items.length === q.limit ? String(items[items.length - 1].id) : null
    return c.json({ items, nextCursor })
  })
