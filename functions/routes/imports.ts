import { inArray } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import {
  IMPORT_MAX_BYTES,
  ImportCommitInput,
  ImportOptions,
  ImportRowParam,
  ImportRowPatch,
  ImportRowsQuery,
  ImportSelectInput,
  ImportTextInput,
} from '../../schema/contracts/imports'
import { IocTypeSchema } from '../../schema/contracts/iocs'
import { allowlist } from '../../schema/tables'
import { decodeUpload, detectFormat, type ImportFormat } from '../domain/import-parse'
import type { IocType } from '../domain/ioc'
import type { AppEnv, Db } from '../env'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { importCounts, listImportBatches, listImportRows, type ImportBatchRow, type ImportRowRow } from '../repos/imports'
import {
  discardImport,
  editImportRow,
  loadBatch,
  selectImportRows,
  setImportOptions,
  stageImport,
  stageStix,
} from '../services/imports'
import type { Actor } from '../services/iocs'
import { commitBatch, MIGRATION_SOURCES } from '../services/migration'
import { storeMigratedYara } from '../services/yara-migration'

const writer = requireRole('admin', 'analyst')
const FIRST_PAGE = 200

const actorOf = (c: Context<AppEnv>): Actor => ({ id: c.var.user.id, username: c.var.user.username, role: c.var.user.role, ip: c.var.clientIp })

const tooLarge = () => {
  throw new ApiError(413, 'payload_too_large', `file: an import may be at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, {
    fields: [{ field: 'file', reason: `larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, code: 'too_large' }],
    maxBytes: IMPORT_MAX_BYTES,
  })
}

const fieldIssue = (status: 400 | 415 | 422, field: string, code: string, reason: string) =>
  new ApiError(status, code, `${field}: ${reason}`, { fields: [{ field, reason, code }] })

/** A display name only (never a path): the base name, without control characters, at most 255. */
export function cleanFilename(name: string | undefined | null): string | null {
  if (!name) return null
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return base ? base.slice(0, 255) : null
}

const FORMATS = new Set(['csv', 'txt', 'text', 'stix'])

/** A STIX bundle: named so, or a .json upload / JSON text that says `"type": "bundle"`. */
function isStix(text: string, format: string | undefined, filename: string | null) {
  if (format) return format === 'stix'
  const head = text.trimStart().slice(0, 4096)
  return head.startsWith('{') && (/\.json$/i.test(filename ?? '') || /"type"\s*:\s*"bundle"/.test(head))
}

/** Multipart (`file`, optional `format`, `type`) or JSON `{text, format?, filename?, type?}`. */
async function readUpload(c: Context<AppEnv>) {
  const ct = (c.req.header('content-type') ?? '').toLowerCase()
  if (ct.startsWith('multipart/form-data')) {
    const body = await c.req.parseBody()
    const file = body.file
    if (!(file instanceof File)) throw fieldIssue(400, 'file', 'required', 'is required (multipart field `file`)')
    if (file.size > IMPORT_MAX_BYTES) tooLarge()
    if (file.size === 0) throw fieldIssue(422, 'file', 'empty', 'is empty')
    const decoded = decodeUpload(new Uint8Array(await file.arrayBuffer()))
    if (!decoded.ok) throw fieldIssue(422, 'file', decoded.code, decoded.message)
    const format = typeof body.format === 'string' && body.format ? body.format : undefined
    if (format && !FORMATS.has(format)) throw fieldIssue(400, 'format', 'invalid', 'must be csv, txt, text or stix')
    const type = typeof body.type === 'string' && body.type ? IocTypeSchema.safeParse(body.type) : undefined
    if (type && !type.success) throw fieldIssue(400, 'type', 'invalid', `must be one of ${IocTypeSchema.options.join(', ')}`)
    const filename = cleanFilename(file.name)
    return { text: decoded.text, format: format as ImportFormat | 'stix' | undefined, filename, type: type?.data, source: 'upload' as const }
  }
  if (!ct.startsWith('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send multipart/form-data (field file) or application/json {text, format}')
  }
  let json: unknown
  try {
    json = await c.req.json()
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(err as Error).message}`)
  }
  const parsed = ImportTextInput.safeParse(json)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', reason: i.message, code: i.code }))
    throw new ApiError(400, 'validation_failed', fields.map((f) => `${f.field}: ${f.reason}`).join('; '), { fields })
  }
  const { text, format, filename, type } = parsed.data
  return { text, format: format as ImportFormat | 'stix' | undefined, filename: cleanFilename(filename), type: type as IocType | undefined, source: 'paste' as const }
}

export function batchView(b: ImportBatchRow) {
  return {
    id: b.id,
    source: b.source,
    format: b.format,
    filename: b.filename,
    status: b.status,
    rowCount: b.rowCount,
    notes: b.notes,
    columns: b.columns,
    options: b.options,
    result: b.result,
    createdBy: b.createdBy,
    createdAt: b.createdAt,
    committedAt: b.committedAt,
  }
}

type AllowlistBrief = { id: number; kind: string; value: string; reason: string }

/** Why a row has its status, in one sentence (the UI translates by `status` and shows this too). */
function reasonOf(r: ImportRowRow, entries: Map<number, AllowlistBrief>): string | null {
  if (r.status === 'invalid') return (r.error as { message?: string } | null)?.message ?? 'invalid'
  if (r.status === 'allowlisted') {
    const a = entries.get(r.allowlistId!)
    return a ? `allowlisted by ${a.value} (reason: ${a.reason})` : 'allowlisted'
  }
  if (r.status === 'duplicate') return r.dupIocId ? `duplicate of IOC #${r.dupIocId}` : `duplicate of line ${r.dupOfLine}`
  const messages = [...(r.warnings ?? []).map((w) => w.message)]
  if (r.listed) messages.push(`${r.value} is on the MISP warninglist '${r.listed.list}' (entry ${r.listed.entry})`)
  return messages.length ? messages.join('; ') : null
}

async function rowViews(db: Db, rows: ImportRowRow[]) {
  const ids = [...new Set(rows.map((r) => r.allowlistId).filter((x): x is number => x !== null))]
  const entries = new Map<number, AllowlistBrief>()
  if (ids.length) {
    for (const e of await db.select().from(allowlist).where(inArray(allowlist.id, ids))) entries.set(e.id, e)
  }
  return rows.map((r) => ({
    idx: r.idx,
    line: r.line,
    raw: r.raw,
    type: r.type,
    value: r.value,
    status: r.status,
    reason: reasonOf(r, entries),
    error: r.error,
    warnings: r.warnings ?? [],
    listed: r.listed,
    dupIocId: r.dupIocId,
    dupOfLine: r.dupOfLine,
    allowlist: r.allowlistId ? (entries.get(r.allowlistId) ?? null) : null,
    selected: r.selected,
    edited: r.edited,
    meta: { ticket: r.ticket, comment: r.comment, campaign: r.campaign, tags: r.tags, ttl: r.ttl, expiresAt: r.expiresAt },
  }))
}

export const importRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .post('/', writer, bodyLimit({ maxSize: IMPORT_MAX_BYTES + 64 * 1024, onError: tooLarge }), async (c) => {
    const upload = await readUpload(c)
    const id = isStix(upload.text, upload.format, upload.filename)
      ? await stageStix(c.var.db, { text: upload.text, filename: upload.filename }, actorOf(c))
      : await stageImport(c.var.db, { ...upload, format: (upload.format as ImportFormat | undefined) ?? detectFormat(upload.text, upload.filename ?? undefined) }, actorOf(c))
    const batch = await loadBatch(c.var.db, id, actorOf(c))
    const page = await listImportRows(c.var.db, id, { limit: FIRST_PAGE })
    return c.json(
      { id, batch: batchView(batch), counts: await importCounts(c.var.db, id), rows: await rowViews(c.var.db, page.items), nextCursor: page.nextCursor },
      201,
    )
  })
  .get('/', async (c) => {
    const mine = c.var.user.role === 'admin' && c.req.query('all') === 'true' ? undefined : c.var.user.id
    const rows = await listImportBatches(c.var.db, mine)
    return c.json({ items: rows.map((r) => ({ ...batchView(r.batch), createdByName: r.createdByName })) })
  })
  .get('/:id', zv('param', IdParam), async (c) => {
    const batch = await loadBatch(c.var.db, c.req.valid('param').id, actorOf(c))
    return c.json({ batch: batchView(batch), counts: await importCounts(c.var.db, batch.id) })
  })
  .get('/:id/rows', zv('param', IdParam), zv('query', ImportRowsQuery), async (c) => {
    const batch = await loadBatch(c.var.db, c.req.valid('param').id, actorOf(c))
    const q = c.req.valid('query')
    const page = await listImportRows(c.var.db, batch.id, { ...q, selected: q.selected === undefined ? undefined : q.selected === 'true' })
    return c.json({ items: await rowViews(c.var.db, page.items), nextCursor: page.nextCursor })
  })
  .patch('/:id/rows/:idx', writer, zv('param', ImportRowParam), zv('json', ImportRowPatch), async (c) => {
    const { id, idx } = c.req.valid('param')
    const row = await editImportRow(c.var.db, id, idx, c.req.valid('json'), actorOf(c))
    const [view] = await rowViews(c.var.db, [row])
    return c.json({ row: view, counts: await importCounts(c.var.db, id) })
  })
  .post('/:id/select', writer, zv('param', IdParam), zv('json', ImportSelectInput), async (c) => {
    const id = c.req.valid('param').id
    const { statuses, selected } = c.req.valid('json')
    await selectImportRows(c.var.db, id, statuses, selected, actorOf(c))
    return c.json({ counts: await importCounts(c.var.db, id) })
  })
  .patch('/:id', writer, zv('param', IdParam), zv('json', ImportOptions), async (c) => {
    const options = await setImportOptions(c.var.db, c.req.valid('param').id, c.req.valid('json'), actorOf(c))
    return c.json({ options })
  })
  .post('/:id/commit', writer, zv('param', IdParam), zv('json', ImportCommitInput), async (c) => {
    const id = c.req.valid('param').id
    const result = await commitBatch(c.var.db, id, c.req.valid('json'), actorOf(c), new Date())
    // A migration also brings YARA rule files: compiled and stored once the batch is committed.
    const yara = MIGRATION_SOURCES.has(result.batch.source) ? await storeMigratedYara(c.var.db, c.env, id, actorOf(c)) : undefined
    return c.json({ created: result.created, skipped: result.skipped, counts: result.counts, batch: batchView(result.batch), ...(yara ? { yara } : {}) })
  })
  .delete('/:id', writer, zv('param', IdParam), async (c) => {
    await discardImport(c.var.db, c.req.valid('param').id, actorOf(c))
    return c.body(null, 204)
  })
