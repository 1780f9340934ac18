import { Hono, type Context } from 'hono'
import { findFeed, type FeedDef } from '../domain/feed-catalogue'
import {
  cpCsv,
  cpNetworkList,
  EMPTY_LINE,
  epoFilesList,
  epoTicketCsv,
  esaList,
  paDomainList,
  paIpList,
  paUrlList,
  plainList,
  sliceLines,
  type FeedBody,
  type FeedRow,
} from '../domain/feed-formats'
import { collapseIps } from '../domain/ip-collapse'
import type { AppEnv } from '../env'
import { checkFeedAccess } from '../lib/feed-auth'
import { getCachedFeed, gzip, streamBytes, type CachedFeed } from '../lib/feed-cache'
import { sha256Hex } from '../lib/hash'
import { feedContext, type FeedContext } from '../lib/feed-context'
import { recordPoll } from '../lib/feed-polls'
import { addAudit } from '../repos/audit'
import { scopedGeneration } from '../repos/generation'
import { recordFeedState, selectEpoTicketRows, selectEpoTickets, selectFeedRows, selectFeedText, selectFeedValues } from '../repos/feeds'
import { logEvent } from '../lib/log'
import { FeedMissing, renderYaraFeed } from '../lib/yara-feed'

const TEXT = 'text/plain; charset=utf-8'

interface Options {
  /** The admin's maximum for this feed (device capacity). */
  limit?: number
  n?: number
  s?: number
  wild: boolean
  /** IP collapsing (`?tr=`, XSOAR's parameter): 1 = ranges, 2 = fewest CIDRs; IP feeds only. */
  tr?: 1 | 2
  ipv6: boolean
}

export function text(status: number, body: string, headers: Record<string, string> = {}) {
  return new Response(body, { status, headers: { 'Content-Type': TEXT, 'Cache-Control': 'no-store', ...headers } })
}

export function parseCount(raw: string | undefined, name: string): number | undefined | string {
  if (raw === undefined || raw === '') return undefined
  if (!/^\d{1,9}$/.test(raw)) return `${name} must be a whole number of lines`
  return Number(raw)
}

type Selected = { rows: FeedRow[] } | { values: string[] }

function renderBody(def: FeedDef, sel: Selected, opts: Options): { text: string; total: number; returned: number; dropped: Record<string, number>; extraHeaders: Record<string, string> } {
  const values = 'values' in sel ? sel.values : sel.rows.map((r) => r.value)
  if (def.format === 'esa') {
    const { body } = esaList(values)
    return { text: body, total: values.length, returned: values.length, dropped: {}, extraHeaders: values.length ? {} : { 'X-Moat-Empty': '1' } }
  }
  let built: FeedBody
  if (opts.tr) return renderBody(def, { values: collapseIps(values, opts.tr === 1 ? 'range' : 'cidr').entries }, { ...opts, tr: undefined })
  switch (def.format) {
    case 'pa-ip':
      built = paIpList(values)
      break
    case 'pa-domain':
      built = paDomainList(values, opts.wild)
      break
    case 'pa-url':
      built = paUrlList(values)
      break
    case 'cp':
      built = cpCsv('rows' in sel ? sel.rows : [], `Moat ${def.types.join('+')} indicators`, { ipv6: opts.ipv6 })
      break
    case 'cp-network':
      built = cpNetworkList(values)
      break
    default:
      built = plainList(values)
  }
  const capped = opts.limit !== undefined && built.lines.length > opts.limit ? built.lines.slice(0, opts.limit) : built.lines
  const lines = sliceLines(capped, opts.s, opts.n)
  const body = lines.length ? (built.head ?? '') + lines.join('') : (built.empty ?? EMPTY_LINE)
  return { text: body, total: built.lines.length, returned: lines.length, dropped: built.dropped, extraHeaders: {} }
}

/** Formats whose line is the bare value: SQLite can assemble the whole body, slicing included. */
const sqlAssembled = (def: FeedDef, opts: Options) =>
  !opts.tr && (def.format === 'plain' || def.format === 'pa-ip' || def.format === 'cp-network' || (def.format === 'pa-domain' && !opts.wild))

async function selectAndRender(c: Context<AppEnv>, def: FeedDef, opts: Options, nowIso: string) {
  if (def.format.startsWith('yara-')) return { out: await renderYaraFeed(c.env.DB, def), nextExpiry: null }
  if (sqlAssembled(def, opts)) {
    const offset = opts.s ?? 0
    const capped = opts.limit === undefined ? undefined : Math.max(0, opts.limit - offset)
    const limit = opts.n === undefined ? capped : Math.min(opts.n, capped ?? opts.n)
    const sel = await selectFeedText(c.env.DB, def.types, nowIso, { limit, offset })
    const out = { text: sel.lines ? sel.text : EMPTY_LINE, total: sel.total, returned: sel.lines, dropped: {} as Record<string, number>, extraHeaders: {} as Record<string, string> }
    return { out, nextExpiry: sel.nextExpiry }
  }
  const selection = def.format === 'cp' ? await selectFeedRows(c.env.DB, def.types, nowIso) : await selectFeedValues(c.env.DB, def.types, nowIso)
  return { out: renderBody(def, selection, opts), nextExpiry: selection.nextExpiry }
}

async function buildEntry(
  c: Context<AppEnv>,
  key: string,
  def: FeedDef,
  opts: Options,
  generation: number,
  ctx: FeedContext,
  nowIso: string,
  previous?: CachedFeed,
): Promise<CachedFeed> {
  const started = Date.now()
  const { out, nextExpiry } = await selectAndRender(c, def, opts, nowIso)
  const body = new TextEncoder().encode(out.text)
  const etag = `"${(await sha256Hex(body)).slice(0, 40)}"`
  const droppedTotal = Object.values(out.dropped).reduce((a, b) => a + b, 0)
  const headers: Record<string, string> = {
    'X-Moat-Total': String(out.total),
    'X-Moat-Returned': String(out.returned),
    'X-Moat-Dropped': String(droppedTotal),
    // When this body was built: it changes only when a write touched what the feed lists.
    'X-Moat-Built': new Date(started).toISOString(),
    ...out.extraHeaders,
  }
  if (opts.limit !== undefined && out.total > opts.limit) headers['X-Moat-Over-Limit'] = `${out.total} entries > limit ${opts.limit}`
  if (droppedTotal) headers['X-Moat-Dropped-Reasons'] = Object.entries(out.dropped).map(([k, v]) => `${k}=${v}`).join(', ')
  const entry: CachedFeed = {
    generation,
    validUntil: nextExpiry,
    body,
    gzip: null,
    etag,
    lastModified: previous?.etag === etag ? previous.lastModified : new Date().toUTCString(),
    headers,
    entries: out.returned,
  }
  if (opts.n === undefined && opts.s === undefined && def.format !== 'yara-content') {
    const share = ctx.shrinkAlertShare
    const state = { feed: key, entries: out.total, bytes: body.byteLength, dropped: droppedTotal, etag, builtAt: new Date().toISOString(), buildMs: Date.now() - started }
    c.executionCtx.waitUntil(recordFeedState(c.env.DB, state, share).catch((err) => logEvent('error', 'feed state', { error: String(err) })))
  }
  return entry
}

/**
 * The client's own Accept-Encoding. Miniflare's entry worker rewrites the header to `br, gzip` for
 * every request and keeps the original in `cf.clientAcceptEncoding` (as Cloudflare does), so
 * reading the header would send gzip to a PAN-OS that never asked for it.
 */
function clientAcceptEncoding(c: Context<AppEnv>): string {
  const cf = (c.req.raw as { cf?: { clientAcceptEncoding?: string } }).cf
  return cf?.clientAcceptEncoding ?? c.req.header('accept-encoding') ?? ''
}

export async function serve(c: Context<AppEnv>, entry: CachedFeed): Promise<Response> {
  const headers: Record<string, string> = {
    'Content-Type': TEXT,
    ETag: entry.etag,
    'Last-Modified': entry.lastModified,
    'Cache-Control': 'no-cache',
    // For an nginx proxy_cache in front (README "Beyond one box"): store the body but treat it as
    // expired since 1970, so every request is revalidated here with If-None-Match (a 304 costs
    // nothing) and a write is never answered from a stale copy. nginx hides the header from clients.
    'X-Accel-Expires': '@1',
    Vary: 'Accept-Encoding',
    ...entry.headers,
  }
  const inm = c.req.header('if-none-match')
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === entry.etag)) {
    return new Response(null, { status: 304, headers })
  }
  const wantsGzip = /\bgzip\b/i.test(clientAcceptEncoding(c)) && entry.body.byteLength > 1024
  // Compressed once, on the first request that asks for it.
  if (wantsGzip) entry.gzip ??= gzip(entry.body)
  const bytes = wantsGzip ? await entry.gzip! : entry.body
  if (wantsGzip) headers['Content-Encoding'] = 'gzip'
  headers['Content-Length'] = String(bytes.byteLength)
  const body = bytes.byteLength ? streamBytes(bytes, (p) => c.executionCtx.waitUntil(p)) : null
  return new Response(body, { status: 200, headers, encodeBody: 'manual' } as ResponseInit)
}

export function unavailable(err: unknown, path: string) {
  logEvent('error', 'feed build failed', { feed: path, error: String(err) })
  return text(503, '# moat: feed temporarily unavailable; retry later\n', { 'Retry-After': '30' })
}

export const feedRoutes = new Hono<AppEnv>().get('/*', async (c) => {
  const now = new Date()
  const nowIso = now.toISOString()
  const path = c.req.path.toLowerCase().replace(/\/+$/, '')
  const epo = path.startsWith('/feed/epo/')
  const def = epo ? undefined : findFeed(path)
  if (!def && !epo) return text(404, `# moat: no feed at ${c.req.path}\n`)

  const n = parseCount(c.req.query('n'), 'n')
  const s = parseCount(c.req.query('s'), 's')
  const wild = c.req.query('wild')
  if (typeof n === 'string' || typeof s === 'string') return text(400, `# moat: ${typeof n === 'string' ? n : s}\n`)
  if (wild !== undefined && wild !== '0' && wild !== '1') return text(400, '# moat: wild must be 0 or 1\n')
  const tr = c.req.query('tr')
  // Ranges where the device takes them (PAN-OS IP EDL, Check Point Network Feed); CIDRs on any IP list.
  const trFeeds = tr === '1' ? ['pa-ip', 'cp-network'] : ['pa-ip', 'cp-network', 'plain']
  if (tr !== undefined && tr !== '0') {
    if (tr !== '1' && tr !== '2') return text(400, '# moat: tr must be 0, 1 (ranges) or 2 (CIDRs)\n')
    if (!def || def.types.join() !== 'ip' || !trFeeds.includes(def.format)) return text(400, `# moat: tr=${tr} is not available for ${path}\n`)
  }

  let ctx: FeedContext
  try {
    ctx = await feedContext(c.env.DB)
  } catch (err) {
    return unavailable(err, path)
  }
  const mode = ctx.access
  const opts: Options = {
    n,
    s,
    wild: wild === undefined ? ctx.paDomainWildcard : wild === '1',
    tr: tr === '1' ? 1 : tr === '2' ? 2 : undefined,
    ipv6: ctx.cpIpv6,
    limit: def ? ctx.limits[def.aliasOf ?? def.path] : undefined,
  }
  const access = await checkFeedAccess(c, path, mode, nowIso).catch((err) => err as Error)
  if (access instanceof Error) return unavailable(access, path)
  const poll = (status: number, bytes = 0) =>
    recordPoll(c.env.DB, (p) => c.executionCtx.waitUntil(p), {
      at: nowIso,
      consumerId: access.consumer?.id ?? null,
      address: c.var.clientIp,
      feed: path,
      status,
      bytes,
    })
  if (!access.ok) {
    poll(access.status)
    c.executionCtx.waitUntil(
      addAudit(c.var.db, { action: 'feed.auth_failure', outcome: 'failure', severity: 6, sourceIp: c.var.clientIp, target: path, details: { reason: access.reason } }).catch(() => undefined),
    )
    const challenge: Record<string, string> = access.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Moat feeds", charset="UTF-8"' } : {}
    return text(access.status, `# moat: ${access.reason}\n`, challenge)
  }

  if (epo) {
    try {
      const ticket = path.slice('/feed/epo/'.length)
      if (ticket === 'files-list') {
        const body = epoFilesList(await selectEpoTickets(c.env.DB, nowIso))
        poll(200, body.length)
        return text(200, body)
      }
      const raw = decodeURIComponent(c.req.path.slice('/feed/epo/'.length))
      if (!/^[A-Za-z0-9._-]+$/.test(raw)) return text(400, '# moat: the ticket may contain letters, digits and . _ - only\n')
      const body = epoTicketCsv(await selectEpoTicketRows(c.env.DB, raw, nowIso))
      poll(200, body.length)
      return text(200, body)
    } catch (err) {
      return unavailable(err, path)
    }
  }

  const feed = def!
  const key = `${feed.aliasOf ?? feed.path}?n=${opts.n ?? ''}&s=${opts.s ?? ''}${opts.limit ? `&max=${opts.limit}` : ''}${feed.format === 'pa-domain' ? `&wild=${opts.wild ? 1 : 0}` : ''}${feed.format === 'cp' ? `&v6=${opts.ipv6 ? 1 : 0}` : ''}${opts.tr ? `&tr=${opts.tr}` : ''}`
  try {
    const generation = scopedGeneration(ctx.counters, ctx.generation, feed.types, feed.format.startsWith('yara-'))
    const entry = await getCachedFeed(key, generation, nowIso, (prev) => buildEntry(c, key, feed, opts, generation, ctx, nowIso, prev))
    const res = await serve(c, entry)
    poll(res.status, res.status === 200 ? entry.body.byteLength : 0)
    return res
  } catch (err) {
    if (err instanceof FeedMissing) {
      poll(404)
      return text(404, `# moat: no approved YARA rule file at ${c.req.path}\n`)
    }
    poll(503)
    return unavailable(err, path)
  }
})
