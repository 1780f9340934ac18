/**
 * The STIX publisher: turns IOC changes into STIX versions in `stix_versions`, lazily. It runs
 * before TAXII answers (within a time budget) and from the every-minute cron, so no IOC write
 * path (single submit, bulk import, MISP) has to know about STIX. It finds work three ways:
 * new `iocs` rows (id watermark), `ioc_history` events (id watermark: every change writes one,
 * atomically with the change) and published objects whose expiry has passed (no write at all).
 */
import { decide, type Decision } from '../domain/stix-publish'
import { identityId, indicatorId, microsToIso, parseTimestamp, type Tlp } from '../domain/stix'
import { logEvent } from '../lib/log'
import {
  dueForExpiry,
  getSyncState,
  hasIdentity,
  historySince,
  lastDateAdded,
  loadHeads,
  loadIocRows,
  maxHistoryId,
  newIocIds,
  nextDueExpiry,
  writeRound,
  type NewVersion,
} from '../repos/taxii'

const CHUNK = 2000

export interface PublishResult {
  published: number
  rounds: number
  /** False when the time budget ran out with work left (the next request or the cron goes on). */
  done: boolean
}

/** date_added values: strictly increasing microseconds, never before now. */
function clock(last: string | null, now: Date) {
  let next = Math.max(now.getTime() * 1000, last ? (parseTimestamp(last) ?? 0) + 1 : 0)
  return () => microsToIso(next++)
}

async function oneRound(d1: D1Database, now: Date, tlp: Tlp | null): Promise<number | null> {
  const nowIso = now.toISOString()
  const state = (await getSyncState(d1)) ?? { round: 0, historyId: await maxHistoryId(d1), iocId: 0 }
  const [fresh, events, due] = await Promise.all([
    newIocIds(d1, state.iocId, CHUNK),
    historySince(d1, state.historyId, CHUNK),
    dueForExpiry(d1, nowIso, CHUNK),
  ])
  const identity = state.round === 0 && !(await hasIdentity(d1))
  if (!fresh.length && !events.length && !due.length && !identity) return null

  const changeAt = new Map<number, string>()
  for (const e of events) changeAt.set(e.iocId, e.at > (changeAt.get(e.iocId) ?? '') ? e.at : changeAt.get(e.iocId)!)
  const ids = [...new Set([...fresh, ...events.map((e) => e.iocId), ...due])]
  const [rows, heads] = await Promise.all([loadIocRows(d1, ids), loadHeads(d1, 'ioc', ids)])

  const versions: NewVersion[] = []
  const superseded: string[] = []
  const nextDate = clock(await lastDateAdded(d1), now)
  if (identity) {
    const created = now.toISOString()
    versions.push({ dateAdded: nextDate(), stixId: await identityId(), kind: 'identity', source: 'identity', sourceId: 0, created, modified: created, revoked: false, validUntil: null, data: {} })
  }
  const decided: [typeof rows[number], Decision][] = rows
    .sort((a, b) => a.id - b.id)
    .map((row) => [row, decide(row, heads.get(row.id) ?? null, nowIso, tlp, changeAt.get(row.id))])
  // Ids of new objects first, all at once (SHA-1 is asynchronous in Web Crypto).
  const newIds = await Promise.all(decided.map(([row, d]) => (d.action === 'new-object' ? indicatorId(row.type, row.value, row.incarnation, d.reissue) : null)))
  decided.forEach(([row, d], i) => {
    if (d.action === 'none') return
    const head = heads.get(row.id)
    const base = { kind: row.type, source: 'ioc', sourceId: row.id, validUntil: d.data.validUntil, data: d.data }
    if (d.action === 'new-object') {
      versions.push({ ...base, dateAdded: nextDate(), stixId: newIds[i]!, created: d.created, modified: d.modified, revoked: false })
    } else {
      superseded.push(head!.stixId)
      versions.push({ ...base, dateAdded: nextDate(), stixId: head!.stixId, created: head!.created, modified: d.modified, revoked: d.revoked })
    }
  })
  const marks = {
    historyId: events.length ? events[events.length - 1].id : state.historyId,
    iocId: fresh.length ? fresh[fresh.length - 1] : state.iocId,
    at: nowIso,
  }
  await writeRound(d1, state.round + 1, marks, superseded, versions)
  return versions.length
}

/**
 * Publishes pending changes in rounds of up to 2000 rows until none is left or `budgetMs` has
 * passed. A round lost to a concurrent publisher is simply re-read and retried.
 */
export async function publishStix(d1: D1Database, now: Date, tlp: Tlp | null, budgetMs = 2000): Promise<PublishResult> {
  const started = Date.now()
  let published = 0
  let rounds = 0
  let conflicts = 0
  while (Date.now() - started < budgetMs) {
    let n: number | null
    try {
      // A fresh clock per round: date_added stays close to the commit, however long the run.
      n = await oneRound(d1, new Date(Math.max(Date.now(), now.getTime())), tlp)
    } catch (err) {
      if (!/UNIQUE constraint failed|PRIMARY KEY/i.test(String(err)) || ++conflicts > 5) throw err
      logEvent('info', 'stix publish round lost to a concurrent publisher; retrying', {})
      continue
    }
    if (n === null) return { published, rounds, done: true }
    published += n
    rounds++
  }
  return { published, rounds, done: false }
}

// ---- Request-time gate -----------------------------------------------------------------------

let settled: { generation: number; nextExpiry: string | null } | null = null
let running: Promise<PublishResult> | null = null

/**
 * Publishes before a TAXII answer, unless nothing can have changed since the last complete run
 * in this isolate: same generation (every IOC write bumps it) and no expiry due yet. Concurrent
 * requests share one run.
 */
export async function publishIfStale(d1: D1Database, generation: number, now: Date, tlp: Tlp | null, budgetMs = 1500): Promise<void> {
  const nowIso = now.toISOString()
  if (settled && settled.generation === generation && (settled.nextExpiry === null || nowIso < settled.nextExpiry)) return
  running ??= publishStix(d1, now, tlp, budgetMs).finally(() => {
    running = null
  })
  const result = await running
  settled = result.done ? { generation, nextExpiry: await nextDueExpiry(d1) } : null
}

/** Forgets the gate (tests and the cron, after writes made elsewhere). */
export function resetPublishGate() {
  settled = null
}
