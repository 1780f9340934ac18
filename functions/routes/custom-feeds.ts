import { eq, inArray, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { customFeeds } from '../../schema/custom-feeds'
import { CustomFeedInput, CustomFeedPreviewInput, Slug, type CsvColumn, type CustomFeedFilters, type CustomFeedPolicy, type CustomFormat } from '../../schema/contracts/custom-feeds'
import { campaigns, feedState, users } from '../../schema/tables'
import { renderCustomFeed, type CustomFeedSpec, type Rendered } from '../domain/custom-feed'
import { identityId } from '../domain/stix'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { checkFeedAccess } from '../lib/feed-auth'
import { getCachedFeed, type CachedFeed } from '../lib/feed-cache'
import { feedContext, type FeedContext } from '../lib/feed-context'
import { recordPoll } from '../lib/feed-polls'
import { sha256Hex } from '../lib/hash'
import { logEvent } from '../lib/log'
import { IdParam, zv } from '../lib/validate'
import { addAudit } from '../repos/audit'
import { selectCustomRows } from '../repos/custom-feeds'
import { recordFeedState } from '../repos/feeds'
import { identityVersion } from '../repos/taxii'
import { parseCount, serve, text, unavailable } from './feeds'

type Row = typeof customFeeds.$inferSelect
type Db = AppEnv['Variables']['db']

export const CUSTOM_PREFIX = '/feed/custom/'

interface Definition {
  slug: string
  name: string
  format: CustomFormat
  columns: CsvColumn[]
  filters: CustomFeedFilters
  policy: CustomFeedPolicy
}

async function stixIdentity(d1: D1Database) {
  const row = await identityVersion(d1)
  // Before the first TAXII publication: a fixed time, so the body (and its ETag) stays stable.
  return { id: await identityId(), created: row?.created ?? '2020-01-01T00:00:00.000Z' }
}

/** Selects the current members and renders them: the one code path of serving and preview. */
async function build(d1: D1Database, def: Definition, ctx: FeedContext, nowIso: string, page: { n?: number; s?: number }) {
  const set = def.format === 'csv' || def.format === 'json' || def.format === 'stix' ? 'full' : def.format === 'cp' ? 'cp' : 'list'
  const { rows, validUntil } = await selectCustomRows(d1, def.filters, nowIso, set)
  const spec: CustomFeedSpec = { slug: def.slug, name: def.name, format: def.format, columns: def.columns, policy: def.policy }
  const rendered = await renderCustomFeed(rows, spec, {
    nowIso,
    n: page.n,
    s: page.s,
    cpIpv6: ctx.cpIpv6,
    identity: def.format === 'stix' ? await stixIdentity(d1) : undefined,
  })
  return { rendered, validUntil }
}

function headersOf(r: Rendered, def: Definition): Record<string, string> {
  const dropped = Object.values(r.dropped).reduce((a, b) => a + b, 0)
  const h: Record<string, string> = {
    'Content-Type': r.contentType,
    'X-Moat-Total': String(r.total),
    'X-Moat-Returned': String(r.returned),
    'X-Moat-Dropped': String(dropped),
  }
  if (dropped) h['X-Moat-Dropped-Reasons'] = Object.entries(r.dropped).map(([k, v]) => `${k}=${v}`).join(', ')
  const max = def.policy.maxEntries
  if (max !== null && r.total > max) h['X-Moat-Over-Limit'] = `${r.total} entries > limit ${max}`
  if (r.empty) h['X-Moat-Empty'] = '1'
  return h
}

/** `GET /feed/custom/:slug`: the built-in feed rules (token, cache per change, ETag/304, gzip, 503). */
export const customFeedRoutes = new Hono<AppEnv>().get('/:slug', async (c) => {
  const now = new Date()
  const nowIso = now.toISOString()
  const slug = c.req.param('slug').toLowerCase()
  const path = CUSTOM_PREFIX + slug
  if (!Slug.safeParse(slug).success) return text(404, `# moat: no feed at ${c.req.path}\n`)
  const n = parseCount(c.req.query('n'), 'n')
  const s = parseCount(c.req.query('s'), 's')
  if (typeof n === 'string' || typeof s === 'string') return text(400, `# moat: ${typeof n === 'string' ? n : s}\n`)

  let ctx: FeedContext
  let row: Row | undefined
  try {
    ctx = await feedContext(c.env.DB)
    row = await c.var.db.select().from(customFeeds).where(eq(customFeeds.slug, slug)).get()
  } catch (err) {
    return unavailable(err, path)
  }
  if (!row) return text(404, `# moat: no feed at ${c.req.path}\n`)
  const def: Definition = row as Definition

  const access = await checkFeedAccess(c, path, ctx.access, nowIso).catch((err) => err as Error)
  if (access instanceof Error) return unavailable(access, path)
  const poll = (status: number, bytes = 0) =>
    recordPoll(c.env.DB, (p) => c.executionCtx.waitUntil(p), { at: nowIso, consumerId: access.consumer?.id ?? null, address: c.var.clientIp, feed: path, status, bytes })
  if (!access.ok) {
    poll(access.status)
    c.executionCtx.waitUntil(
      addAudit(c.var.db, { action: 'feed.auth_failure', outcome: 'failure', severity: 6, sourceIp: c.var.clientIp, target: path, details: { reason: access.reason } }).catch(() => undefined),
    )
    const challenge: Record<string, string> = access.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Moat feeds", charset="UTF-8"' } : {}
    return text(access.status, `# moat: ${access.reason}\n`, challenge)
  }

  // The definition version is part of the key: an edit serves the new shape at once.
  const key = `${path}#${row.id}@v${row.version}?n=${n ?? ''}&s=${s ?? ''}&v6=${ctx.cpIpv6 ? 1 : 0}`
  try {
    const entry = await getCachedFeed(key, ctx.generation, nowIso, async (previous): Promise<CachedFeed> => {
      const started = Date.now()
      const { rendered, validUntil } = await build(c.env.DB, def, ctx, nowIso, { n, s })
      const body = new TextEncoder().encode(rendered.text)
      const etag = `"${(await sha256Hex(body)).slice(0, 40)}"`
      if (n === undefined && s === undefined) {
        const state = { feed: path, entries: rendered.total, bytes: body.byteLength, dropped: Object.values(rendered.dropped).reduce((a, b) => a + b, 0), etag, builtAt: nowIso, buildMs: Date.now() - started }
        c.executionCtx.waitUntil(recordFeedState(c.env.DB, state, ctx.shrinkAlertShare).catch((err) => logEvent('error', 'feed state', { error: String(err) })))
      }
      return {
        generation: ctx.generation,
        validUntil,
        body,
        gzip: null,
        etag,
        lastModified: previous?.etag === etag ? previous.lastModified : now.toUTCString(),
        headers: headersOf(rendered, def),
        entries: rendered.returned,
      }
    })
    // An empty feed the admin wants treated as a failure: the device keeps its last good copy.
    if (entry.headers['X-Moat-Empty'] && def.policy.onEmpty === 'unavailable') {
      poll(503)
      return text(503, '# moat: feed has no entries; refusing to serve an empty list\n', { 'Retry-After': '300', 'X-Moat-Empty': '1' })
    }
    const res = await serve(c, entry)
    poll(res.status, res.status === 200 ? entry.body.byteLength : 0)
    return res
  } catch (err) {
    poll(503)
    return unavailable(err, path)
  }
})

const view = (r: Row, st?: { entries: number; bytes: number; builtAt: string }) => ({
  id: r.id,
  slug: r.slug,
  url: CUSTOM_PREFIX + r.slug,
  name: r.name,
  description: r.description,
  format: r.format as CustomFormat,
  columns: r.columns,
  filters: r.filters,
  policy: r.policy,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  entries: st?.entries ?? null,
  bytes: st?.bytes ?? null,
  builtAt: st?.builtAt ?? null,
})

function fieldError(status: 400 | 409, code: string, field: string, reason: string, fieldCode = code) {
  return new ApiError(status, code, `${field}: ${reason}`, { fields: [{ field, reason, code: fieldCode }] })
}

/** Campaigns and analysts named by id must exist (a typo would silently empty the feed). */
async function checkReferences(db: Db, f: CustomFeedFilters) {
  if (f.campaigns.length) {
    const found = new Set((await db.select({ id: campaigns.id }).from(campaigns).where(inArray(campaigns.id, f.campaigns))).map((r) => r.id))
    const i = f.campaigns.findIndex((id) => !found.has(id))
    if (i >= 0) throw fieldError(400, 'validation_failed', `filters.campaigns.${i}`, `campaign ${f.campaigns[i]} does not exist`, 'not_found')
  }
  if (f.analysts.length) {
    const found = new Set((await db.select({ id: users.id }).from(users).where(inArray(users.id, f.analysts))).map((r) => r.id))
    const i = f.analysts.findIndex((id) => !found.has(id))
    if (i >= 0) throw fieldError(400, 'validation_failed', `filters.analysts.${i}`, `user ${f.analysts[i]} does not exist`, 'not_found')
  }
}

async function slugTaken(db: Db, slug: string, except?: number) {
  const row = await db.select({ id: customFeeds.id }).from(customFeeds).where(eq(customFeeds.slug, slug)).get()
  return row !== undefined && row.id !== except
}

async function load(db: Db, id: number) {
  const row = await db.select().from(customFeeds).where(eq(customFeeds.id, id)).get()
  if (!row) throw notFound('Custom feed')
  return row
}

async function states(db: Db) {
  const rows = await db.select().from(feedState).where(sql`${feedState.feed} LIKE '/feed/custom/%'`)
  return new Map(rows.map((s) => [s.feed, s]))
}

/** Preview lines: the body's first lines (JSON and STIX pretty-printed so lines mean something). */
function previewLines(r: Rendered, format: CustomFormat, max: number) {
  const textBody = format === 'json' || format === 'stix' ? JSON.stringify(JSON.parse(r.text), null, 2) : format === 'esa' ? r.text.split(',').join(',\n') : r.text
  const all = textBody.split('\n')
  if (all[all.length - 1] === '') all.pop()
  return { lines: all.slice(0, max), truncated: all.length > max }
}

export const customFeedAdminRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/', async (c) => {
    const st = await states(c.var.db)
    const rows = await c.var.db.select().from(customFeeds).orderBy(customFeeds.name)
    return c.json({ items: rows.map((r) => view(r, st.get(CUSTOM_PREFIX + r.slug))) })
  })
  .post('/preview', zv('json', CustomFeedPreviewInput), async (c) => {
    const input = c.req.valid('json')
    await checkReferences(c.var.db, input.filters)
    const nowIso = new Date().toISOString()
    const ctx = await feedContext(c.env.DB)
    const def: Definition = { slug: 'preview', name: input.name, format: input.format, columns: input.columns, filters: input.filters, policy: input.policy }
    const { rendered } = await build(c.env.DB, def, ctx, nowIso, {})
    const { lines, truncated } = previewLines(rendered, input.format, input.lines)
    return c.json({
      lines,
      truncated,
      entries: rendered.returned,
      total: rendered.total,
      bytes: new TextEncoder().encode(rendered.text).byteLength,
      dropped: rendered.dropped,
      warnings: rendered.warnings,
      contentType: rendered.contentType,
    })
  })
  .get('/:id', zv('param', IdParam), async (c) => {
    const row = await load(c.var.db, c.req.valid('param').id)
    return c.json({ feed: view(row, (await states(c.var.db)).get(CUSTOM_PREFIX + row.slug)) })
  })
  .post('/', zv('json', CustomFeedInput), async (c) => {
    const input = c.req.valid('json')
    await checkReferences(c.var.db, input.filters)
    if (await slugTaken(c.var.db, input.slug)) throw fieldError(409, 'duplicate', 'slug', `a custom feed at /feed/custom/${input.slug} already exists`)
    const [row] = await c.var.db
      .insert(customFeeds)
      .values({ ...input, createdBy: c.var.user.id, updatedBy: c.var.user.id })
      .returning()
    await auditAction(c, 'custom_feed.create', row.slug, { format: row.format })
    return c.json({ feed: view(row) }, 201)
  })
  .patch('/:id', zv('param', IdParam), zv('json', CustomFeedInput), async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    await load(c.var.db, id)
    await checkReferences(c.var.db, input.filters)
    if (await slugTaken(c.var.db, input.slug, id)) throw fieldError(409, 'duplicate', 'slug', `a custom feed at /feed/custom/${input.slug} already exists`)
    const [row] = await c.var.db
      .update(customFeeds)
      .set({ ...input, version: sql`${customFeeds.version} + 1`, updatedBy: c.var.user.id, updatedAt: new Date().toISOString() })
      .where(eq(customFeeds.id, id))
      .returning()
    await auditAction(c, 'custom_feed.edit', row.slug, { version: row.version })
    return c.json({ feed: view(row) })
  })
  .delete('/:id', zv('param', IdParam), async (c) => {
    const row = await load(c.var.db, c.req.valid('param').id)
    await c.var.db.delete(customFeeds).where(eq(customFeeds.id, row.id))
    await auditAction(c, 'custom_feed.delete', row.slug)
    return c.body(null, 204)
  })
