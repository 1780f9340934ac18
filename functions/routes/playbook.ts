import { Hono } from 'hono'
import { PlaybookInput, PlaybookOrder, PlaybookPatch } from '../../schema/contracts/playbook'
import { templateProblem } from '../domain/playbook'
import { stripHtml } from '../domain/playbook-import'
import type { AppEnv, Db } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { fieldError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { deletePlaybookLink, getPlaybookRow, insertPlaybookLink, listPlaybook, reorderPlaybook, toLink, updatePlaybookLink } from '../repos/playbook'

const admin = requireRole('admin')

/** A parent must be an existing group, and never the entry itself. */
async function checkParent(db: Db, parentId: number | null | undefined, self?: number) {
  if (parentId === undefined || parentId === null) return
  const parent = await getPlaybookRow(db, parentId)
  if (!parent || parent.type !== 'group' || parent.id === self) throw fieldError(422, 'parentId', 'is not a playbook group', 'invalid_parent')
}

/** URL templates are checked here (not in zod) so the answer carries the rule's own code. */
function checkUrl(url: string | null | undefined) {
  const problem = url ? templateProblem(url) : null
  if (problem) throw fieldError(422, 'url', problem.reason, problem.code)
}

/** Descriptions are Markdown shown to everyone: HTML never gets in (the same sanitiser as the ZIoCHub import). */
function clean<T extends { description?: string; examples?: string }>(input: T): T {
  return {
    ...input,
    ...(input.description !== undefined ? { description: stripHtml(input.description) } : {}),
    ...(input.examples !== undefined ? { examples: stripHtml(input.examples) } : {}),
  }
}

export const playbookRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', async (c) => c.json({ items: await listPlaybook(c.var.db) }))
  .post('/', admin, zv('json', PlaybookInput), async (c) => {
    const input = clean(c.req.valid('json'))
    if (input.type === 'site' && !input.url) throw fieldError(422, 'url', 'is required for a site', 'required')
    checkUrl(input.url)
    await checkParent(c.var.db, input.parentId)
    if (input.type === 'group' && input.parentId) throw fieldError(422, 'parentId', 'a group cannot be inside another group', 'nested_group')
    const row = await insertPlaybookLink(c.var.db, input, c.var.user.id)
    await auditAction(c, 'playbook.create', row.name, { id: row.id, type: row.type, url: row.url })
    return c.json({ link: toLink(row) }, 201)
  })
  .post('/order', admin, zv('json', PlaybookOrder), async (c) => {
    const { ids } = c.req.valid('json')
    const known = new Set((await listPlaybook(c.var.db)).map((l) => l.id))
    const bad = ids.findIndex((id, i) => !known.has(id) || ids.indexOf(id) !== i)
    if (bad >= 0) throw fieldError(422, `ids.${bad}`, known.has(ids[bad]) ? 'is listed twice' : 'is not a playbook entry', 'invalid_id')
    await reorderPlaybook(c.var.db, ids)
    await auditAction(c, 'playbook.reorder', null, { ids })
    return c.json({ items: await listPlaybook(c.var.db) })
  })
  .patch('/:id', admin, zv('param', IdParam), zv('json', PlaybookPatch), async (c) => {
    const { id } = c.req.valid('param')
    const patch = clean(c.req.valid('json'))
    const row = await getPlaybookRow(c.var.db, id)
    if (!row) throw notFound('Playbook entry')
    checkUrl(patch.url)
    if (row.type === 'site' && patch.url === null) throw fieldError(422, 'url', 'is required for a site', 'required')
    await checkParent(c.var.db, patch.parentId, id)
    if (row.type === 'group' && patch.parentId) throw fieldError(422, 'parentId', 'a group cannot be inside another group', 'nested_group')
    const next = await updatePlaybookLink(c.var.db, id, patch)
    await auditAction(c, 'playbook.edit', next.name, { id, fields: Object.keys(patch), ...(patch.url !== undefined ? { url: patch.url } : {}) })
    return c.json({ link: toLink(next) })
  })
  .delete('/:id', admin, zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const row = await getPlaybookRow(c.var.db, id)
    if (!row) throw notFound('Playbook entry')
    await deletePlaybookLink(c.var.db, id)
    await auditAction(c, 'playbook.delete', row.name, { id, type: row.type, url: row.url })
    return c.body(null, 204)
  })
