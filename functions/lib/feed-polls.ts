import { writePolls, type PollRecord } from '../repos/feeds'
import { logEvent } from './log'

// Polls are counted in memory and written at most every FLUSH_MS, in one batch: 200 devices
// polling every few minutes, or a load test at thousands of requests a second, cost the
// database the same handful of writes.
const FLUSH_MS = 5_000
const pending = new Map<string, PollRecord>()
let lastFlush = 0
let flushing: Promise<void> | null = null

export function recordPoll(
  d1: D1Database,
  waitUntil: (p: Promise<unknown>) => void,
  poll: Omit<PollRecord, 'count'>,
) {
  const key = `${poll.consumerId ?? ''}|${poll.address}|${poll.feed}|${poll.status}`
  const agg = pending.get(key)
  if (agg) {
    agg.count++
    agg.bytes += poll.bytes
    agg.at = poll.at
  } else pending.set(key, { ...poll, count: 1 })
  const now = Date.now()
  if (!flushing && now - lastFlush >= FLUSH_MS) {
    lastFlush = now
    const batch = [...pending.values()]
    pending.clear()
    flushing = writePolls(d1, batch)
      .catch((err) => logEvent('error', 'feed poll log failed', { error: String(err) }))
      .finally(() => {
        flushing = null
      })
    waitUntil(flushing)
  }
}

/** Writes whatever is pending now (the minute cron calls it, so an idle feed's last poll lands). */
export async function flushPolls(d1: D1Database) {
  if (flushing) await flushing
  const batch = [...pending.values()]
  pending.clear()
  lastFlush = Date.now()
  if (batch.length) await writePolls(d1, batch)
}
