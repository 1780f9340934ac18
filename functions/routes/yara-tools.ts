import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { YARA_MAX_BYTES, YARA_SAMPLE_MAX_BYTES, YaraSettings, YaraValidate } from '../../schema/contracts/yara'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireRole } from '../lib/auth'
import { ApiError, fieldError } from '../lib/errors'
import { sha256Hex } from '../lib/hash'
import { zv } from '../lib/validate'
import { scanSample } from '../lib/yara-engine'
import { getUserById } from '../repos/users'
import { getYaraSettings, reviewerCandidates, scanFiles, setYaraSettingStmts } from '../repos/yara'
import { checkContent } from '../services/yara'
import { tooLarge } from './yara-limits'

/** Parses `ids=3,7,12` (the files to scan with); undefined when absent. */
function readIds(raw: unknown): number[] | undefined {
  if (typeof raw !== 'string' || !raw.trim()) return undefined
  const ids = raw.split(',').map((s) => s.trim())
  if (ids.length > 1000 || ids.some((s) => !/^[1-9]\d{0,9}$/.test(s))) throw fieldError(400, 'ids', 'must be a comma-separated list of rule file ids', 'invalid_format')
  return ids.map(Number)
}

/**
 * Compile checks, test scans and lint settings: the YARA Manager's tools beside the library.
 * Mounted inside `yaraRoutes`, after its authentication and before its `/:id` routes.
 */
export const yaraToolRoutes = new Hono<AppEnv>()
  .post('/validate', bodyLimit({ maxSize: 2 * YARA_MAX_BYTES + 64 * 1024, onError: tooLarge(YARA_MAX_BYTES, 'A rule file') }), zv('json', YaraValidate), async (c) => {
    const a = await checkContent(c, c.req.valid('json').content)
    return c.json({ ok: a.ok, errors: a.errors, warnings: a.warnings, ruleNames: a.ruleNames, quality: a.quality, qualityParts: a.qualityParts })
  })
  .post('/scan', bodyLimit({ maxSize: YARA_SAMPLE_MAX_BYTES + 64 * 1024, onError: tooLarge(YARA_SAMPLE_MAX_BYTES, 'A sample') }), async (c) => {
    if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the sample as multipart/form-data (field file)')
    }
    const body = await c.req.parseBody()
    const sample = body.file
    if (!(sample instanceof File)) throw fieldError(400, 'file', 'is required (the sample to scan)', 'required')
    if (sample.size > YARA_SAMPLE_MAX_BYTES) tooLarge(YARA_SAMPLE_MAX_BYTES, 'A sample')()
    const scope = body.scope === undefined ? 'library' : body.scope
    if (scope !== 'library' && scope !== 'approved') throw fieldError(400, 'scope', 'must be library or approved', 'invalid_value')
    const ids = readIds(body.ids)
    const files = await scanFiles(c.var.db, { ids, approvedOnly: scope === 'approved' })
    // Read, hashed for the record, scanned, and dropped: the sample is never stored.
    const bytes = new Uint8Array(await sample.arrayBuffer())
    const info = { name: sample.name.slice(0, 200), size: bytes.byteLength, sha256: await sha256Hex(bytes) }
    if (!files.length) return c.json({ sample: info, files: 0, matches: [], skipped: [] })
    const result = await scanSample(c.env, files.map((f) => ({ namespace: `f${f.id}`, content: f.content })), bytes)
    const byNs = new Map(files.map((f) => [`f${f.id}`, f]))
    const matches = result.matches
      .filter((m) => !m.isPrivate && byNs.has(m.namespace))
      .map((m) => {
        const f = byNs.get(m.namespace)!
        return {
          ruleId: f.id,
          filename: f.filename,
          status: f.status,
          rule: m.identifier,
          tags: m.tags,
          strings: m.patterns.filter((p) => p.matches.length).map((p) => ({ id: p.identifier, count: p.matches.length, offsets: p.matches.slice(0, 10).map((x) => x.offset) })),
        }
      })
    const skipped = result.skipped.map((i) => ({ id: files[i].id, filename: files[i].filename }))
    await auditAction(c, 'yara.scan', info.name, { sha256: info.sha256, size: info.size, files: files.length, matches: matches.length })
    return c.json({ sample: info, files: files.length, matches, skipped })
  })
  .get('/settings', async (c) => {
    const settings = await getYaraSettings(c.var.db)
    // Admins pick reviewers from the active analysts.
    const candidates = c.var.user.role === 'admin' ? await reviewerCandidates(c.var.db) : []
    return c.json({ settings, candidates })
  })
  .patch('/settings', requireRole('admin'), zv('json', YaraSettings), async (c) => {
    const input = c.req.valid('json')
    if (input.reviewers) input.reviewers = [...new Set(input.reviewers)]
    for (const [i, id] of (input.reviewers ?? []).entries()) {
      const user = await getUserById(c.var.db, id)
      if (!user || !user.active || user.source === 'system' || (user.role !== 'analyst' && user.role !== 'admin')) {
        throw fieldError(422, `reviewers.${i}`, 'is not an active analyst or admin', 'invalid_reviewer')
      }
    }
    const stmts = setYaraSettingStmts(c.var.db, input, c.var.user.username)
    if (stmts.length) await c.var.db.batch(stmts as never)
    await auditAction(c, 'settings.change', 'yara', input)
    return c.json({ settings: await getYaraSettings(c.var.db) })
  })
