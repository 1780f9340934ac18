import type { Context } from 'hono'
import { feedAllowed } from '../domain/feed-catalogue'
import { ipRange } from '../domain/ip-range'
import type { AppEnv } from '../env'
import type { ConsumerRow } from '../repos/feeds'
import { sha256Hex } from './hash'
import { consumerByTokenHash } from './feed-context'

export type FeedAccess =
  | { ok: true; consumer: ConsumerRow | null }
  | { ok: false; status: 401 | 403; reason: string; consumer?: ConsumerRow }

/**
 * The feed token from HTTP Basic (the password; PAN-OS and Check Point send it), Bearer, `Token`
 * (taxii2-client's TokenAuth), or `?token=`.
 */
export function feedToken(c: Context<AppEnv>): string | null {
  const auth = c.req.header('authorization') ?? ''
  if (/^basic /i.test(auth)) {
    try {
      const decoded = atob(auth.slice(6).trim())
      const colon = decoded.indexOf(':')
      return colon >= 0 ? decoded.slice(colon + 1) : decoded
    } catch {
      return ''
    }
  }
  if (/^bearer /i.test(auth)) return auth.slice(7).trim()
  if (/^token /i.test(auth)) return auth.slice(6).trim()
  return c.req.query('token') ?? null
}

function addressIn(address: string, cidrs: string[]): boolean {
  const ip = ipRange(address)
  if (!ip) return false
  return cidrs.some((cidr) => {
    const r = ipRange(cidr)
    return r !== null && r.start <= ip.start && ip.end <= r.end
  })
}

/** Decides whether this poll may read `feed`: token, consumer state, allowed feeds and sources. */
export async function checkFeedAccess(c: Context<AppEnv>, feed: string, mode: string, nowIso: string): Promise<FeedAccess> {
  const access = await checkConsumer(c, mode, nowIso)
  if (!access.ok || !access.consumer) return access
  const consumer = access.consumer
  if (!feedAllowed(JSON.parse(consumer.allowed_feeds) as string[], feed)) {
    return { ok: false, status: 403, reason: `consumer ${consumer.name} may not read ${feed}`, consumer }
  }
  return access
}

/** Token, consumer state and source address, without the per-feed restriction (TAXII discovery). */
export async function checkConsumer(c: Context<AppEnv>, mode: string, nowIso: string): Promise<FeedAccess> {
  const token = feedToken(c)
  if (token === null || token === '') {
    if (mode === 'token') return { ok: false, status: 401, reason: 'a feed token is required' }
    return { ok: true, consumer: null }
  }
  const consumer = await consumerByTokenHash(c.env.DB, await sha256Hex(new TextEncoder().encode(token)), nowIso)
  if (!consumer || !consumer.active) return { ok: false, status: 401, reason: 'unknown or revoked feed token' }
  const sources = JSON.parse(consumer.allowed_sources) as string[]
  if (sources.length && !addressIn(c.var.clientIp, sources)) {
    return { ok: false, status: 403, reason: `address ${c.var.clientIp} is not allowed for consumer ${consumer.name}`, consumer }
  }
  return { ok: true, consumer }
}
