import { sql } from 'drizzle-orm'
import { yaraRules } from '../../schema/yara'
import { analyzeYara } from '../domain/yara-analysis'
import type { Bindings, Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { sha256Hex } from '../lib/hash'
import { compileSources } from '../lib/yara-engine'
import { getCampaignByName } from '../repos/campaigns'
import { bumpGeneration } from '../repos/generation'
import { findClash, getYaraSettings, historyStmt, libraryRules } from '../repos/yara'
import type { Actor } from './iocs'
import { migratedYaraRules } from './migration'

export interface YaraMigrationResult {
  stored: number
  approved: number
  pending: number
  /** Already in the library (same file name or same content): running it again adds nothing. */
  present: number
  /** File name and why a rule that was approved before is pending now. */
  demoted: { filename: string; reason: string }[]
}

/**
 * Puts the YARA rules a committed migration batch brought into the YARA Manager: each file is
 * compiled with YARA-X (through HOST, like an upload) and linted against the library; a file that
 * was approved and still compiles stays approved, anything else arrives pending with its errors
 * in the lint findings. Idempotent by file name and content hash.
 */
export async function storeMigratedYara(db: Db, env: Pick<Bindings, 'HOST'>, batchId: number, actor: Actor): Promise<YaraMigrationResult> {
  const rules = (await migratedYaraRules(db)).filter((r) => r.batchId === batchId)
  const result: YaraMigrationResult = { stored: 0, approved: 0, pending: 0, present: 0, demoted: [] }
  if (!rules.length) return result
  const settings = await getYaraSettings(db)
  for (const rule of rules) {
    const sha256 = await sha256Hex(new TextEncoder().encode(rule.content))
    const clash = await findClash(db, rule.filename, sha256)
    if (clash.byName || clash.byContent) {
      result.present++
      continue
    }
    const compiled = await compileSources(env as Bindings, [{ content: rule.content }])
    const report = compiled.results[0] ?? { errors: [], warnings: [] }
    if (!report.errors.length && !compiled.built) report.errors.push(`error: ${compiled.buildError ?? 'the rules could not be built'}`)
    const analysis = analyzeYara(rule.content, report, report.errors.length ? [] : await libraryRules(db), settings)
    const status = rule.status === 'approved' && analysis.ok && !rule.errors.length ? 'approved' : 'pending'
    if (rule.status === 'approved' && status === 'pending') {
      const why = analysis.errors[0]?.message ?? rule.errors[0] ?? 'does not compile'
      result.demoted.push({ filename: rule.filename, reason: why })
    }
    const author = await db.get<{ id: number } | undefined>(
      sql`SELECT id FROM users WHERE username = ${rule.analyst} COLLATE NOCASE OR username = ${`legacy:${rule.analyst}`} COLLATE NOCASE ORDER BY id LIMIT 1`,
    )
    const campaign = rule.campaign ? await getCampaignByName(db, rule.campaign) : undefined
    const at = rule.uploadedAt ?? new Date().toISOString()
    const newId = sql<number>`(SELECT id FROM yara_rules WHERE sha256 = ${sha256} AND deleted_at IS NULL)`
    const findings = [...analysis.errors, ...analysis.warnings]
    await runBatch(db, [
      db.insert(yaraRules).values({
        filename: rule.filename,
        content: rule.content,
        sha256,
        size: new TextEncoder().encode(rule.content).length,
        ruleNames: analysis.ruleNames,
        rules: analysis.rules,
        imports: analysis.imports,
        quality: analysis.quality,
        qualityParts: analysis.qualityParts,
        lint: findings,
        status,
        ticket: (rule.ticket ?? '').slice(0, 64),
        comment: (rule.comment ?? '').slice(0, 2000),
        campaignId: campaign?.id ?? null,
        createdBy: author?.id ?? actor.id,
        reviewedBy: status === 'approved' ? actor.id : null,
        reviewedAt: status === 'approved' ? at : null,
        createdAt: at,
        updatedAt: at,
      }),
      historyStmt(db, {
        ruleId: newId,
        event: 'uploaded',
        toStatus: status,
        actor: { id: actor.id, username: actor.username },
        diff: { migratedFrom: `import:${batchId}`, analyst: rule.analyst, previousStatus: rule.status, errors: analysis.errors.length },
      }),
      ...(status === 'approved' ? [bumpGeneration(db, ['yara'])] : []),
    ])
    result.stored++
    result[status]++
  }
  return result
}
