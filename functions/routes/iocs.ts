import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ExcludeInput, ExportQuery, IocInput, IocPatch, IocQuery, ParseInput } from '../../schema/contracts/iocs'
import { parseIoc, parseIocLines, type IocType } from '../domain/ioc'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { listHistory } from '../repos/ioc-history'
import { getIocView, listIocs } from '../repos/iocs'
import { exportIocs } from '../services/ioc-export'
import { createIoc, deleteIoc, patchIoc, setExcluded, type Actor } from '../services/iocs'


const actorOf = (c: { var: AppEnv['Variables'] }): Actor => ({
  id: c.var.user.id,
  username: c.var.user.username,
  role: c.var.user.role,
  ip: c.var.clientIp,
})

const writer = requireRole('admin', 'analyst')

/** "Paste anything": a defanged or oddly cased search term is looked up in canonical form. */
function canonicalQuery(q: { q?: string; match: string; type?: IocType }): string | undefined {
  if (!q.q) return undefined
  const parsed = parseIoc(q.q, q.match === 'substring' ? {} : { type: q.type })
  return parsed.ok ? parsed.value : undefined
}

/** A pasted report may be up to 5 MB. */
export const PASTE_MAX_BYTES = 5 * 1024 * 1024
function pasteTooLarge(): never {
  throw new ApiError(413, 'payload_too_large', `A paste may be at most ${PASTE_MAX_BYTES} bytes`, { maxBytes: PASTE_MAX_BYTES })
}

export const iocRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .post('/parse', bodyLimit({ maxSize: PASTE_MAX_BYTES + 64 * 1024, onError: pasteTooLarge }), zv('json', ParseInput), (c) => {
    const { text, type } = c.req.valid('json')
    return c.json({ items: parseIocLines(text, { type }) })
  })
  .post('/', writer, zv('json', IocInput), async (c) => {
    const result = await createIoc(c.var.db, c.req.valid('json'), actorOf(c), new Date(), c.var.user.via === 'bearer' ? 'api' : 'ui')
    const { status, ...body } = result
    return c.json(body, status)
  })
  .get('/', zv('query', IocQuery), async (c) => {
    const q = c.req.valid('query')
    return c.json(await listIocs(c.var.db, { ...q, canonical: canonicalQuery(q) }, new Date().toISOString()))
  })
  .get('/export', zv('query', ExportQuery), async (c) => {
    const q = c.req.valid('query')
    const nowIso = new Date().toISOString()
    const types = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', txt: 'text/plain; charset=utf-8' }
    await auditAction(c, 'ioc.export', null, { ...q })
    return new Response(exportIocs(c.var.db, { ...q, canonical: canonicalQuery(q) }, nowIso), {
      headers: {
        'Content-Type': types[q.format],
        'Content-Disposition': `attachment; filename="moat-iocs-${nowIso.slice(0, 10)}.${q.format}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  })
  .get('/:id', zv('param', IdParam), async (c) => {
    const ioc = await getIocView(c.var.db, c.req.valid('param').id, new Date().toISOString())
    if (!ioc) throw notFound('IOC')
    return c.json({ ioc })
  })
  .patch('/:id', writer, zv('param', IdParam), zv('json', IocPatch), async (c) => {
    const ioc = await patchIoc(c.var.db, c.req.valid('param').id, c.req.valid('json'), actorOf(c), new Date())
    return c.json({ ioc })
  })
  .delete('/:id', writer, zv('param', IdParam), async (c) => {
    await deleteIoc(c.var.db, c.req.valid('param').id, actorOf(c), new Date())
    return c.body(null, 204)
  })
  .get('/:id/history', zv('param', IdParam), async (c) => {
    const id = c.req.valid('param').id
    const items = await listHistory(c.var.db, id)
    if (!items.length && !(await getIocView(c.var.db, id, new Date().toISOString()))) throw notFound('IOC')
    return c.json({ items })
  })
  .post('/:id/exclude', writer, zv('param', IdParam), zv('json', ExcludeInput), async (c) => {
    const ioc = await setExcluded(c.var.db, c.req.valid('param').id, true, c.req.valid('json').reason, actorOf(c), new Date())
    return c.json({ ioc })
  })
  .post('/:id/unexclude', writer, zv('param', IdParam), async (c) => {
    const ioc = await setExcluded(c.var.db, c.req.valid('param').id, false, undefined, actorOf(c), new Date())
    return c.json({ ioc })
  })

