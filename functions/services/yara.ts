import type { Context } from 'hono'
import { eq, sql } from 'drizzle-orm'
import type { YaraPatch, YaraUpload } from '../../schema/contracts/yara'
import { yaraRules } from '../../schema/yara'
import { analyzeYara, type YaraAnalysis } from '../domain/yara-analysis'
import { parseCompilerReport } from '../domain/yara-diagnostics'
import { canEdit, canReview, canTransition, canUpload, filenameFor, sanitizeFilename, type Who } from '../domain/yara-workflow'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { ApiError, fieldError, forbidden, notFound } from '../lib/errors'
import { sha256Hex } from '../lib/hash'
import { compileSources } from '../lib/yara-engine'
import { getCampaign } from '../repos/campaigns'
import { bumpGeneration } from '../repos/generation'
import { findClash, getYaraRow, getYaraSettings, historyStmt, libraryRules, selectApprovedForFeed, type YaraRow } from '../repos/yara'

type Ctx = Context<AppEnv>

const who = (c: Ctx): Who => ({ id: c.var.user.id, role: c.var.user.role })
const actor = (c: Ctx) => ({ id: c.var.user.id, username: c.var.user.username })

/** Compiles with YARA-X (a fresh compiler), then lints and scores against the rest of the library. */
export async function checkContent(c: Ctx, content: string, except?: number): Promise<YaraAnalysis> {
  const [settings, compiled] = await Promise.all([getYaraSettings(c.var.db), compileSources(c.env, [{ content }])])
  const report = compiled.results[0] ?? { errors: [], warnings: [] }
  if (!report.errors.length && !compiled.built) report.errors.push(`error: ${compiled.buildError ?? 'the rules could not be built'}`)
  const library = report.errors.length ? [] : await libraryRules(c.var.db, except)
  return analyzeYara(content, report, library, settings)
}

/** 422 with every compile error at its line: `details.errors` (and the warnings found so far). */
function compileFailed(filename: string, a: YaraAnalysis): ApiError {
  const first = a.errors[0]
  const where = first.line ? ` (line ${first.line}${first.column ? `, column ${first.column}` : ''})` : ''
  const more = a.errors.length > 1 ? ` and ${a.errors.length - 1} more` : ''
  return new ApiError(422, 'yara_compile_failed', `${filename}: ${first.message}${where}${more}`, { errors: a.errors, warnings: a.warnings })
}

function checkedFilename(raw: string): string {
  const s = sanitizeFilename(raw)
  if (!s.ok) throw fieldError(400, 'filename', s.reason, 'invalid_filename')
  return s.name
}

async function checkCampaign(c: Ctx, id: number | null | undefined) {
  if (id && !(await getCampaign(c.var.db, id))) throw fieldError(422, 'campaignId', 'no campaign has this id', 'not_found')
}

async function refuseClash(c: Ctx, filename: string, sha256: string, except?: number) {
  const clash = await findClash(c.var.db, filename, sha256, except)
  if (clash.byName) {
    throw new ApiError(409, 'duplicate', `filename: a rule file named ${clash.byName.filename} already exists`, {
      id: clash.byName.id,
      fields: [{ field: 'filename', reason: 'already exists', code: 'duplicate' }],
    })
  }
  if (clash.byContent) {
    throw new ApiError(409, 'duplicate_content', `The same content is already in the library as ${clash.byContent.filename}`, { id: clash.byContent.id, filename: clash.byContent.filename })
  }
}

const analysisColumns = (a: YaraAnalysis) => ({
  ruleNames: a.ruleNames,
  rules: a.rules,
  imports: a.imports,
  quality: a.quality,
  qualityParts: a.qualityParts,
  lint: a.warnings,
})

export async function uploadYara(c: Ctx, input: YaraUpload): Promise<{ id: number; analysis: YaraAnalysis }> {
  if (!canUpload(who(c))) throw forbidden()
  const analysis = await checkContent(c, input.content)
  const filename = checkedFilename(input.filename ?? filenameFor(analysis.ruleNames[0]))
  if (!analysis.ok) throw compileFailed(filename, analysis)
  await checkCampaign(c, input.campaignId)
  const sha256 = await sha256Hex(new TextEncoder().encode(input.content))
  await refuseClash(c, filename, sha256)
  const size = new TextEncoder().encode(input.content).length
  // The new row's id inside the same batch: the live row with this content (unique).
  const newId = sql<number>`(SELECT id FROM yara_rules WHERE sha256 = ${sha256} AND deleted_at IS NULL)`
  try {
    await c.var.db.batch([
      c.var.db.insert(yaraRules).values({
        filename,
        content: input.content,
        sha256,
        size,
        ...analysisColumns(analysis),
        ticket: input.ticket ?? '',
        comment: input.comment ?? '',
        campaignId: input.campaignId ?? null,
        tags: [...new Set(input.tags ?? [])],
        createdBy: c.var.user.id,
      }),
      historyStmt(c.var.db, { ruleId: newId, event: 'uploaded', toStatus: 'pending', actor: actor(c), diff: { filename, sha256, rules: analysis.ruleNames.length, quality: analysis.quality } }),
    ])
  } catch (err) {
    // Another upload of the same name or content won the race.
    if (/UNIQUE constraint failed/i.test(String(err))) await refuseClash(c, filename, sha256)
    throw err
  }
  const row = (await findClash(c.var.db, filename, sha256)).byContent!
  await auditAction(c, 'yara.upload', filename, { id: row.id, sha256, rules: analysis.ruleNames.length })
  return { id: row.id, analysis }
}

async function loadOwned(c: Ctx, id: number): Promise<YaraRow> {
  const row = await getYaraRow(c.var.db, id)
  if (!row) throw notFound('YARA rule file')
  return row
}

/**
 * Content edits are compiled like an upload and send an approved or rejected file back to
 * pending (it leaves the feeds until approved again); metadata edits keep the status.
 */
export async function patchYara(c: Ctx, id: number, patch: YaraPatch): Promise<{ analysis?: YaraAnalysis }> {
  const row = await loadOwned(c, id)
  if (!canEdit(who(c), row)) throw forbidden('You may edit only rule files you uploaded')
  const filename = patch.filename === undefined ? row.filename : checkedFilename(patch.filename)
  const contentChanged = patch.content !== undefined && patch.content !== row.content
  const analysis = contentChanged ? await checkContent(c, patch.content!, id) : undefined
  if (analysis && !analysis.ok) throw compileFailed(filename, analysis)
  await checkCampaign(c, patch.campaignId)
  const sha256 = contentChanged ? await sha256Hex(new TextEncoder().encode(patch.content!)) : row.sha256
  if (filename !== row.filename || contentChanged) await refuseClash(c, filename, sha256, id)

  const now = new Date().toISOString()
  const set: Partial<typeof yaraRules.$inferInsert> = { updatedAt: now, updatedBy: c.var.user.id }
  const changed: Record<string, unknown> = {}
  for (const key of ['ticket', 'comment', 'campaignId', 'tags'] as const) {
    if (patch[key] !== undefined && JSON.stringify(patch[key]) !== JSON.stringify(row[key])) {
      changed[key] = { from: row[key], to: patch[key] }
      Object.assign(set, { [key]: patch[key] })
    }
  }
  if (filename !== row.filename) {
    changed.filename = { from: row.filename, to: filename }
    set.filename = filename
  }
  const stmts = []
  if (contentChanged) {
    Object.assign(set, analysisColumns(analysis!), {
      content: patch.content,
      sha256,
      size: new TextEncoder().encode(patch.content!).length,
      version: row.version + 1,
      status: 'pending',
      reviewedBy: null,
      reviewedAt: null,
      rejectReason: null,
    })
    changed.sha256 = { from: row.sha256, to: sha256 }
    changed.previousContent = row.content
    stmts.push(historyStmt(c.var.db, { ruleId: id, event: 'edited', fromStatus: row.status, toStatus: 'pending', actor: actor(c), diff: changed }))
  } else if (Object.keys(changed).length) {
    stmts.push(historyStmt(c.var.db, { ruleId: id, event: 'metadata', fromStatus: row.status, toStatus: row.status, actor: actor(c), diff: changed }))
  } else return {}
  // What an approved file serves changes with its content and its name.
  const feedsChange = row.status === 'approved' && (contentChanged || set.filename !== undefined)
  await c.var.db.batch([c.var.db.update(yaraRules).set(set).where(eq(yaraRules.id, id)), ...stmts, ...(feedsChange ? [bumpGeneration(c.var.db, ['yara'])] : [])])
  const { previousContent: _content, ...auditDiff } = changed
  await auditAction(c, contentChanged ? 'yara.edit' : 'yara.edit_metadata', filename, { id, ...auditDiff, ...(contentChanged ? { fromStatus: row.status, toStatus: 'pending' } : {}) })
  return { analysis }
}

/**
 * The bundle must keep compiling: the candidate is compiled together with every approved file,
 * and a clash (a rule name used twice, anything else YARA refuses) blocks the approval.
 */
async function checkBundle(c: Ctx, row: YaraRow) {
  const approved = (await selectApprovedForFeed(c.env.DB)).filter((f) => f.filename !== row.filename)
  const names = new Map<string, string>()
  for (const f of approved) for (const n of JSON.parse(f.rule_names) as string[]) names.set(n, f.filename)
  const clash = row.ruleNames.find((n) => names.has(n))
  if (clash) {
    throw new ApiError(409, 'bundle_conflict', `Rule ${clash} is already approved in ${names.get(clash)}; the bundle can hold only one rule of that name`, { rule: clash, filename: names.get(clash) })
  }
  const compiled = await compileSources(c.env, [...approved.map((f) => ({ content: f.content })), { content: row.content }])
  const index = compiled.results.findIndex((r) => r.errors.length)
  if (index >= 0 || !compiled.built) {
    const report = index >= 0 ? compiled.results[index].errors[0] : `error: ${compiled.buildError ?? 'the bundle could not be built'}`
    const d = parseCompilerReport(report)
    const where = index >= 0 && index < approved.length ? approved[index].filename : row.filename
    throw new ApiError(409, 'bundle_conflict', `With this file the bundle does not compile: ${where}: ${d.message}`, { filename: where, error: d })
  }
}

export async function reviewYara(c: Ctx, id: number, action: 'approve' | 'reject', reason?: string) {
  const row = await loadOwned(c, id)
  const settings = await getYaraSettings(c.var.db)
  if (!canReview(who(c), row, settings.reviewers)) {
    throw forbidden(row.createdBy === c.var.user.id ? 'You cannot review a rule file you uploaded; another reviewer or an admin must' : 'Only admins and reviewers may approve or reject rule files')
  }
  if (!canTransition(row.status, action)) {
    throw new ApiError(409, 'invalid_transition', `A ${row.status} rule file cannot be ${action === 'approve' ? 'approved' : 'rejected'}`, { status: row.status })
  }
  if (action === 'approve') await checkBundle(c, row)
  const to = action === 'approve' ? 'approved' : 'rejected'
  const now = new Date().toISOString()
  await c.var.db.batch([
    c.var.db
      .update(yaraRules)
      .set({ status: to, reviewedBy: c.var.user.id, reviewedAt: now, rejectReason: action === 'reject' ? reason! : null, updatedAt: now })
      .where(eq(yaraRules.id, id)),
    historyStmt(c.var.db, { ruleId: id, event: to, fromStatus: row.status, toStatus: to, actor: actor(c), diff: action === 'reject' ? { reason } : { sha256: row.sha256 } }),
    ...(action === 'approve' || row.status === 'approved' ? [bumpGeneration(c.var.db, ['yara'])] : []),
  ])
  await auditAction(c, `yara.${action}`, row.filename, { id, fromStatus: row.status, sha256: row.sha256, ...(reason ? { reason } : {}) })
}

export async function deleteYara(c: Ctx, id: number) {
  const row = await loadOwned(c, id)
  if (!canEdit(who(c), row)) throw forbidden('You may delete only rule files you uploaded')
  const now = new Date().toISOString()
  await c.var.db.batch([
    c.var.db.update(yaraRules).set({ deletedAt: now, deletedBy: c.var.user.id, updatedAt: now }).where(eq(yaraRules.id, id)),
    historyStmt(c.var.db, { ruleId: id, event: 'deleted', fromStatus: row.status, actor: actor(c), diff: { filename: row.filename, sha256: row.sha256 } }),
    ...(row.status === 'approved' ? [bumpGeneration(c.var.db, ['yara'])] : []),
  ])
  await auditAction(c, 'yara.delete', row.filename, { id, status: row.status, sha256: row.sha256 })
}
