import type { Context } from 'hono'
import { feedAllowed } from '../domain/feed-catalogue'
import type { Tlp } from '../domain/stix'
import type { AppEnv } from '../env'
import { addAudit } from '../repos/audit'
import { checkConsumer, type FeedAccess } from './feed-auth'
import { feedContext, type FeedContext } from './feed-context'
import { recordPoll } from './feed-polls'
import { logEvent } from './log'
import { publishIfStale } from '../services/stix-publish'

/** What every TAXII (2.1 and 1.1) handler starts from: settings, the consumer, and a poll logger. */
export interface TaxiiRequest {
  ctx: FeedContext
  access: Extract<FeedAccess, { ok: true }>
  now: Date
  /** Absolute base for addresses ('' = relative), from the configured public URL only. */
  base: string
  tlp: Tlp | null
  /** Records this poll against `feed` for Feed Pulse. */
  poll(feed: string, status: number, bytes?: number): void
  /** Whether the consumer may read this TAXII feed path (`/taxii2/ip`, `/taxii/moat-ip`). */
  mayRead(feed: string): boolean
}

export type Begin = { ok: true; req: TaxiiRequest } | { ok: false; status: 401 | 403 | 503; reason: string }

/** Settings and consumer authentication (feed tokens: Basic, Bearer, Token, ?token=). */
export async function beginTaxii(c: Context<AppEnv>, area: '/taxii2' | '/taxii'): Promise<Begin> {
  const now = new Date()
  const nowIso = now.toISOString()
  let ctx: FeedContext
  let access: FeedAccess
  try {
    ctx = await feedContext(c.env.DB)
    access = await checkConsumer(c, ctx.access, nowIso)
  } catch (err) {
    logEvent('error', 'taxii: database unavailable', { path: c.req.path, error: String(err) })
    return { ok: false, status: 503, reason: 'the database is unavailable; retry later' }
  }
  const poll = (feed: string, status: number, bytes = 0) =>
    recordPoll(c.env.DB, (p) => c.executionCtx.waitUntil(p), {
      at: nowIso,
      consumerId: access.consumer?.id ?? null,
      address: c.var.clientIp,
      feed,
      status,
      bytes,
    })
  if (!access.ok) {
    poll(area, access.status)
    c.executionCtx.waitUntil(
      addAudit(c.var.db, { action: 'feed.auth_failure', outcome: 'failure', severity: 6, sourceIp: c.var.clientIp, target: c.req.path, details: { reason: access.reason } }).catch(() => undefined),
    )
    return { ok: false, status: access.status, reason: access.reason }
  }
  const allowed = access.consumer ? (JSON.parse(access.consumer.allowed_feeds) as string[]) : []
  const tlp = (['white', 'green', 'amber', 'red'] as const).find((t) => t === ctx.taxiiTlp) ?? null
  return {
    ok: true,
    req: { ctx, access, now, base: ctx.publicUrl.replace(/\/+$/, ''), tlp, poll, mayRead: (feed) => feedAllowed(allowed, feed) },
  }
}

/** Brings the published STIX versions up to date before answering (bounded; the cron finishes the rest). */
export async function freshVersions(c: Context<AppEnv>, req: TaxiiRequest) {
  await publishIfStale(c.env.DB, req.ctx.generation, req.now, req.tlp)
}
