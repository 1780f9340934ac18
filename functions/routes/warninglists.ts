import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { parseWarninglist } from '../domain/warninglist'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import * as repo from '../repos/warninglists'

export const WARNINGLIST_MAX_BYTES = 16 * 1024 * 1024

const tooLarge = () => {
  throw new ApiError(413, 'payload_too_large', `A warninglist file may be at most ${WARNINGLIST_MAX_BYTES} bytes`, { maxBytes: WARNINGLIST_MAX_BYTES })
}

/** Reads the MISP JSON from a multipart `file` field or a plain JSON body. */
async function readListJson(c: Context<AppEnv>): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  let text: string
  if (type.startsWith('multipart/form-data')) {
    const file = (await c.req.parseBody()).file
    if (!(file instanceof File)) throw new ApiError(400, 'validation_failed', 'file: is required', { fields: [{ field: 'file', reason: 'is required', code: 'required' }] })
    text = await file.text()
  } else if (/^application\/json/.test(type)) text = await c.req.text()
  else throw new ApiError(415, 'unsupported_media_type', 'Send a MISP warninglist as application/json or multipart/form-data (field file)')
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `The file is not valid JSON: ${(err as Error).message}`)
  }
}

export const warninglistRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', async (c) => c.json({ items: await repo.listWarninglists(c.var.db) }))
  .post('/', requireRole('admin'), bodyLimit({ maxSize: WARNINGLIST_MAX_BYTES, onError: tooLarge }), async (c) => {
    const parsed = parseWarninglist(await readListJson(c))
    if (!parsed.ok) throw new ApiError(422, 'invalid_warninglist', parsed.reason)
    const row = await repo.importWarninglist(c.var.db, parsed.list, c.var.user.id)
    await auditAction(c, 'warninglist.import', row.name, { entries: row.entryCount, skipped: parsed.list.skipped })
    return c.json({ warninglist: row, skipped: parsed.list.skipped }, 201)
  })
  .patch('/:id', requireRole('admin'), zv('param', IdParam), zv('json', z.object({ enabled: z.boolean() }).strict()), async (c) => {
    const { id } = c.req.valid('param')
    if (!(await repo.getWarninglist(c.var.db, id))) throw notFound('Warninglist')
    return c.json({ warninglist: await repo.setWarninglistEnabled(c.var.db, id, c.req.valid('json').enabled) })
  })
  .delete('/:id', requireRole('admin'), zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const row = await repo.getWarninglist(c.var.db, id)
    if (!row) throw notFound('Warninglist')
    await repo.deleteWarninglist(c.var.db, id)
    await auditAction(c, 'warninglist.delete', row.name)
    return c.body(null, 204)
  })
