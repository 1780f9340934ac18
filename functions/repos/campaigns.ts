import { asc, eq, sql } from 'drizzle-orm'
import { campaigns, iocs } from '../../schema/tables'
import type { Db } from '../env'
import { servedWhere } from './iocs'

export type CampaignRow = typeof campaigns.$inferSelect

export async function getCampaign(db: Db, id: number) {
  return db.select().from(campaigns).where(eq(campaigns.id, id)).get()
}

export async function getCampaignByName(db: Db, name: string) {
  return db.select().from(campaigns).where(sql`${campaigns.name} = ${name} COLLATE NOCASE`).get()
}

export async function createCampaign(db: Db, values: typeof campaigns.$inferInsert) {
  const [row] = await db.insert(campaigns).values(values).returning()
  return row
}

export async function updateCampaign(db: Db, id: number, patch: Partial<typeof campaigns.$inferInsert>) {
  const [row] = await db
    .update(campaigns)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(campaigns.id, id))
    .returning()
  return row
}

/** Campaigns (all, or the one with `id`) with their live and served IOC counts. */
export async function listCampaigns(db: Db, nowIso: string, id?: number) {
  return db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      description: campaigns.description,
      createdAt: campaigns.createdAt,
      updatedAt: campaigns.updatedAt,
      iocCount: sql<number>`(SELECT count(*) FROM iocs WHERE iocs.campaign_id = campaigns.id AND iocs.deleted_at IS NULL)`,
      activeCount: sql<number>`(SELECT count(*) FROM iocs WHERE iocs.campaign_id = campaigns.id AND ${servedWhere(nowIso)})`,
    })
    .from(campaigns)
    .where(id === undefined ? undefined : eq(campaigns.id, id))
    .orderBy(asc(sql`${campaigns.name} COLLATE NOCASE`))
}

export function unlinkCampaignIocs(db: Db, id: number) {
  return db.update(iocs).set({ campaignId: null }).where(eq(iocs.campaignId, id))
}

export function deleteCampaignStmt(db: Db, id: number) {
  return db.delete(campaigns).where(eq(campaigns.id, id))
}
