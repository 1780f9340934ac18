import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { YARA_MAX_BYTES, YaraPatch, YaraQuery, YaraReject, YaraUpload } from '../../schema/contracts/yara'
import type { AppEnv } from '../env'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, fieldError, notFound } from '../lib/errors'
import { IdParam, toFieldIssues, zv } from '../lib/validate'
import { readTextFile, tooLarge } from './yara-limits'
import { yaraToolRoutes } from './yara-tools'
import { getYaraSettings, getYaraView, listYara, listYaraHistory } from '../repos/yara'
import { deleteYara, patchYara, reviewYara, uploadYara } from '../services/yara'

const writer = requireRole('admin', 'analyst')

// Room for JSON escaping and multipart framing around a file at the size limit.
const uploadLimit = bodyLimit({ maxSize: 2 * YARA_MAX_BYTES + 64 * 1024, onError: tooLarge(YARA_MAX_BYTES, 'A rule file') })


/** The upload as JSON `{filename?, content, ...}` or multipart (`file` plus the same metadata fields). */
async function readUpload(c: Context<AppEnv>): Promise<YaraUpload> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  let raw: Record<string, unknown>
  if (type.startsWith('multipart/form-data')) {
    const body = await c.req.parseBody()
    const file = body.file
    if (!(file instanceof File)) throw fieldError(400, 'file', 'is required (a .yar or .yara file)', 'required')
    raw = { content: await readTextFile(file, 'file', YARA_MAX_BYTES, 'A rule file'), filename: typeof body.filename === 'string' && body.filename ? body.filename : file.name }
    for (const key of ['ticket', 'comment'] as const) if (typeof body[key] === 'string') raw[key] = body[key]
    if (typeof body.campaignId === 'string' && body.campaignId) raw.campaignId = /^\d+$/.test(body.campaignId) ? Number(body.campaignId) : body.campaignId
    if (typeof body.tags === 'string' && body.tags.trim()) raw.tags = body.tags.split(',').map((t) => t.trim()).filter(Boolean)
  } else if (/^application\/json/.test(type)) {
    try {
      raw = JSON.parse(await c.req.text())
    } catch (err) {
      throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(err as Error).message}`)
    }
  } else throw new ApiError(415, 'unsupported_media_type', 'Send the rule file as multipart/form-data (field file) or application/json {filename, content}')
  const parsed = YaraUpload.safeParse(raw)
  if (!parsed.success) {
    const fields = toFieldIssues(parsed.error)
    const status = fields.some((f) => f.field === 'content' && f.code === 'custom') ? 413 : 400
    throw new ApiError(status, status === 413 ? 'payload_too_large' : 'validation_failed', `${fields[0].field}: ${fields[0].reason}`, { fields, ...(status === 413 ? { maxBytes: YARA_MAX_BYTES } : {}) })
  }
  return parsed.data
}

async function view(c: Context<AppEnv>, id: number) {
  const settings = await getYaraSettings(c.var.db)
  const found = await getYaraView(c.var.db, id, { id: c.var.user.id, role: c.var.user.role }, settings.reviewers)
  if (!found) throw notFound('YARA rule file')
  return { ...found.file, content: found.content }
}

export const yaraRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .route('/', yaraToolRoutes)
  .get('/', zv('query', YaraQuery), async (c) => {
    const settings = await getYaraSettings(c.var.db)
    return c.json(await listYara(c.var.db, c.req.valid('query'), { id: c.var.user.id, role: c.var.user.role }, settings.reviewers))
  })
  .post('/', writer, uploadLimit, async (c) => {
    const { id, analysis } = await uploadYara(c, await readUpload(c))
    return c.json({ rule: await view(c, id), warnings: analysis.warnings }, 201)
  })
  .get('/:id', zv('param', IdParam), async (c) => c.json({ rule: await view(c, c.req.valid('param').id) }))
  .patch('/:id', writer, uploadLimit, zv('param', IdParam), zv('json', YaraPatch), async (c) => {
    const { id } = c.req.valid('param')
    const { analysis } = await patchYara(c, id, c.req.valid('json'))
    const rule = await view(c, id)
    return c.json({ rule, warnings: analysis?.warnings ?? rule.warnings })
  })
  .delete('/:id', writer, zv('param', IdParam), async (c) => {
    await deleteYara(c, c.req.valid('param').id)
    return c.body(null, 204)
  })
  .post('/:id/approve', writer, zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    await reviewYara(c, id, 'approve')
    return c.json({ rule: await view(c, id) })
  })
  .post('/:id/reject', writer, zv('param', IdParam), zv('json', YaraReject), async (c) => {
    const { id } = c.req.valid('param')
    await reviewYara(c, id, 'reject', c.req.valid('json').reason)
    return c.json({ rule: await view(c, id) })
  })
  .get('/:id/history', zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    await view(c, id)
    return c.json({ items: await listYaraHistory(c.var.db, id) })
  })
  .get('/:id/download', zv('param', IdParam), async (c) => {
    const rule = await view(c, c.req.valid('param').id)
    // The stored name is sanitized to [A-Za-z0-9._-]: safe inside the quoted header value.
    return c.body(rule.content, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': `attachment; filename="${rule.filename}"` })
  })
