/**
 * `moat import ziochub|threatgate|commit`: reads an old installation (bin/legacy-source.ts), maps it
 * (functions/domain), stages it as one import batch in Moat's database and, with --commit, commits
 * it. Prints a report of every skipped, merged or changed item; never a secret's value. Run it
 * with Moat stopped: it opens the same data folder.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { createDb, type Db } from '../functions/env'
import { allowlistMatch } from '../functions/domain/allowlist'
import type { ReportEntry } from '../functions/domain/legacy-iocs'
import { parseLegacyAllowlist } from '../functions/domain/legacy-allowlist'
import { isValidTimeZone } from '../functions/domain/legacy-time'
import type { MigrationPlan } from '../functions/domain/migration-plan'
import { mapPlaybook } from '../functions/domain/playbook-import'
import { planThreatgate } from '../functions/domain/threatgate'
import { planZiochub } from '../functions/domain/ziochub'
import { importCounts, listImportRows } from '../functions/repos/imports'
import { commitMigration, stageMigration, type MigrationResult } from '../functions/services/migration'
import { storeMigratedYara, type YaraMigrationResult } from '../functions/services/yara-migration'
import type { Actor } from '../functions/services/iocs'
import { readText, readThreatgate, readZiochub, staticReader, yaraFolders } from './legacy-source'
import type { Runtime } from './runtime'

export const IMPORT_USAGE = `Usage:
  moat import ziochub <data-dir | ziochub.db> [options]
  moat import threatgate <dir with Main/> [options]
  moat import commit <batch-id> [--as <admin>]

Reads a ZIoCHub 2.x installation (its SQLite database read from a private copy, allowlist.txt,
playbook_custom.json, YARA/ and YARA_pending/, avatars in ../static/) or a legacy ThreatGate v1
Main/ folder, and stages everything as one import batch. Review it in Submit IOCs > Bulk import
(or print it here), then commit it there or with 'moat import commit <id>'. Running it again adds
nothing. Stop Moat first: the import opens the same data folder (MOAT_DATA).

Options:
  --commit                 commit the batch at once instead of leaving it staged for review
  --yara-dir <dir>         folder of approved rules (default <data-dir>/YARA); YARA_pending/ beside it
  --source-tz <zone>       time zone of the old server, for its naive local dates
                           (expiration_date, ThreatGate dates); default: this host's zone
  --allowlisted <mode>     rows the allowlist covers: exclude (import as excluded, default) or drop
  --as <admin>             the Moat administrator who runs the import (default: the first admin)
  --report-json <file>     also write the full report as JSON`

export interface ImportOutcome {
  batchId: number
  plan?: MigrationPlan
  result?: MigrationResult
  yara?: YaraMigrationResult
}

let write: (s?: string) => void = (s = '') => void process.stdout.write(`${s}\n`)

async function resolveActor(db: Db, name?: string): Promise<Actor> {
  const row = await db.get<{ id: number; username: string; role: string }>(
    name
      ? sql`SELECT id, username, role FROM users WHERE username = ${name} COLLATE NOCASE AND active = 1`
      : sql`SELECT id, username, role FROM users WHERE role = 'admin' AND active = 1 AND source = 'local' ORDER BY id LIMIT 1`,
  )
  if (!row) {
    throw new Error(name ? `--as ${name}: no active user of that name` : "no administrator in this Moat yet: run 'moat start' once (it creates the first admin), stop it, then import")
  }
  if (row.role !== 'admin') throw new Error(`--as ${name}: ${row.username} is not an administrator`)
  return { id: row.id, username: row.username, role: 'admin', ip: 'cli' }
}

/** Reads and maps the source: no Moat database needed, so bad input fails before anything is opened. */
export function buildPlan(kind: 'ziochub' | 'threatgate', input: string, opts: { yaraDir?: string; zone: string; now: Date }): { plan: MigrationPlan; notes: string[] } {
  const nowIso = opts.now.toISOString()
  if (kind === 'threatgate') {
    const tg = readThreatgate(input)
    const yara = yaraFolders(tg.dataDir, opts.yaraDir)
    const plan = planThreatgate({ files: tg.files, yaraList: tg.yaraList, yara, zone: opts.zone, nowIso, label: 'Main/' })
    return { plan, notes: tg.notes }
  }
  const src = readZiochub(input)
  const yara = yaraFolders(src.dataDir, opts.yaraDir)
  const plan = planZiochub({
    tables: src.tables,
    zone: opts.zone,
    nowIso,
    label: src.dbFile.split(/[\\/]/).pop()!,
    yara,
    readStatic: staticReader(src.dataDir),
  })
  const allowlist = readText(src.dataDir, 'allowlist.txt')
  if (allowlist !== null) {
    const parsed = parseLegacyAllowlist(allowlist)
    plan.allowlist = parsed.entries
    plan.report.push(...parsed.report)
    noteAllowlisted(plan)
  }
  const playbook = readText(src.dataDir, 'playbook_custom.json')
  if (playbook !== null) {
    const parsed = mapPlaybook(playbook)
    plan.playbook = parsed.links
    plan.report.push(...parsed.report)
  }
  const notes = [...src.notes]
  for (const name of ['allowlist.txt', 'playbook_custom.json']) {
    if (existsSync(path.join(src.dataDir, name)) && readText(src.dataDir, name) === null) notes.push(`${name}: not UTF-8 text (or too large); not imported`)
  }
  if (readText(src.dataDir, 'Main/ip.txt') !== null || readText(src.dataDir, 'Main/domain.txt') !== null) {
    notes.push(`a legacy ThreatGate Main/ folder is here too: 'moat import threatgate ${input}' imports it (equal values are merged or skipped as duplicates)`)
  }
  return { plan, notes }
}

/** Rows the imported allowlist will cover at commit (the preview only knows Moat's current allowlist). */
function noteAllowlisted(plan: MigrationPlan) {
  const entries = plan.allowlist.map((e, i) => ({ id: i, kind: e.kind, value: e.value, ipStart: e.ipStart, ipEnd: e.ipEnd, reason: e.source }))
  for (const r of plan.rows) {
    if (!('type' in r.staged) || !r.extra) continue
    const hit = allowlistMatch({ type: r.staged.type, value: r.staged.value }, entries)
    if (!hit) continue
    plan.report.push({
      kind: 'info',
      where: plan.source === 'ziochub' ? `iocs#${r.staged.line}` : `line ${r.staged.line}`,
      reason: 'allowlisted',
      message: `${r.staged.value}: covered by allowlist.txt entry ${JSON.stringify(hit.reason)}; at commit it is imported as excluded (--allowlisted drop leaves it out)`,
    })
  }
}

function printReport(entries: ReportEntry[]) {
  const order = ['skipped', 'merged', 'changed', 'warning', 'info']
  for (const kind of order) {
    const list = entries.filter((e) => e.kind === kind)
    if (!list.length) continue
    write(`\n${kind.toUpperCase()} (${list.length})`)
    for (const e of list) write(`  ${e.where}  [${e.reason}]  ${e.message}`)
  }
}

async function printBatch(db: Db, batchId: number) {
  const counts = await importCounts(db, batchId)
  write(`\nIOC rows of batch ${batchId}: ${counts.total} (new ${counts.new}, warning ${counts.warning}, duplicate ${counts.duplicate}, allowlisted ${counts.allowlisted}, invalid ${counts.invalid}; selected ${counts.selected})`)
  for (const status of ['allowlisted', 'warning', 'duplicate'] as const) {
    const page = await listImportRows(db, batchId, { status, limit: 1000 })
    if (!page.items.length) continue
    write(`  ${status}:`)
    for (const r of page.items) {
      const why =
        status === 'duplicate'
          ? r.dupIocId ? `duplicate of IOC #${r.dupIocId}` : `merged into line ${r.dupOfLine}`
          : status === 'allowlisted'
            ? `allowlist entry #${r.allowlistId}`
            : [...(r.warnings ?? []).map((w) => w.message), r.listed ? `on warninglist ${r.listed.list}` : ''].filter(Boolean).join('; ')
      write(`    line ${r.line}  ${r.type} ${r.value}  (${why})`)
    }
    if (page.nextCursor !== null) write('    …')
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      commit: { type: 'boolean', default: false },
      'yara-dir': { type: 'string' },
      'source-tz': { type: 'string' },
      allowlisted: { type: 'string', default: 'exclude' },
      as: { type: 'string' },
      'report-json': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
}

export interface ImportContext {
  /** Opens Moat's database: the launcher's own runtime, or a test's. */
  withRuntime: <T>(fn: (rt: Runtime) => Promise<T>) => Promise<T>
  /** Runs before the database is opened (the launcher builds the worker if it is stale). */
  prepare?: () => Promise<void>
  /** Where report lines go (stdout by default). */
  out?: (line: string) => void
  now?: Date
}

/** `moat import …` */
export async function runImport(argv: string[], ctx: ImportContext): Promise<ImportOutcome | null> {
  if (ctx.out) write = (s = '') => ctx.out!(s)
  const now = ctx.now ?? new Date()
  const withRuntime = ctx.withRuntime
  const { values, positionals } = parse(argv)
  const [kind, target] = positionals
  if (values.help || !kind || !target || !['ziochub', 'threatgate', 'commit'].includes(kind)) {
    write(IMPORT_USAGE)
    if (!values.help) process.exitCode = 2
    return null
  }
  await ctx.prepare?.()
  if (kind === 'commit') {
    const id = Number(target)
    if (!Number.isInteger(id) || id < 1) throw new Error(`commit: '${target}' is not a batch id`)
    return withRuntime(async (rt) => {
      const db = createDb((await rt.mf.getD1Database('DB')) as never)
      const actor = await resolveActor(db, values.as)
      const result = await commitMigration(db, id, {}, actor, now)
      const yara = await storeMigratedYara(db, (await rt.mf.getBindings()) as never, id, actor)
      printCommit(id, result, yara)
      return { batchId: id, result, yara }
    })
  }
  if (values.allowlisted !== 'exclude' && values.allowlisted !== 'drop') throw new Error('--allowlisted must be exclude or drop')
  const zone = values['source-tz'] ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'
  if (!isValidTimeZone(zone)) throw new Error(`--source-tz ${zone}: not an IANA time zone (e.g. Asia/Jerusalem, UTC)`)
  const { plan, notes } = buildPlan(kind as 'ziochub' | 'threatgate', target, { yaraDir: values['yara-dir'], zone, now })
  write(`Read ${plan.label} (source time zone ${zone}): ${plan.rows.length} IOC rows, ${plan.users.length} users, ${plan.campaigns.length} campaigns, ${plan.history.length} history events (${plan.tombstones.length} deleted values), ${plan.notes.length} notes, ${plan.allowlist.length} allowlist entries, ${plan.playbook.length} playbook links, ${plan.yara.length} YARA rules (${plan.yara.filter((y) => y.status === 'pending').length} pending)`)
  for (const n of notes) write(`NOTE: ${n}`)
  printReport(plan.report)
  if (values['report-json']) {
    const { writeFileSync } = await import('node:fs')
    writeFileSync(values['report-json'], JSON.stringify({ label: plan.label, zone, notes, report: plan.report }, null, 2))
  }
  return withRuntime(async (rt) => {
    const db = createDb((await rt.mf.getD1Database('DB')) as never)
    const actor = await resolveActor(db, values.as)
    const batchId = await stageMigration(db, plan, actor, { allowlisted: values.allowlisted as 'exclude' | 'drop' })
    await printBatch(db, batchId)
    if (!values.commit) {
      write(`\nStaged as import batch ${batchId} (nothing is live yet). Review it in Submit IOCs > Bulk import, then commit it there or run:`)
      write(`  moat import commit ${batchId}`)
      return { batchId, plan }
    }
    const result = await commitMigration(db, batchId, {}, actor, now)
    const yara = await storeMigratedYara(db, (await rt.mf.getBindings()) as never, batchId, actor)
    printCommit(batchId, result, yara)
    return { batchId, plan, result, yara }
  })
}

function printCommit(batchId: number, r: MigrationResult, y: YaraMigrationResult) {
  const a = r.applied
  write(`\nCommitted batch ${batchId}: ${r.created} IOCs created, ${r.skipped} rows not imported; users +${a.users}, campaigns +${a.campaigns}, history +${a.history}, notes +${a.notes}, allowlist +${a.allowlist}, playbook links +${a.playbook}, deleted values kept +${a.deleted}.`)
  if (a.users > 0) write('Imported local users have no password yet: give each one with `moat user reset-password <username>`.')
  write(`YARA rules: ${y.stored} stored (${y.approved} approved, ${y.pending} pending), ${y.present} already in the library.`)
  for (const d of y.demoted) write(`  ${d.filename}: approved before, pending now: ${d.reason}`)
  write('Champs records (goals, activity, rank snapshots) are kept with the batch for the Champs screen.')
}
