import { Hono } from 'hono'
import { z } from 'zod'
import { AllowlistInput } from '../../schema/contracts/iocs'
import { normalizeAllowlistEntry } from '../domain/allowlist'
import type { AppEnv } from '../env'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { zv } from '../lib/validate'
import { addAudit } from '../repos/audit'
import * as repo from '../repos/allowlist'

const IdParam = z.object({ id: z.coerce.number().int().positive('must be a positive integer') })

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
    const all = await repo.listAllowlist(c.var.db)
    if (all.some((r) => r.entry.kind === norm.kind && r.entry.value === norm.value)) {
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
    await addAudit(c.var.db, { action: 'allowlist.add', outcome: 'success', actor: actor.username, actorId: actor.id, sourceIp: c.var.clientIp, target: `${row.kind}:${row.value}`, details: { reason: row.reason } })
    const entry = (await repo.listAllowlist(c.var.db)).find((r) => r.entry.id === row.id)!
    return c.json({ entry: view(entry) }, 201)
  })
  .delete('/:id', requireRole('admin'), zv('param', IdParam), async (c) => {
    const entry = await repo.getAllowlistEntry(c.var.db, c.req.valid('param').id)
    if (!entry) throw notFound('Allowlist entry')
    const actor = { id: c.var.user.id, username: c.var.user.username }
    await repo.deleteAllowlistEntry(c.var.db, entry, actor)
    await addAudit(c.var.db, { action: 'allowlist.delete', outcome: 'success', actor: actor.username, actorId: actor.id, sourceIp: c.var.clientIp, target: `${entry.kind}:${entry.value}` })
    return c.body(null, 204)
  })
