import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { allowlist } from '../../schema/tables'
import { AllowlistInput } from '../../schema/contracts/iocs'
import { normalizeAllowlistEntry } from '../domain/allowlist'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import * as repo from '../repos/allowlist'


const view = (r: Awaited<ReturnType<typeof repo.listAllowlist>>[number]) => ({
  id: r.entry.id,
  kind: r.entry.kind,
  value: r.entry.value,
  reason: r.entry.reason,
  createdBy: r.createdBy,
  createdAt: r.entry.createdAt,
  matches: r.matches,
})

export const allowlistRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', async (c) => c.json({ items: (await repo.listAllowlist(c.var.db)).map(view) }))
  .post('/', requireRole('admin'), zv('json', AllowlistInput), async (c) => {
    const input = c.req.valid('json')
    const norm = normalizeAllowlistEntry(input.kind, input.value)
    if (!norm.ok) {
      throw new ApiError(422, 'validation_failed', `value: ${norm.reason}`, {
        fields: [{ field: 'value', reason: norm.reason, code: 'invalid_entry' }],
      })
    }
    if (await repo.findAllowlistEntry(c.var.db, norm.kind, norm.value)) {
      throw new ApiError(409, 'duplicate', `value: ${norm.value} is already on the allowlist`, {
        fields: [{ field: 'value', reason: 'already on the allowlist', code: 'duplicate' }],
      })
    }
    const actor = { id: c.var.user.id, username: c.var.user.username }
    const row = await repo.addAllowlistEntry(
      c.var.db,
      { kind: norm.kind, value: norm.value, ipStart: norm.ipStart ?? null, ipEnd: norm.ipEnd ?? null, reason: input.reason, createdBy: actor.id },
      actor,
    )
    await auditAction(c, 'allowlist.add', `${row.kind}:${row.value}`, { reason: row.reason })
    const [entry] = await repo.listAllowlist(c.var.db, eq(allowlist.id, row.id))
    return c.json({ entry: view(entry) }, 201)
  })
  .delete('/:id', requireRole('admin'), zv('param', IdParam), async (c) => {
    const entry = await repo.getAllowlistEntry(c.var.db, c.req.valid('param').id)
    if (!entry) throw notFound('Allowlist entry')
    const actor = { id: c.var.user.id, username: c.var.user.username }
    await repo.deleteAllowlistEntry(c.var.db, entry, actor)
    await auditAction(c, 'allowlist.delete', `${entry.kind}:${entry.value}`)
    return c.body(null, 204)
  })
