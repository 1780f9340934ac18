// One MISP pull (specs/misp.md): read every restSearch page since the cursor, turn attributes into
// staged indicators through the same parser and checks as a human submission, commit everything
// in one transaction, then (daily, or when asked) check linked attributes for removal.
import { sql } from 'drizzle-orm'
import type { MispConfig, MispRun, MispRunResult } from '../../schema/contracts/misp'
import type { StagedRow } from '../domain/import-parse'
import {
  campaignFromEvent,
  candidatesOf,
  confidenceFromTags,
  mispComment,
  mispTicket,
  moatTags,
  parseCandidate,
  restSearchBody,
  type MispAttribute,
  type SearchSince,
} from '../domain/misp'
import type { Bindings, Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { ApiError } from '../lib/errors'
import { logEvent } from '../lib/log'
import { MispError, restSearchPages, type MispConnection } from '../lib/misp-client'
import { addAudit } from '../repos/audit'
import {
  acquireLease,
  finishRunStatement,
  getMispConfig,
  getMispState,
  getMispUserId,
  getRun,
  knownTimestamps,
  releaseLeaseStatement,
  renewLease,
  startRun,
} from '../repos/misp'
import { readSecretSetting } from '../repos/secret-settings'
import { getSetting } from '../repos/settings'
import { blockCritical, loadWarninglistMatcher, prepareRow, type PreparedRow } from './imports'
import { getIocPolicy } from './ioc-policy'
import { DEFAULT_SANITY_MODE, type SanityMode } from '../domain/sanity-policy'
import { cursorStatement, pullStatements, ttlGroup } from './misp-commit'
import { reconcileLinks } from './misp-reconcile'
import { mispSummary } from './misp-summary'

export interface PullActor {
  id: number | null
  username: string
  ip: string | null
}

export interface PullOptions {
  trigger: 'schedule' | 'manual'
  actor: PullActor
  full?: boolean
  reconcile?: boolean
  now: Date
}

/** The withdrawal check runs at most this often on its own (a pull can ask for it any time). */
export const RECONCILE_EVERY_MS = 24 * 3_600_000

/** The connection from saved settings; refuses (400, naming the field) when something is missing. */
export async function savedConnection(db: Db, env: Bindings, config: MispConfig): Promise<MispConnection> {
  if (!config.url) throw fieldMissing('url', 'no MISP URL is configured')
  const apiKey = await readSecretSetting(db, env.SECRETS_KEY, 'misp.apiKey')
  if (!apiKey) throw fieldMissing('apiKey', 'no MISP API key is configured')
  return { url: config.url, apiKey, verifyTls: config.verifyTls, caPem: config.caPem, timeoutMs: config.timeoutSeconds * 1000 }
}

function fieldMissing(field: string, reason: string) {
  return new ApiError(400, 'misp_not_configured', `${field}: ${reason}`, { fields: [{ field, reason, code: 'required' }] })
}

interface Tally {
  skipped: Record<string, number>
  skippedByType: Record<string, number>
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1)

/** Minutes of publishing a pull looks back past the last successful pull (slow clocks, long pulls). */
export const PUBLISH_MARGIN_MINUTES = 60

/**
 * The queries of one pull: the first-run window; or, with a cursor, the attributes changed since
 * it plus those of events published since the last successful pull (and a margin).
 */
export function searchesFor(config: MispConfig, cursor: number | null, lastSuccessAt: string | null, now: Date): SearchSince[] {
  if (cursor === null) return [{ window: config.lastDays }]
  const searches: SearchSince[] = [{ cursor }]
  if (config.published) {
    const since = lastSuccessAt ? Math.max(0, now.getTime() - Date.parse(lastSuccessAt)) : config.lastDays * 86_400_000
    searches.push({ publishedMinutes: Math.ceil(since / 60_000) + PUBLISH_MARGIN_MINUTES })
  }
  return searches
}

/** The newest copy of each attribute (a page boundary that moved during paging can repeat one). */
function newestByUuid(attributes: MispAttribute[]): MispAttribute[] {
  const by = new Map<string, MispAttribute>()
  for (const a of attributes) {
    const had = by.get(a.uuid)
    if (!had || a.timestamp >= had.timestamp) by.set(a.uuid, a)
  }
  return [...by.values()]
}

/** Attributes -> prepared import rows (skips counted), with MISP metadata on every row. */
export function prepareAttributes(
  attributes: MispAttribute[],
  known: Map<string, number>,
  config: MispConfig,
  ctx: { mispUserId: number; nowIso: string; matcher: Parameters<typeof prepareRow>[2]; sanityMode?: SanityMode },
) {
  const tally: Tally = { skipped: {}, skippedByType: {} }
  const rows: PreparedRow[] = []
  const allowed = new Set<string>(config.types)
  for (const a of attributes) {
    const offered = candidatesOf(a, { allowed, domainIpBoth: config.domainIpBoth, requireToIds: config.toIds })
    if ('skip' in offered) {
      bump(tally.skipped, offered.skip)
      bump(tally.skippedByType, a.type)
      continue
    }
    // Already linked at this version: an idempotent re-pull adds nothing and touches nothing.
    if ((known.get(a.uuid) ?? -1) >= a.timestamp) {
      bump(tally.skipped, 'unchanged')
      continue
    }
    const tags = moatTags(a.tags)
    const confidence = config.confidenceFromTags ? confidenceFromTags(a.tags) : null
    for (const c of offered.items) {
      const meta = {
        ticket: mispTicket(a.eventId),
        comment: mispComment(a.eventInfo, a.comment, c.filename),
        tags,
        ttl: config.ttl[ttlGroup(c.type)],
        ...(config.campaignFromEvent ? { campaign: campaignFromEvent(a.eventInfo) } : {}),
      }
      const parsed = parseCandidate(c)
      const line = rows.length + 1
      const staged: StagedRow = parsed.ok
        ? { line, raw: c.text, type: parsed.type, value: parsed.value, warnings: parsed.warnings, meta }
        : { line, raw: c.text, error: { ...parsed.error, field: 'value' }, meta }
      // The MISP system user is never an admin: under block_non_admin and block_all a critical hit is an invalid row.
      const row = blockCritical(prepareRow(staged, ctx.nowIso, ctx.matcher), ctx.sanityMode ?? DEFAULT_SANITY_MODE, 'analyst')
      row.extra = {
        createdBy: ctx.mispUserId,
        source: 'misp',
        uuid: a.uuid,
        eventUuid: a.eventUuid,
        eventId: a.eventId,
        mispType: a.type,
        ts: a.timestamp,
        ...(confidence !== null ? { confidence } : config.confidence !== null ? { confidence: config.confidence } : {}),
      }
      rows.push(row)
    }
  }
  return { rows, tally }
}

/**
 * Runs one pull to the end and returns its run record. Refuses with 409 while another pull holds
 * the lease; a MISP or database failure is recorded on the run and thrown as a 502 ApiError.
 */
export async function runMispPull(db: Db, env: Bindings, opts: PullOptions): Promise<MispRun> {
  const config = await getMispConfig(db)
  const conn = await savedConnection(db, env, config)
  const token = crypto.randomUUID()
  if (!(await acquireLease(db, token, opts.now))) throw new ApiError(409, 'pull_running', 'A MISP pull is already running')
  const nowIso = opts.now.toISOString()
  const full = opts.full ?? false
  let runId: number | null = null
  let audited = false
  const audit = (action: string, outcome: 'success' | 'failure', details: Record<string, unknown>) =>
    addAudit(db, { action, outcome, actor: opts.actor.username, actorId: opts.actor.id, sourceIp: opts.actor.ip, target: 'misp', details })
  try {
    runId = await startRun(db, { trigger: opts.trigger, actor: opts.actor.username, actorId: opts.actor.id, full, at: nowIso })
    await audit('misp.pull_start', 'success', { run: runId, trigger: opts.trigger, full, url: config.url })
    const state = await getMispState(db)
    const cursorFrom = full ? null : state.cursor
    const mispUserId = await getMispUserId(db)
    const fetched: MispAttribute[] = []
    let pages = 0
    for (const since of searchesFor(config, cursorFrom, state.lastSuccessAt, opts.now)) {
      const got = await restSearchPages(env, conn, (page) => restSearchBody(config, page, config.pageSize, since), config.pageSize, () => renewLease(db, token))
      fetched.push(...got.attributes)
      pages += got.pages
    }
    const attributes = newestByUuid(fetched)
    const cursorTo = attributes.length ? Math.max(...attributes.map((a) => a.timestamp)) : null
    const known = await knownTimestamps(db, attributes.map((a) => a.uuid))
    const matcher = await loadWarninglistMatcher(db)
    const { sanityMode } = await getIocPolicy(db)
    const { rows, tally } = prepareAttributes(attributes, known, config, { mispUserId, nowIso, matcher, sanityMode })
    let batchId: number | null = null
    let extended = 0
    if (rows.length) {
      const ctx = {
        config,
        mispUserId,
        runId,
        now: opts.now,
        defaultConfidence: await getSetting(db, 'iocs.defaultConfidence'),
        severity: await getSetting(db, 'iocs.defaultSeverity'),
        cursorTo,
      }
      const { statements, extend } = pullStatements(db, rows, ctx)
      const results = await runBatch(db, statements)
      batchId = (results[0].results[0] as { id: number }).id
      extended = results[extend].meta.changes ?? 0
    } else {
      await runBatch(db, [cursorStatement(cursorTo)])
    }
    const summary = await mispSummary(db, batchId, { pages, fetched: fetched.length, extended, tally, cursorFrom, cursorTo })
    let reconcileError: string | null = null
    const reconcileDue = opts.reconcile || (state.nextReconcileAt !== null && opts.now.getTime() >= Date.parse(state.nextReconcileAt))
    if (reconcileDue) {
      try {
        const r = await reconcileLinks(db, env, conn, config, { mispUserId, runId, now: opts.now, actor: opts.actor, renew: () => renewLease(db, token) })
        Object.assign(summary.result, { reconciled: true, checked: r.checked, withdrawn: r.withdrawn, expired: r.expired })
      } catch (err) {
        reconcileError = `Withdrawal check failed: ${errorText(err)}`
      }
    }
    const result: MispRunResult = summary.result
    const nextReconcile = new Date(opts.now.getTime() + RECONCILE_EVERY_MS).toISOString()
    const ok = reconcileError === null
    await runBatch(db, [
      finishRunStatement(db, runId, { status: ok ? 'ok' : 'error', error: reconcileError, result, batchId, heldBatchId: summary.heldBatchId }),
      sql`UPDATE misp_sync_state SET last_status = ${ok ? 'ok' : 'error'}, last_error = ${reconcileError}, last_run_id = ${runId},
        last_success_at = CASE WHEN ${ok ? 1 : 0} THEN ${nowIso} ELSE last_success_at END,
        last_reconcile_at = CASE WHEN ${reconcileDue && ok ? 1 : 0} THEN ${nowIso} ELSE last_reconcile_at END,
        next_reconcile_at = CASE WHEN ${reconcileDue && ok ? 1 : 0} OR next_reconcile_at IS NULL THEN ${nextReconcile} ELSE next_reconcile_at END
        WHERE id = 1`,
    ])
    await audit('misp.pull', ok ? 'success' : 'failure', { run: runId, ...countsForAudit(result), ...(reconcileError ? { error: reconcileError } : {}) })
    audited = true
    if (!ok) throw new MispError('http', reconcileError!)
    return (await getRun(db, runId))!
  } catch (err) {
    const message = errorText(err)
    if (runId !== null && !audited) {
      await runBatch(db, [
        finishRunStatement(db, runId, { status: 'error', error: message, result: null }),
        sql`UPDATE misp_sync_state SET last_status = 'error', last_error = ${message}, last_run_id = ${runId} WHERE id = 1`,
      ])
      await audit('misp.pull', 'failure', { run: runId, error: message, code: err instanceof MispError ? err.code : 'internal' })
    }
    logEvent('error', 'misp pull failed', { run: runId, error: message })
    if (err instanceof ApiError) throw err
    throw new ApiError(502, 'misp_pull_failed', message, { run: runId, code: err instanceof MispError ? err.code : 'internal' })
  } finally {
    await releaseLeaseStatement(db, token)
  }
}

function errorText(err: unknown): string {
  if (err instanceof MispError || err instanceof ApiError) return err.message
  return `internal error: ${err instanceof Error ? err.message : String(err)}`
}

function countsForAudit(r: MispRunResult) {
  const { pages, fetched, created, extended, held, allowlisted, invalid, withdrawn, expired } = r
  return { pages, fetched, created, extended, held, allowlisted, invalid, withdrawn, expired }
}
