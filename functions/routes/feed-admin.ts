import { eq, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { ConsumerInput, ConsumerPatch, FeedSettings } from '../../schema/contracts/feeds'
import { feedConsumers, feedState } from '../../schema/tables'
import { FEEDS } from '../domain/feed-catalogue'
import { ipRange } from '../domain/ip-range'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { sha256Hex } from '../lib/hash'
import { randomToken } from '../lib/session'
import { IdParam, zv } from '../lib/validate'
import { getSetting, settingWrites } from '../repos/settings'

type Row = typeof feedConsumers.$inferSelect

const view = (r: Row) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  tokenPrefix: r.tokenPrefix,
  previousTokenUntil: r.previousTokenUntil,
  allowedFeeds: r.allowedFeeds,
  allowedSources: r.allowedSources,
  active: r.active,
  lastSeenAt: r.lastSeenAt,
  lastAddress: r.lastAddress,
  lastFeed: r.lastFeed,
  lastStatus: r.lastStatus,
  createdAt: r.createdAt,
})

function checkSources(sources: string[] | undefined) {
  const bad = (sources ?? []).findIndex((s) => !ipRange(s))
  if (bad >= 0) {
    throw new ApiError(400, 'validation_failed', `allowedSources.${bad}: is not an IP address or CIDR`, {
      fields: [{ field: `allowedSources.${bad}`, reason: 'is not an IP address or CIDR', code: 'invalid_format' }],
    })
  }
}

/** A new feed token: shown once, stored as its SHA-256. */
async function newToken() {
  const token = `moatf_${randomToken(24)}`
  return { token, hash: await sha256Hex(new TextEncoder().encode(token)), prefix: token.slice(0, 10) }
}

async function load(db: AppEnv['Variables']['db'], id: number) {
  const row = await db.select().from(feedConsumers).where(eq(feedConsumers.id, id)).get()
  if (!row) throw notFound('Feed consumer')
  return row
}

const nameTaken = (name: string) =>
  new ApiError(409, 'duplicate', `name: a consumer named '${name}' already exists`, {
    fields: [{ field: 'name', reason: 'already exists', code: 'duplicate' }],
  })

async function nameExists(db: AppEnv['Variables']['db'], name: string, except?: number) {
  const row = await db.select({ id: feedConsumers.id }).from(feedConsumers).where(sql`${feedConsumers.name} = ${name} COLLATE NOCASE`).get()
  return row !== undefined && row.id !== except
}

export const feedConsumerRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/', async (c) => c.json({ items: (await c.var.db.select().from(feedConsumers).orderBy(feedConsumers.name)).map(view) }))
  .post('/', zv('json', ConsumerInput), async (c) => {
    const input = c.req.valid('json')
    checkSources(input.allowedSources)
    if (await nameExists(c.var.db, input.name)) throw nameTaken(input.name)
    const t = await newToken()
    const [row] = await c.var.db
      .insert(feedConsumers)
      .values({ ...input, tokenHash: t.hash, tokenPrefix: t.prefix })
      .returning()
    await auditAction(c, 'feed_consumer.create', row.name)
    return c.json({ consumer: view(row), token: t.token }, 201)
  })
  .patch('/:id', zv('param', IdParam), zv('json', ConsumerPatch), async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    await load(c.var.db, id)
    checkSources(input.allowedSources)
    if (input.name && (await nameExists(c.var.db, input.name, id))) throw nameTaken(input.name)
    const [row] = await c.var.db.update(feedConsumers).set({ ...input, updatedAt: new Date().toISOString() }).where(eq(feedConsumers.id, id)).returning()
    await auditAction(c, 'feed_consumer.edit', row.name, { fields: Object.keys(input) })
    return c.json({ consumer: view(row) })
  })
  .post('/:id/rotate', zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const old = await load(c.var.db, id)
    const t = await newToken()
    // The old token keeps working for the grace period: a firewall that loses auth fails open.
    const hours = await getSetting(c.var.db, 'feeds.tokenGraceHours')
    const until = new Date(Date.now() + hours * 3_600_000).toISOString()
    const [row] = await c.var.db
      .update(feedConsumers)
      .set({ tokenHash: t.hash, tokenPrefix: t.prefix, previousTokenHash: old.tokenHash, previousTokenUntil: until, updatedAt: new Date().toISOString() })
      .where(eq(feedConsumers.id, id))
      .returning()
    await auditAction(c, 'feed_consumer.rotate_token', row.name, { previousValidUntil: until })
    return c.json({ consumer: view(row), token: t.token })
  })
  .delete('/:id', zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const row = await load(c.var.db, id)
    await c.var.db.delete(feedConsumers).where(eq(feedConsumers.id, id))
    await auditAction(c, 'feed_consumer.delete', row.name)
    return c.body(null, 204)
  })

const SETTING_KEYS = {
  access: 'feeds.access',
  paDomainWildcard: 'feeds.paDomainWildcard',
  cpIpv6: 'feeds.cpIpv6',
  shrinkAlertShare: 'feeds.shrinkAlertShare',
  tokenGraceHours: 'feeds.tokenGraceHours',
  limits: 'feeds.limits',
  publicUrl: 'feeds.publicUrl',
  taxiiTlp: 'feeds.taxiiTlp',
} as const

async function currentSettings(db: AppEnv['Variables']['db']) {
  return {
    access: (await getSetting(db, 'feeds.access')) as 'public' | 'token',
    paDomainWildcard: await getSetting(db, 'feeds.paDomainWildcard'),
    cpIpv6: await getSetting(db, 'feeds.cpIpv6'),
    shrinkAlertShare: await getSetting(db, 'feeds.shrinkAlertShare'),
    tokenGraceHours: await getSetting(db, 'feeds.tokenGraceHours'),
    limits: await getSetting(db, 'feeds.limits'),
    publicUrl: await getSetting(db, 'feeds.publicUrl'),
    taxiiTlp: (await getSetting(db, 'feeds.taxiiTlp')) as '' | 'white' | 'green' | 'amber' | 'red',
  }
}

export const feedCatalogueRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', async (c) => {
    const states = new Map((await c.var.db.select().from(feedState)).map((s) => [s.feed.split('?')[0], s]))
    const limits = await getSetting(c.var.db, 'feeds.limits')
    const items = [...FEEDS.values()].map((f) => {
      const st = states.get(f.aliasOf ?? f.path)
      const limit = limits[f.aliasOf ?? f.path] ?? null
      return {
        path: f.path,
        title: f.title,
        format: f.format,
        types: f.types,
        deprecated: Boolean(f.deprecated),
        aliasOf: f.aliasOf ?? null,
        entries: st?.entries ?? null,
        bytes: st?.bytes ?? null,
        dropped: st?.dropped ?? null,
        builtAt: st?.builtAt ?? null,
        limit,
        overLimit: limit !== null && (st?.entries ?? 0) > limit,
      }
    })
    return c.json({ items, settings: await currentSettings(c.var.db) })
  })
  .patch('/settings', requireRole('admin'), zv('json', FeedSettings), async (c) => {
    const input = c.req.valid('json')
    if (input.limits) {
      const unknown = Object.keys(input.limits).find((p) => !FEEDS.has(p) || FEEDS.get(p)!.aliasOf)
      if (unknown) {
        throw new ApiError(400, 'validation_failed', `limits.${unknown}: is not a feed path (use the main path, not an alias)`, {
          fields: [{ field: `limits.${unknown}`, reason: 'is not a feed path', code: 'invalid_value' }],
        })
      }
    }
    const stmts = settingWrites(c.var.db, Object.fromEntries(Object.entries(input).map(([k, v]) => [SETTING_KEYS[k as keyof typeof SETTING_KEYS], v])), c.var.user.username)
    if (stmts.length) await c.var.db.batch(stmts as never)
    await auditAction(c, 'settings.change', 'feeds', input)
    return c.json({ settings: await currentSettings(c.var.db) })
  })
