import { sql } from 'drizzle-orm'
import type { MispRunResult } from '../../schema/contracts/misp'
import type { Db } from '../env'
import { HELD_FORMAT } from './misp-commit'

const SAMPLES = 30

interface SampleRow {
  raw: string
  value: string | null
  status: string
  error: string | null
  warnings: string | null
  listed: string | null
  mispType: string | null
  eventId: string | null
  allowlist: string | null
  allowlistReason: string | null
}

function reasonOf(r: SampleRow): string | undefined {
  if (r.status === 'invalid' && r.error) return (JSON.parse(r.error) as { message: string }).message
  if (r.status === 'allowlisted') return r.allowlist ? `allowlisted by ${r.allowlist}` : 'allowlisted'
  if (r.status === 'warning') {
    const warnings = (JSON.parse(r.warnings ?? '[]') as { code: string; message: string }[]).filter((w) => w.code !== 'port_dropped')
    const listed = r.listed ? (JSON.parse(r.listed) as { list: string; entry: string }) : null
    return [...warnings.map((w) => w.message), ...(listed ? [`on warninglist '${listed.list}' (${listed.entry})`] : [])].join('; ') || undefined
  }
  return undefined
}

async function samples(db: Db, batchId: number, where: ReturnType<typeof sql>) {
  const rows = await db.all<SampleRow>(sql`SELECT r.raw, r.value, r.status, r.error, r.warnings, r.listed,
      json_extract(r.extra, '$.mispType') AS mispType, json_extract(r.extra, '$.eventId') AS eventId,
      (SELECT value FROM allowlist a WHERE a.id = r.allowlist_id) AS allowlist,
      (SELECT reason FROM allowlist a WHERE a.id = r.allowlist_id) AS allowlistReason
    FROM import_rows r WHERE r.batch_id = ${batchId} AND ${where} ORDER BY r.idx LIMIT ${SAMPLES}`)
  return rows.map((r) => {
    const sample: MispRunResult['samples']['invalid'][number] = { mispType: r.mispType ?? '', value: r.value ?? r.raw, event: r.eventId, reason: reasonOf(r) }
    if (r.status === 'invalid' && r.error) {
      const e = JSON.parse(r.error) as { code: string; message: string; part?: string }
      sample.error = { code: e.code, message: e.message, ...(e.part ? { part: e.part } : {}) }
    }
    if (r.status === 'warning') {
      sample.warnings = (JSON.parse(r.warnings ?? '[]') as { code: string }[]).map((w) => w.code).filter((c) => c !== 'port_dropped')
      if (r.listed) sample.listed = (JSON.parse(r.listed) as { list: string }).list
    }
    if (r.status === 'allowlisted' && r.allowlist) sample.allowlist = { value: r.allowlist, reason: r.allowlistReason ?? '' }
    return sample
  })
}

/** The run's counts and samples, read back from the committed batch. */
export async function mispSummary(
  db: Db,
  batchId: number | null,
  base: {
    pages: number
    fetched: number
    extended: number
    tally: { skipped: Record<string, number>; skippedByType: Record<string, number> }
    cursorFrom: number | null
    cursorTo: number | null
  },
): Promise<{ result: MispRunResult; heldBatchId: number | null }> {
  const result: MispRunResult = {
    pages: base.pages,
    fetched: base.fetched,
    created: 0,
    extended: base.extended,
    duplicates: 0,
    held: 0,
    warningsImported: 0,
    allowlisted: 0,
    invalid: 0,
    skipped: { ...base.tally.skipped },
    skippedByType: { ...base.tally.skippedByType },
    withdrawn: 0,
    expired: 0,
    reconciled: false,
    checked: 0,
    cursorFrom: base.cursorFrom,
    cursorTo: base.cursorTo,
    samples: { created: [], invalid: [], held: [], allowlisted: [] },
  }
  if (batchId === null) return { result, heldBatchId: null }
  const counts = await db.all<{ status: string; n: number; selected: number }>(
    sql`SELECT status, count(*) AS n, sum(selected) AS selected FROM import_rows WHERE batch_id = ${batchId} GROUP BY status`,
  )
  const by = Object.fromEntries(counts.map((c) => [c.status, c]))
  result.duplicates = by.duplicate?.n ?? 0
  result.allowlisted = by.allowlisted?.n ?? 0
  result.invalid = by.invalid?.n ?? 0
  result.warningsImported = by.warning?.selected ?? 0
  const created = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM iocs WHERE import_batch_id = ${batchId}`)
  result.created = created?.n ?? 0
  const held = await db.get<{ id: number; n: number }>(
    sql`SELECT id, row_count AS n FROM import_batches WHERE format = ${HELD_FORMAT} AND id > ${batchId} ORDER BY id LIMIT 1`,
  )
  result.held = held?.n ?? 0
  const notTaken = (by.warning?.n ?? 0) - result.warningsImported - result.held
  if (notTaken > 0) result.skipped.warning = notTaken
  result.samples = {
    created: await samples(db, batchId, sql`r.selected AND r.status IN ('new', 'warning')`),
    invalid: await samples(db, batchId, sql`r.status = 'invalid'`),
    held: await samples(db, batchId, sql`r.status = 'warning' AND NOT r.selected`),
    allowlisted: await samples(db, batchId, sql`r.status = 'allowlisted'`),
  }
  return { result, heldBatchId: held?.id ?? null }
}
