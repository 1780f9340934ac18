import { findConsumerByTokenHash, type ConsumerRow } from '../repos/feeds'
import { SETTING_DEFAULTS } from '../repos/settings'

/**
 * What every feed request needs before it can answer from cache: the generation counter and the
 * feed settings, read in ONE query and remembered for a second; consumer lookups likewise. Writes
 * made through this isolate (every API write, every cron run) forget them at once, so a change is
 * visible to the next poll; the one-second memory only matters for writes made elsewhere (another
 * node of a scale-out, or a CLI), which the next read picks up.
 */
const TTL_MS = 1000

export interface FeedContext {
  generation: number
  /** Every row of `generation` by id (see repos/generation.ts): built-in feeds key on these. */
  counters: Record<string, number>
  access: string
  paDomainWildcard: boolean
  cpIpv6: boolean
  shrinkAlertShare: number
  limits: Record<string, number>
  /** Public base URL for absolute TAXII addresses ('' = relative paths); never the Host header. */
  publicUrl: string
  /** TLP marking on published STIX versions ('' = none). */
  taxiiTlp: string
  /** Content blocks per TAXII 1.1 Poll_Response part. */
  taxii1PartSize: number
}

let current: { ctx: FeedContext; at: number } | null = null
const consumers = new Map<string, { row: ConsumerRow | null; at: number }>()

export function invalidateFeedContext() {
  current = null
  consumers.clear()
}

export async function feedContext(d1: D1Database): Promise<FeedContext> {
  if (current && Date.now() - current.at < TTL_MS) return current.ctx
  const row = await d1
    .prepare(
      `SELECT (SELECT value FROM generation WHERE id = 1) AS generation,
              (SELECT json_group_object(id, value) FROM generation) AS counters,
              (SELECT json_group_object(key, json(value)) FROM settings WHERE key LIKE 'feeds.%') AS settings`,
    )
    .first<{ generation: number | null; counters: string | null; settings: string | null }>()
  const s = { ...SETTING_DEFAULTS, ...(JSON.parse(row?.settings ?? '{}') as Record<string, unknown>) }
  const ctx: FeedContext = {
    generation: row?.generation ?? 0,
    counters: JSON.parse(row?.counters ?? '{}') as Record<string, number>,
    access: String(s['feeds.access']),
    paDomainWildcard: Boolean(s['feeds.paDomainWildcard']),
    cpIpv6: Boolean(s['feeds.cpIpv6']),
    shrinkAlertShare: Number(s['feeds.shrinkAlertShare']),
    limits: (s['feeds.limits'] ?? {}) as Record<string, number>,
    publicUrl: String(s['feeds.publicUrl'] ?? ''),
    taxiiTlp: String(s['feeds.taxiiTlp'] ?? ''),
    taxii1PartSize: Number(s['feeds.taxii1PartSize']),
  }
  current = { ctx, at: Date.now() }
  return ctx
}

export async function consumerByTokenHash(d1: D1Database, hash: string, nowIso: string): Promise<ConsumerRow | null> {
  const hit = consumers.get(hash)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.row
  const row = (await findConsumerByTokenHash(d1, hash, nowIso)) ?? null
  if (consumers.size > 10_000) consumers.clear()
  consumers.set(hash, { row, at: Date.now() })
  return row
}
