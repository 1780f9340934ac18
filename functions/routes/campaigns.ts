import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { CampaignInput, CampaignLinkInput, CampaignPatch } from '../../schema/contracts/iocs'
import { iocs } from '../../schema/tables'
import { csvRow } from '../domain/csv'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import * as repo from '../repos/campaigns'
import { bumpGeneration } from '../repos/generation'
import { historyForMatching } from '../repos/ioc-history'
import { iocStatus } from '../repos/iocs'

const writer = requireRole('admin', 'analyst')

async function withCounts(db: AppEnv['Variables']['db'], id: number) {
  const [found] = await repo.listCampaigns(db, new Date().toISOString(), id)
  if (!found) throw notFound('Campaign')
  return found
}

async function load(db: AppEnv['Variables']['db'], id: number) {
  const row = await repo.getCampaign(db, id)
  if (!row) throw notFound('Campaign')
  return row
}

const nameTaken = (name: string) =>
  new ApiError(409, 'duplicate', `name: a campaign named '${name}' already exists`, {
    fields: [{ field: 'name', reason: 'already exists', code: 'duplicate' }],
  })

export const campaignRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', async (c) => c.json({ items: await repo.listCampaigns(c.var.db, new Date().toISOString()) }))
  .post('/', writer, zv('json', CampaignInput), async (c) => {
    const input = c.req.valid('json')
    if (await repo.getCampaignByName(c.var.db, input.name)) throw nameTaken(input.name)
    const row = await repo.createCampaign(c.var.db, { ...input, createdBy: c.var.user.id })
    await auditAction(c, 'campaign.create', row.name)
    return c.json({ campaign: await withCounts(c.var.db, row.id) }, 201)
  })
  .get('/:id', zv('param', IdParam), async (c) => c.json({ campaign: await withCounts(c.var.db, c.req.valid('param').id) }))
  .patch('/:id', writer, zv('param', IdParam), zv('json', CampaignPatch), async (c) => {
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    await load(c.var.db, id)
    if (input.name) {
      const other = await repo.getCampaignByName(c.var.db, input.name)
      if (other && other.id !== id) throw nameTaken(input.name)
    }
    await repo.updateCampaign(c.var.db, id, input)
    await auditAction(c, 'campaign.edit', String(id), { fields: Object.keys(input) })
    return c.json({ campaign: await withCounts(c.var.db, id) })
  })
  .delete('/:id', requireRole('admin'), zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const row = await load(c.var.db, id)
    await c.var.db.batch([repo.unlinkCampaignIocs(c.var.db, id), repo.deleteCampaignStmt(c.var.db, id), bumpGeneration(c.var.db)])
    await auditAction(c, 'campaign.delete', row.name)
    return c.body(null, 204)
  })
  .post('/:id/iocs', writer, zv('param', IdParam), zv('json', CampaignLinkInput), async (c) => {
    const { id } = c.req.valid('param')
    await load(c.var.db, id)
    const ids = c.req.valid('json').iocIds
    const live = and(inArray(iocs.id, ids), isNull(iocs.deletedAt))
    // Each change of campaign is an `edited` history event (Champs credits first links from it).
    const changing = and(live, sql`${iocs.campaignId} IS NOT ${id}`)!
    const actor = { id: c.var.user.id, username: c.var.user.username }
    const [, linked] = await c.var.db.batch([
      historyForMatching(c.var.db, changing, 'edited', actor, sql`json_object('campaignId', json_array(${iocs.campaignId}, ${id}))`),
      c.var.db.update(iocs).set({ campaignId: id, updatedAt: new Date().toISOString() }).where(live).returning({ id: iocs.id }),
    ])
    return c.json({ linked: linked.length })
  })
  .delete('/:id/iocs/:iocId', writer, zv('param', IdParam.extend({ iocId: z.coerce.number().int().positive() })), async (c) => {
    const { id, iocId } = c.req.valid('param')
    const res = await c.var.db.update(iocs).set({ campaignId: null }).where(and(eq(iocs.id, iocId), eq(iocs.campaignId, id))).returning({ id: iocs.id })
    if (!res.length) throw notFound('Link')
    return c.body(null, 204)
  })
  .get('/:id/export.csv', zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    const campaign = await load(c.var.db, id)
    const rows = await c.var.db.select().from(iocs).where(and(eq(iocs.campaignId, id), isNull(iocs.deletedAt))).orderBy(asc(iocs.type), asc(iocs.value))
    const nowIso = new Date().toISOString()
    let body = csvRow(['id', 'type', 'value', 'status', 'expires_at', 'ticket', 'comment', 'tags', 'created_at'])
    for (const r of rows) {
      body += csvRow([r.id, r.type, r.value, iocStatus(r, nowIso), r.expiresAt ?? 'permanent', r.ticket, r.comment, (r.tags ?? []).join(' '), r.createdAt], true)
    }
    const file = `campaign-${id}-${campaign.name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}.csv`
    return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}"` })
  })
