import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { z } from 'zod'
import { CampaignName, Comment, Tags, Ticket } from '../../schema/contracts/iocs'
import { IMPORT_MAX_ROWS, type ImportOptions, type ImportRowPatch } from '../../schema/contracts/imports'
import { migrationItems } from '../../schema/migration'
import { importBatches, importRows, warninglistEntries, warninglists } from '../../schema/tables'
import { parseImport, type ImportFormat, type StagedError, type StagedMeta, type StagedRow } from '../domain/import-parse'
import { IOC_TYPES, parseIoc, type IocType, type IocWarning } from '../domain/ioc'
import { CRITICAL_CODES, criticalBlocks, criticalRefusal, whoMayConfirm, type SanityMode } from '../domain/sanity-policy'
import { sanityWarnings } from '../domain/sanity'
import { autoTicket } from '../domain/ticket'
import { expiryFromTtl, TTL_PRESETS, type TtlPreset } from '../domain/ttl'
import { defaultTtlFor } from '../domain/ttl-policy'
import { parseStixBundle } from '../domain/stix-import'
import { compileWarninglists, type WarninglistMatcher, type WarninglistType } from '../domain/warninglist'
import type { Db } from '../env'
import { runBatch, type BatchItem } from '../lib/d1-batch'
import { ApiError, notFound } from '../lib/errors'
import { bumpGeneration } from '../repos/generation'
import {
  classifyStatements,
  getImportBatch,
  getImportRow,
  importCounts,
  allowlistHitSql,
  INFO_ONLY_CODE,
  liveDuplicateSql,
  stampStatement,
  statusCaseSql,
  type ImportBatchRow,
} from '../repos/imports'
import { getSetting } from '../repos/settings'
import { getUserById } from '../repos/users'
import { fillImportCountries } from './geoip'
import { findWarninglistHits } from '../repos/warninglists'
import { iocKeys } from './ioc-checks'
import type { Actor } from './iocs'
import { getIocPolicy } from './ioc-policy'

export type ImportSource = ImportBatchRow['source']

/** A row ready for `import_rows` (the parser's row plus derived keys, warnings and metadata checks). */
export interface PreparedRow {
  line: number
  raw: string
  type: IocType | null
  value: string | null
  host: string | null
  ipStart: string | null
  ipEnd: string | null
  suffixes: string[] | null
  meta: StagedMeta
  createdAt?: string | null
  error: StagedError | null
  warnings: IocWarning[]
  listed: { list: string; entry: string } | null
  extra?: Record<string, unknown> | null
}

/** Longer raw text is cut in the preview (the value itself is never cut). */
const RAW_MAX = 1000
/** Rows go to D1 as JSON arrays in chunks of at most this many bytes (one bound parameter each). */
const CHUNK_BYTES = 512 * 1024

const META_CHECKS: [keyof StagedMeta, z.ZodType][] = [
  ['ticket', Ticket],
  ['comment', Comment],
  ['campaign', CampaignName],
  ['tags', Tags],
]

/** The same limits as a single submission: a row the single form would refuse is an error here. */
function metaError(meta: StagedMeta): StagedError | null {
  for (const [field, schema] of META_CHECKS) {
    if (meta[field] === undefined) continue
    const r = schema.safeParse(meta[field])
    if (!r.success) {
      const issue = r.error.issues[0]
      const where = issue.path.length ? `${field}[${issue.path.join('.')}]` : field
      return { code: `invalid_${field}`, field, message: `${where}: ${issue.message}` }
    }
  }
  return null
}

/** Parser row -> prepared row: keys for the lookups, sanity warnings, warninglist hit, checks. */
export function prepareRow(row: StagedRow, nowIso: string, listed: WarninglistMatcher | null, allowPast = false): PreparedRow {
  const base = { line: row.line, raw: row.raw.length > RAW_MAX ? `${row.raw.slice(0, RAW_MAX)}…` : row.raw, meta: row.meta }
  const empty = { type: null, value: null, host: null, ipStart: null, ipEnd: null, suffixes: null, warnings: [], listed: null }
  if ('error' in row) return { ...base, ...empty, error: row.error }
  let error = metaError(row.meta)
  if (!error && !allowPast && row.meta.expiresAt && row.meta.expiresAt <= nowIso) {
    error = { code: 'in_past', field: 'expiry', message: `expiry: ${row.meta.expiresAt} is in the past` }
  }
  const keys = iocKeys(row.type, row.value)
  return {
    ...base,
    type: row.type,
    value: row.value,
    host: keys.host,
    ipStart: keys.ipStart,
    ipEnd: keys.ipEnd,
    suffixes: keys.hostSuffixes.length ? keys.hostSuffixes : null,
    error,
    warnings: [...row.warnings, ...sanityWarnings(row.type, row.value)],
    listed: listed ? listed({ type: row.type, value: row.value }) : null,
  }
}

/**
 * A critical sanity hit the actor may not confirm (domain/sanity-policy.ts) makes the row an error
 * (`critical_blocked`, status invalid: it cannot be selected), unless it already has one.
 */
export function blockCritical(row: PreparedRow, mode: SanityMode, role: Actor['role']): PreparedRow {
  if (row.error || !row.type) return row
  const refusal = criticalRefusal(row.warnings, mode, role)
  if (refusal) row.error = { ...refusal, message: `value: ${refusal.message}` }
  return row
}

/** Every enabled warninglist, indexed for bulk lookups (null when there are none). */
export async function loadWarninglistMatcher(db: Db): Promise<WarninglistMatcher | null> {
  const entries = await db
    .select({ name: warninglists.name, type: warninglists.listType, value: warninglistEntries.value, ipStart: warninglistEntries.ipStart, ipEnd: warninglistEntries.ipEnd })
    .from(warninglistEntries)
    .innerJoin(warninglists, eq(warninglists.id, warninglistEntries.listId))
    .where(eq(warninglists.enabled, true))
    .orderBy(warninglists.name)
  if (!entries.length) return null
  const lists = new Map<string, { name: string; type: WarninglistType; entries: { value: string; ipStart?: string; ipEnd?: string }[] }>()
  for (const e of entries) {
    let list = lists.get(e.name)
    if (!list) lists.set(e.name, (list = { name: e.name, type: e.type, entries: [] }))
    list.entries.push({ value: e.value, ipStart: e.ipStart ?? undefined, ipEnd: e.ipEnd ?? undefined })
  }
  return compileWarninglists([...lists.values()])
}

function rowTuple(r: PreparedRow, idx: number, dupOfLine: number | null) {
  const m = r.meta
  const warn = r.listed != null || r.warnings.some((w) => w.code !== INFO_ONLY_CODE)
  return [
    idx, r.line, r.raw, r.type, r.value, r.host, r.ipStart, r.ipEnd, r.suffixes, m.ticket ?? null, m.comment ?? null,
    m.campaign ?? null, m.tags ?? null, m.ttl ?? null, m.expiresAt ?? null, r.createdAt ?? null, r.error, r.warnings,
    r.listed, r.extra ?? null, dupOfLine, r.error ? 1 : 0, warn ? 1 : 0,
  ]
}

const j = (i: number) => sql.raw(`json_extract(value, '$[${i}]')`)
const jj = (i: number) => sql.raw(`json(json_extract(value, '$[${i}]'))`)

/**
 * INSERT of one chunk of rows (a JSON array of row tuples) into a batch, classified on the way in
 * (the same rules as classifyStatements, in one pass instead of an insert and two updates): live
 * duplicate and allowlist entry by index lookups here; the earlier line of the batch with the same
 * indicator, the error and the warning flag come computed with the tuple.
 */
function insertChunk(batch: number | ReturnType<typeof sql>, json: string) {
  return sql`WITH x AS (
      SELECT ${j(0)} AS idx, ${j(1)} AS line, ${j(2)} AS raw, ${j(3)} AS type, ${j(4)} AS value, ${j(5)} AS host,
        ${j(6)} AS ip_start, ${j(7)} AS ip_end, ${jj(8)} AS suffixes, ${j(9)} AS ticket, ${j(10)} AS comment,
        ${j(11)} AS campaign, ${jj(12)} AS tags, ${j(13)} AS ttl, ${j(14)} AS expires_at, ${j(15)} AS created_at,
        ${jj(16)} AS error, coalesce(${jj(17)}, '[]') AS warnings, ${jj(18)} AS listed, ${jj(19)} AS extra,
        ${j(20)} AS dup_of_line, ${j(21)} AS bad, ${j(22)} AS warn
      FROM json_each(${json})),
    c AS MATERIALIZED (
      SELECT x.*,
        CASE WHEN x.type IS NOT NULL THEN ${liveDuplicateSql('x')} END AS dup_ioc_id,
        CASE WHEN x.type IS NOT NULL THEN ${allowlistHitSql('x')} END AS allowlist_id
      FROM x),
    s AS (SELECT c.*, ${statusCaseSql(sql`bad`, sql`warn`)} AS status FROM c)
    INSERT INTO import_rows (batch_id, idx, line, raw, type, value, host, ip_start, ip_end, suffixes, ticket,
      comment, campaign, tags, ttl, expires_at, created_at, error, warnings, listed, extra, dup_ioc_id, dup_of_line,
      allowlist_id, status, selected)
    SELECT ${batch}, idx, line, raw, type, value, host, ip_start, ip_end, suffixes, ticket, comment, campaign, tags, ttl,
      expires_at, created_at, error, warnings, listed, extra, dup_ioc_id, dup_of_line, allowlist_id, status, status = 'new'
    FROM s`
}

function chunked(rows: PreparedRow[]): string[] {
  const chunks: string[] = []
  let parts: string[] = []
  let size = 0
  // The first line of each indicator (type + value) in the batch: a later row is its duplicate.
  const firstLine = new Map<string, number>()
  rows.forEach((r, idx) => {
    let dupOfLine: number | null = null
    if (r.type !== null && r.value !== null) {
      const key = `${r.type}\u0000${r.value}`
      const seen = firstLine.get(key)
      if (seen === undefined) firstLine.set(key, r.line)
      else {
        dupOfLine = seen
        if (r.line < seen) firstLine.set(key, r.line)
      }
    }
    const s = JSON.stringify(rowTuple(r, idx, dupOfLine))
    if (size + s.length > CHUNK_BYTES && parts.length) {
      chunks.push(`[${parts.join(',')}]`)
      parts = []
      size = 0
    }
    parts.push(s)
    size += s.length + 1
  })
  if (parts.length) chunks.push(`[${parts.join(',')}]`)
  return chunks
}

export interface StageInput {
  source: ImportSource
  format: string
  filename?: string | null
  rows: PreparedRow[]
  notes?: string[]
  columns?: unknown
  /** More statements for the same transaction, after the rows are classified (migrations stage their other records). */
  also?: (batch: SQL) => BatchItem[]
}

/**
 * Stores a staged batch with every row classified, in one all-or-nothing D1 batch: the batch
 * row, the rows (JSON chunks), the classification and the initial selection.
 */
function assertRowLimit(n: number) {
  if (n <= IMPORT_MAX_ROWS) return
  throw new ApiError(413, 'too_many_rows', `file: ${n} indicators; a batch may hold at most ${IMPORT_MAX_ROWS}`, {
    fields: [{ field: 'file', reason: `more than ${IMPORT_MAX_ROWS} indicators`, code: 'too_many_rows' }],
    maxRows: IMPORT_MAX_ROWS,
  })
}

export async function stageRows(db: Db, input: StageInput, actor: Actor): Promise<number> {
  const [created] = await runBatch(db, stageStatements(db, input, actor, new Date().toISOString()))
  return (created.results[0] as { id: number }).id
}

/**
 * The statements of stageRows, for callers that stage and commit in one transaction (the MISP
 * pull): the first one returns the batch id; `self` must yield the new batch's id inside the
 * same transaction (by default the row its first statement inserted).
 */
export function stageStatements(db: Db, input: StageInput, actor: Actor, nowIso: string, self = sql`(SELECT max(id) FROM import_batches)`) {
  assertRowLimit(input.rows.length)
  return [
    db
      .insert(importBatches)
      .values({
        source: input.source,
        format: input.format,
        filename: input.filename ?? null,
        rowCount: input.rows.length,
        notes: input.notes ?? [],
        columns: input.columns ?? null,
        createdBy: actor.id,
        createdAt: nowIso,
        updatedAt: nowIso,
      })
      .returning({ id: importBatches.id }),
    ...chunked(input.rows).map((json) => insertChunk(self, json)),
    stampStatement(self),
    ...(input.also?.(self) ?? []),
  ]
}

/** Parses an upload or a paste and stages it. */
export async function stageImport(
  db: Db,
  input: { text: string; format: ImportFormat; filename?: string | null; type?: IocType; source: ImportSource },
  actor: Actor,
) {
  const parsed = parseImport(input.text, input.format, { type: input.type })
  if (!parsed.rows.length) {
    const why = parsed.notes.length ? ` (${parsed.notes.slice(0, 3).join('; ')})` : ''
    throw new ApiError(422, 'no_indicators', `file: no indicators found${why}`, {
      fields: [{ field: 'file', reason: 'no indicators found', code: 'no_indicators' }],
      notes: parsed.notes,
    })
  }
  return stageParsed(db, parsed.rows, { source: input.source, format: parsed.format, filename: input.filename, notes: parsed.notes, columns: parsed.columns }, actor)
}

/** Parser rows -> prepared rows (warninglists indexed once for the batch) -> a staged batch. */
async function stageParsed(db: Db, parsed: StagedRow[], batch: Omit<StageInput, 'rows'>, actor: Actor) {
  assertRowLimit(parsed.length)
  const nowIso = new Date().toISOString()
  const matcher = await loadWarninglistMatcher(db)
  const { sanityMode } = await getIocPolicy(db)
  return stageRows(db, { ...batch, rows: parsed.map((r) => blockCritical(prepareRow(r, nowIso, matcher), sanityMode, actor.role)) }, actor)
}

const TAG_OK = /^[\p{L}\p{N}_.:\-/ ]{1,40}$/u

/**
 * Stages the indicators of a STIX 2.1 bundle: one row per value its patterns name (`line` is the
 * 1-based position in `objects`), name/description as comment, labels as tags, the ticket from a
 * `moat-ticket` external reference, `valid_until` as the expiry. Revoked indicators and patterns
 * that are not plain values are skipped with a note.
 */
export async function stageStix(db: Db, input: { text: string; filename?: string | null }, actor: Actor) {
  let parsed: ReturnType<typeof parseStixBundle>
  try {
    parsed = parseStixBundle(input.text)
  } catch (err) {
    const reason = (err as Error).message
    throw new ApiError(422, 'invalid_stix', `file: ${reason}`, { fields: [{ field: 'file', reason, code: 'invalid_stix' }] })
  }
  const notes = [...parsed.notes]
  const staged: StagedRow[] = []
  for (const r of parsed.rows) {
    const where = `objects[${r.index}]`
    if (r.revoked) {
      notes.push(`${where}: revoked indicator ${r.value} skipped`)
      continue
    }
    const tags = r.tags.filter((tag) => TAG_OK.test(tag)).slice(0, 20)
    if (tags.length < r.tags.length) notes.push(`${where}: labels Moat cannot keep as tags were dropped`)
    const comment = [r.name, r.comment].filter(Boolean).join(' — ').slice(0, 2000)
    const meta: StagedMeta = {
      ...(r.ticket ? { ticket: r.ticket.slice(0, 64) } : {}),
      ...(comment ? { comment } : {}),
      ...(tags.length ? { tags } : {}),
      ...(r.validUntil && !Number.isNaN(Date.parse(r.validUntil)) ? { expiresAt: new Date(r.validUntil).toISOString() } : {}),
    }
    const ioc = parseIoc(r.value, { type: r.type })
    staged.push(
      ioc.ok
        ? { line: r.index + 1, raw: r.value, type: ioc.type, value: ioc.value, warnings: ioc.warnings, meta }
        : { line: r.index + 1, raw: r.value, error: { ...ioc.error, field: 'value' }, meta },
    )
  }
  if (!staged.length) {
    throw new ApiError(422, 'no_indicators', 'file: the bundle names no indicator values Moat can import', {
      fields: [{ field: 'file', reason: 'no indicators found', code: 'no_indicators' }],
      notes,
    })
  }
  return stageParsed(db, staged, { source: 'stix', format: 'stix', filename: input.filename, notes }, actor)
}

function assertOwner(batch: ImportBatchRow | undefined, actor: Actor): ImportBatchRow {
  if (!batch || (batch.createdBy !== actor.id && actor.role !== 'admin')) throw notFound('Import batch')
  return batch
}

function assertStaged(batch: ImportBatchRow) {
  if (batch.status !== 'staged') {
    throw new ApiError(409, `already_${batch.status}`, `The import batch was already ${batch.status}`)
  }
}

export async function loadBatch(db: Db, id: number, actor: Actor, staged = false) {
  const batch = assertOwner(await getImportBatch(db, id), actor)
  if (staged) assertStaged(batch)
  return batch
}

/** Edits one preview row: a new value is parsed and classified again; metadata is checked again. */
export async function editImportRow(db: Db, batchId: number, idx: number, patch: ImportRowPatch, actor: Actor) {
  await loadBatch(db, batchId, actor, true)
  const row = await getImportRow(db, batchId, idx)
  if (!row) throw notFound('Import row')
  const where = and(eq(importRows.batchId, batchId), eq(importRows.idx, idx))
  const onlySelection = Object.keys(patch).every((k) => k === 'selected')
  if (onlySelection) {
    if (patch.selected === undefined) return row
    if (patch.selected && row.status !== 'new' && row.status !== 'warning') {
      throw new ApiError(422, 'not_selectable', `selected: line ${row.line} is ${row.status} and cannot be imported`, {
        fields: [{ field: 'selected', reason: `the row is ${row.status}`, code: 'not_selectable' }],
      })
    }
    await db.update(importRows).set({ selected: patch.selected }).where(where)
    return { ...row, selected: patch.selected }
  }
  const meta: StagedMeta = {
    ticket: row.ticket ?? undefined,
    comment: row.comment ?? undefined,
    campaign: row.campaign ?? undefined,
    tags: row.tags ?? undefined,
    ...(row.ttl ? { ttl: row.ttl as TtlPreset } : {}),
    ...(row.expiresAt ? { expiresAt: row.expiresAt } : {}),
  }
  for (const k of ['ticket', 'comment', 'campaign', 'tags'] as const) {
    if (patch[k] !== undefined) (meta as Record<string, unknown>)[k] = patch[k] ?? undefined
  }
  if (patch.ttl !== undefined) {
    delete meta.expiresAt
    if (patch.ttl) meta.ttl = patch.ttl
    else delete meta.ttl
  }
  // A new value or type, or a row whose value did not parse: parse again; else keep the indicator.
  const reparse = patch.value !== undefined || patch.type !== undefined || row.type === null
  const text = patch.value ?? row.value ?? row.raw
  const type = patch.type === null ? undefined : (patch.type ?? (patch.value !== undefined ? undefined : (row.type as IocType | undefined)))
  let staged: StagedRow
  if (reparse) {
    const parsed = parseIoc(text, { type })
    staged = parsed.ok
      ? { line: row.line, raw: row.raw, type: parsed.type, value: parsed.value, warnings: parsed.warnings, meta }
      : { line: row.line, raw: row.raw, error: { ...parsed.error, field: 'value' }, meta }
  } else {
    staged = { line: row.line, raw: row.raw, type: row.type as IocType, value: row.value!, warnings: [], meta }
  }
  const prepared = prepareRow(staged, new Date().toISOString(), null)
  if (!reparse) prepared.warnings = row.warnings ?? []
  blockCritical(prepared, (await getIocPolicy(db)).sanityMode, actor.role)
  if (prepared.type) {
    const [hit] = await findWarninglistHits(db, { value: prepared.value!, ...iocKeys(prepared.type, prepared.value!) })
    prepared.listed = hit ?? null
  }
  const m = prepared.meta
  const sameValues = [...new Set([row.value, prepared.value].filter((v): v is string => v !== null))]
  // Selection after the edit: as asked, else a re-parsed row is selected when it is new, else it
  // keeps its selection; a row that cannot be imported is never selected.
  const wanted = patch.selected !== undefined ? sql`${patch.selected ? 1 : 0}` : reparse ? sql`(status = 'new')` : sql`selected`
  await runBatch(db, [
    db
      .update(importRows)
      .set({
        type: prepared.type,
        value: prepared.value,
        host: prepared.host,
        ipStart: prepared.ipStart,
        ipEnd: prepared.ipEnd,
        suffixes: prepared.suffixes,
        ticket: m.ticket ?? null,
        comment: m.comment ?? null,
        campaign: m.campaign ?? null,
        tags: m.tags ?? null,
        ttl: m.ttl ?? null,
        expiresAt: m.expiresAt ?? null,
        error: prepared.error,
        warnings: prepared.warnings,
        listed: prepared.listed,
        edited: true,
      })
      .where(where),
    ...classifyStatements(batchId, idx, { sameValues }),
    sql`UPDATE import_rows SET selected = CASE WHEN status IN ('new', 'warning') THEN ${wanted} ELSE 0 END
      WHERE batch_id = ${batchId} AND idx = ${idx}`,
    // Rows naming the old or new value: one that is no longer a later duplicate becomes new and
    // selected; one that now is, leaves the selection.
    sql`UPDATE import_rows SET selected = CASE WHEN status = 'new' THEN 1 WHEN status = 'warning' THEN selected ELSE 0 END
      WHERE batch_id = ${batchId} AND idx <> ${idx} AND value IN (SELECT value FROM json_each(${JSON.stringify(sameValues)}))`,
    // The commit classifies the whole batch again after any edit.
    db.update(importBatches).set({ updatedAt: new Date().toISOString(), classifyStamp: null }).where(eq(importBatches.id, batchId)),
  ])
  return (await getImportRow(db, batchId, idx))!
}

/** Selects or deselects every new and/or warning row of a batch. */
export async function selectImportRows(db: Db, batchId: number, statuses: ('new' | 'warning')[], selected: boolean, actor: Actor) {
  await loadBatch(db, batchId, actor, true)
  await db.run(
    sql`UPDATE import_rows SET selected = ${selected ? 1 : 0} WHERE batch_id = ${batchId} AND status IN (SELECT value FROM json_each(${JSON.stringify(statuses)}))`,
  )
}

export async function setImportOptions(db: Db, batchId: number, options: ImportOptions, actor: Actor) {
  const batch = await loadBatch(db, batchId, actor, true)
  const merged = { ...batch.options, ...options }
  await db.update(importBatches).set({ options: merged, updatedAt: new Date().toISOString() }).where(eq(importBatches.id, batchId))
  return merged
}

export async function discardImport(db: Db, batchId: number, actor: Actor) {
  await loadBatch(db, batchId, actor, true)
  await db.batch([
    db.delete(importRows).where(eq(importRows.batchId, batchId)),
    db.delete(migrationItems).where(eq(migrationItems.batchId, batchId)),
    db.update(importBatches).set({ status: 'discarded', updatedAt: new Date().toISOString() }).where(eq(importBatches.id, batchId)),
  ])
}

/**
 * Staged rows with a critical sanity hit become `critical_blocked` errors (the set-based form of
 * blockCritical, for a commit by someone the mode refuses).
 */
export function blockCriticalStatement(batch: number | SQL, mode: SanityMode) {
  const codes = JSON.stringify([...CRITICAL_CODES])
  const who = whoMayConfirm(mode)
  const hit = sql`(SELECT w.value FROM json_each(import_rows.warnings) w
    WHERE json_extract(w.value, '$.code') IN (SELECT value FROM json_each(${codes})) ORDER BY w.key LIMIT 1)`
  return sql`UPDATE import_rows SET selected = 0, status = 'invalid',
      error = json_object('code', 'critical_blocked', 'field', 'value', 'part', json_extract(${hit}, '$.code'),
        'message', 'value: ' || json_extract(${hit}, '$.message') || ' (a critical sanity hit, ' || json_extract(${hit}, '$.code') || ': ' || ${who} || ')')
    WHERE batch_id = ${batch} AND error IS NULL AND type IS NOT NULL AND ${hit} IS NOT NULL`
}

export interface CommitOptions extends ImportOptions {
  exclude?: number[]
  /** Migrations keep past expiries (imported as expired) and the source's own authors and dates. */
  source?: string
  /** Migrations: allowlisted rows are imported too, as excluded IOCs (kept, never served). */
  allowlisted?: 'exclude' | 'drop'
  /** Migrations: the `created` event names each IOC's own author and creation time. */
  sourceAuthors?: boolean
  /** Migrations: statements run right after the IOC insert, in the same transaction (legacy history first). */
  afterInsert?: BatchItem[]
}

/**
 * Commits every selected new or warning row in ONE D1 batch (one SQLite transaction), so an
 * interrupted commit leaves all of the batch or none of it: classify again (the database may have
 * changed since the preview), create missing campaigns, insert the IOCs, their tags and `created`
 * history, mark the batch committed with its counts, bump the feed generation, audit.
 */
export async function commitImport(db: Db, batchId: number, input: CommitOptions, actor: Actor, now: Date) {
  const batch = await loadBatch(db, batchId, actor, true)
  const options = { ...batch.options, ...Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'exclude' && k !== 'source' && v !== undefined)) } as ImportOptions
  const nowIso = now.toISOString()
  const policy = await getIocPolicy(db)
  // The batch's lifetime when the analyst chose one, else each row's type default (iocs.ttlByType,
  // then iocs.defaultTtl), keyed by IOC type for the SQL below.
  const byType = options.ttl
    ? {}
    : Object.fromEntries(IOC_TYPES.map((t) => [t, defaultTtlFor(t, policy.ttlByType, policy.defaultTtl)]))
  const ttl = (options.ttl ?? policy.defaultTtl) as TtlPreset
  const expiries = Object.fromEntries(TTL_PRESETS.map((t) => [t, expiryFromTtl(t, now)]))
  const user = await getUserById(db, actor.id)
  const ticket = options.ticket || autoTicket(user?.displayName ?? actor.username, now, await getSetting(db, 'general.timezone'))
  const confidence = await getSetting(db, 'iocs.defaultConfidence')
  const severity = await getSetting(db, 'iocs.defaultSeverity')
  const source = input.source ?? 'import'
  const exclude = JSON.stringify(input.exclude ?? [])
  const campaign = options.campaign ?? null
  const staged = sql`EXISTS (SELECT 1 FROM import_batches WHERE id = ${batchId} AND status = 'staged')`
  const keepAllowlisted = input.allowlisted === 'exclude'
  // An allowlisted row that is also a duplicate stays out (the live IOC or the earlier line wins).
  const eligible = sql`r.batch_id = ${batchId} AND (r.selected AND r.status IN ('new', 'warning')
      OR ${keepAllowlisted ? 1 : 0} AND r.status = 'allowlisted' AND r.dup_ioc_id IS NULL AND r.dup_of_line IS NULL)
    AND r.line NOT IN (SELECT value FROM json_each(${exclude})) AND ${staged}`
  const excludedNow = sql`CASE WHEN r.status = 'allowlisted' THEN ${nowIso} END`
  const historyActor = input.sourceAuthors
    ? sql`created_by, coalesce((SELECT username FROM users WHERE users.id = iocs.created_by), ${actor.username}), created_at`
    : sql`${actor.id}, ${actor.username}, ${nowIso}`
  // A row's own expiry or TTL wins, then the batch's, then its type's default: one CASE, set-based.
  const defaultTtl = sql`coalesce(json_extract(${JSON.stringify(byType)}, '$.' || r.type), ${ttl})`
  const expiry = sql`CASE WHEN r.expires_at IS NOT NULL THEN r.expires_at ELSE CASE coalesce(r.ttl, ${defaultTtl})
    WHEN '1w' THEN ${expiries['1w']} WHEN '1m' THEN ${expiries['1m']} WHEN '3m' THEN ${expiries['3m']}
    WHEN '1y' THEN ${expiries['1y']} ELSE NULL END END`
  const finish = sql`UPDATE import_batches SET status = 'committed', committed_by = ${actor.id}, committed_at = ${nowIso}, updated_at = ${nowIso},
        options = ${JSON.stringify(options)},
        result = json_object('created', (SELECT count(*) FROM iocs WHERE import_batch_id = ${batchId}),
                             'excludedLines', json_array_length(${exclude}))
      WHERE id = ${batchId} AND status = 'staged'`
  const statements = [
    // Classified again only when an IOC, its history or the allowlist changed since the preview.
    ...classifyStatements(batchId, undefined, { ifStale: true }),
    // The sanity mode as it is now and for who commits (it may have been tightened since the preview).
    ...(criticalBlocks(policy.sanityMode, actor.role) ? [blockCriticalStatement(batchId, policy.sanityMode)] : []),
    sql`INSERT INTO campaigns (name, created_by, created_at, updated_at)
      SELECT min(c), ${actor.id}, ${nowIso}, ${nowIso} FROM (SELECT coalesce(r.campaign, ${campaign}) AS c FROM import_rows r WHERE ${eligible})
      WHERE c IS NOT NULL AND NOT EXISTS (SELECT 1 FROM campaigns WHERE name = c COLLATE NOCASE) GROUP BY lower(c)`,
    sql`INSERT INTO iocs (type, value, host, ip_start, ip_end, expires_at, ticket, comment, campaign_id, tags, confidence,
        severity, source, created_by, incarnation, import_batch_id, created_at, updated_at, allowlisted_by, excluded_at,
        excluded_by, exclude_reason)
      SELECT r.type, r.value, r.host, r.ip_start, r.ip_end, ${expiry}, coalesce(nullif(r.ticket, ''), ${ticket}), coalesce(r.comment, ''),
        (SELECT id FROM campaigns WHERE name = coalesce(r.campaign, ${campaign}) COLLATE NOCASE), coalesce(r.tags, '[]'), ${confidence},
        ${severity}, coalesce(json_extract(r.extra, '$.source'), ${source}), coalesce(json_extract(r.extra, '$.createdBy'), ${actor.id}),
        (SELECT count(*) + 1 FROM iocs o WHERE o.value = r.value AND +o.type = r.type), ${batchId},
        coalesce(r.created_at, ${nowIso}), ${nowIso}, r.allowlist_id, ${excludedNow},
        CASE WHEN r.status = 'allowlisted' THEN ${actor.id} END,
        CASE WHEN r.status = 'allowlisted' THEN 'allowlisted when imported (allowlist entry #' || r.allowlist_id || ')' END
      FROM import_rows r WHERE ${eligible} ORDER BY r.idx`,
    sql`INSERT INTO ioc_tags (ioc_id, tag) SELECT DISTINCT i.id, t.value FROM iocs i, json_each(i.tags) t WHERE i.import_batch_id = ${batchId}`,
    ...(input.afterInsert ?? []),
    // An IOC whose legacy history (inserted just above) has its `created` event gets no second one.
    sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
      SELECT id, type, value, 'created', ${historyActor},
        json_object('value', value, 'type', type, 'expiresAt', expires_at, 'ticket', ticket, 'campaignId', campaign_id,
                    'tags', json(tags), 'source', source, 'importBatch', ${batchId})
      FROM iocs WHERE import_batch_id = ${batchId}
        AND NOT EXISTS (SELECT 1 FROM ioc_history h WHERE h.ioc_id = iocs.id AND h.event = 'created')`,
    ...(keepAllowlisted
      ? [
          sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
            SELECT id, type, value, 'excluded', ${actor.id}, ${actor.username}, ${nowIso},
              json_object('reason', exclude_reason, 'allowlistId', allowlisted_by, 'importBatch', ${batchId})
            FROM iocs WHERE import_batch_id = ${batchId} AND excluded_at IS NOT NULL`,
        ]
      : []),
    finish,
    bumpGeneration(db),
    sql`INSERT INTO audit_log (action, outcome, actor, actor_id, source_ip, target, details)
      VALUES ('import.commit', 'success', ${actor.username}, ${actor.id}, ${actor.ip}, ${`import:${batchId}`},
        json_object('batch', ${batchId}, 'source', ${batch.source}, 'format', ${batch.format},
                    'created', (SELECT count(*) FROM iocs WHERE import_batch_id = ${batchId}), 'rows', ${batch.rowCount}))`,
  ]
  const results = await runBatch(db, statements)
  if (!results[statements.indexOf(finish)].meta.changes) throw new ApiError(409, 'already_committed', 'The import batch was committed by another request')
  // GeoIP countries of the new ip IOCs, right after the commit (the geoip job retries any it misses).
  await fillImportCountries(db, batchId)
  const counts = await importCounts(db, batchId)
  const done = (await getImportBatch(db, batchId))!
  const created = (done.result as { created: number }).created
  return { created, skipped: counts.total - created, counts, batch: done }
}
