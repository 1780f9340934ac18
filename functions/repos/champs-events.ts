import { sql } from 'drizzle-orm'
import type { ScoringEvent } from '../domain/champs'
import type { IocType } from '../domain/ioc'
import type { Db } from '../env'
import { tableColumns } from './schema-probe'

export interface ChampsUser {
  id: number
  username: string
  displayName: string
  role: string
  source: string
  active: boolean
}

export async function champsUsers(db: Db, excludeSystem: boolean): Promise<ChampsUser[]> {
  const rows = await db.all<Omit<ChampsUser, 'active'> & { active: number }>(
    sql`SELECT id, username, display_name AS displayName, role, source, active FROM users ${excludeSystem ? sql`WHERE source <> 'system'` : sql``} ORDER BY username`,
  )
  return rows.map((r) => ({ ...r, active: Boolean(r.active) }))
}

/** Deleted by the deleter while expired, or the deleter's own IOC (the Feed Pulse anomaly rule joins when it exists). */
const ELIGIBLE_DELETION = sql.raw(`((i.expires_at IS NOT NULL AND i.expires_at <= h.at) OR i.created_by = h.actor_id)`)

/**
 * Approved YARA rules as scoring events, from `yara_rules` when that table exists (it comes with
 * the YARA feature): uploader, approval time, quality and campaign link. Pending and rejected
 * rules score nothing.
 */
export async function yaraEvents(db: Db, userIds?: number[]): Promise<{ userId: number; event: ScoringEvent }[]> {
  const cols = await tableColumns(db, 'yara_rules')
  if (!cols || !cols.has('created_by') || !cols.has('status')) return []
  const at = approvalTime(cols)
  const quality = cols.has('quality') ? 'quality' : 'NULL'
  const campaign = cols.has('campaign_id') ? 'campaign_id IS NOT NULL' : '0'
  const live = cols.has('deleted_at') ? 'AND deleted_at IS NULL' : ''
  const rows = await db.all<{ userId: number; at: string; quality: number | null; campaign: number }>(
    sql`SELECT created_by AS userId, ${sql.raw(at)} AS at, ${sql.raw(quality)} AS quality, ${sql.raw(campaign)} AS campaign
      FROM yara_rules WHERE status = 'approved' AND created_by IS NOT NULL ${sql.raw(live)}
      ${userIds ? sql`AND created_by IN (SELECT value FROM json_each(${JSON.stringify(userIds)}))` : sql``}`,
  )
  return rows.map((r) => ({ userId: r.userId, event: { kind: 'yara', at: r.at, quality: r.quality, campaign: Boolean(r.campaign) } }))
}

/** When a rule was approved: `approved_at`, else the review time (yara_rules.reviewed_at). */
export function approvalTime(cols: Set<string>): string {
  if (cols.has('approved_at')) return 'approved_at'
  if (cols.has('reviewed_at')) return `coalesce(reviewed_at, ${cols.has('updated_at') ? 'updated_at' : 'created_at'})`
  return cols.has('updated_at') ? 'updated_at' : 'created_at'
}

/**
 * Rules at instant `until` (reports): approved = approved by then and not deleted by then;
 * pending and rejected = the live ones now. Null when there is no YARA table.
 */
export async function yaraCounts(db: Db, until?: string) {
  const cols = await tableColumns(db, 'yara_rules')
  if (!cols || !cols.has('status')) return null
  const t = until ?? new Date().toISOString()
  const at = approvalTime(cols)
  const live = cols.has('deleted_at') ? sql`(deleted_at IS NULL OR deleted_at > ${t})` : sql`1`
  const liveNow = cols.has('deleted_at') ? sql.raw('deleted_at IS NULL') : sql.raw('1')
  const approved = sql`(status = 'approved' AND ${sql.raw(at)} <= ${t} AND ${live})`
  const q = cols.has('quality') ? sql`avg(CASE WHEN ${approved} THEN quality END)` : sql`NULL`
  const camp = cols.has('campaign_id') ? sql`sum(${approved} AND campaign_id IS NOT NULL)` : sql`0`
  const ticket = cols.has('ticket') ? sql`sum(${approved} AND coalesce(ticket, '') <> '')` : sql`0`
  return db.get<{ approved: number; pending: number; rejected: number; avgQuality: number | null; withCampaign: number; withTicket: number }>(
    sql`SELECT coalesce(sum(${approved}), 0) AS approved, coalesce(sum(status = 'pending' AND ${liveNow}), 0) AS pending,
      coalesce(sum(status = 'rejected' AND ${liveNow}), 0) AS rejected, ${q} AS avgQuality, coalesce(${camp}, 0) AS withCampaign,
      coalesce(${ticket}, 0) AS withTicket FROM yara_rules`,
  )
}

interface IocGroup {
  userId: number
  at: string
  type: IocType
  campaign: number
  comment: string
  ticket: string
  tags: number
  expires: number
  bulk: number
  penalized: number
  n: number
}

/**
 * Every scoring event of the given users (all users when omitted), IOCs grouped by minute and
 * attributes: identical IOCs submitted together score identically, so a 100k-row import is one
 * event with `count`, not 100k. The groups come from the trigger-kept roll-up `champs_ioc_groups`.
 */
export async function loadScoringEvents(db: Db, userIds?: number[]): Promise<Map<number, ScoringEvent[]>> {
  const only = (col: string) => (userIds ? sql`AND ${sql.raw(col)} IN (SELECT value FROM json_each(${JSON.stringify(userIds)}))` : sql``)
  const [iocs, deletions, campaigns, links, notes, yara] = await Promise.all([
    // From the roll-up (schema/champs-rollup.ts): the same groups as grouping `iocs` by creator, minute
    // and scoring attributes, without reading the IOC table.
    db.all<IocGroup>(sql`SELECT user_id AS userId, min(at) AS at, type, campaign, comment, ticket, tags, expires, bulk, penalized, sum(n) AS n
      FROM champs_ioc_groups WHERE n > 0 ${only('user_id')}
      GROUP BY user_id, substr(at, 1, 16), type, campaign, comment, ticket, tags, expires, bulk, penalized`),
    db.all<{ userId: number; at: string; expired: number }>(sql`SELECT h.actor_id AS userId, h.at, (i.expires_at IS NOT NULL AND i.expires_at <= h.at) AS expired
      FROM ioc_history h JOIN iocs i ON i.id = h.ioc_id
      WHERE h.event = 'deleted' AND h.actor_id IS NOT NULL AND ${ELIGIBLE_DELETION} ${only('h.actor_id')}`),
    db.all<{ userId: number; at: string }>(sql`SELECT created_by AS userId, created_at AS at FROM campaigns WHERE created_by IS NOT NULL ${only('created_by')}`),
    db.all<{ userId: number; at: string }>(sql`SELECT h.actor_id AS userId, h.at FROM ioc_history h
      WHERE h.event = 'edited' AND h.actor_id IS NOT NULL ${only('h.actor_id')}
        AND json_type(h.diff, '$.campaignId') = 'array' AND json_extract(h.diff, '$.campaignId[0]') IS NULL
        AND json_extract(h.diff, '$.campaignId[1]') IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ioc_history e WHERE e.ioc_id = h.ioc_id AND e.id < h.id AND (
          (e.event = 'created' AND json_extract(e.diff, '$.campaignId') IS NOT NULL)
          OR (e.event = 'edited' AND json_type(e.diff, '$.campaignId') = 'array' AND json_extract(e.diff, '$.campaignId[1]') IS NOT NULL)))`),
    db.all<{ userId: number; at: string; length: number }>(sql`SELECT author_id AS userId, created_at AS at, length(trim(body)) AS length
      FROM ioc_notes WHERE author_id IS NOT NULL ${only('author_id')}`),
    yaraEvents(db, userIds),
  ])
  const out = new Map<number, ScoringEvent[]>()
  const push = (userId: number, e: ScoringEvent) => {
    let list = out.get(userId)
    if (!list) out.set(userId, (list = []))
    list.push(e)
  }
  for (const g of iocs) {
    push(g.userId, {
      kind: 'ioc', at: g.at, count: g.n, iocType: g.type, campaign: !!g.campaign, comment: g.comment, ticket: g.ticket,
      tags: g.tags ?? 0, expires: !!g.expires, bulk: !!g.bulk, penalized: !!g.penalized,
    })
  }
  for (const d of deletions) push(d.userId, { kind: 'deletion', at: d.at, expired: !!d.expired })
  for (const c of campaigns) push(c.userId, { kind: 'campaign', at: c.at })
  for (const l of links) push(l.userId, { kind: 'link', at: l.at })
  for (const n of notes) push(n.userId, { kind: 'note', at: n.at, length: n.length })
  for (const y of yara) push(y.userId, y.event)
  return out
}

/** Rare finds (first IOC with a country, TLD or email domain) per user. */
export async function rareFindCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db.all<{ userId: number; n: number }>(sql`SELECT user_id AS userId, count(*) AS n FROM stats_firsts GROUP BY user_id`)
  return new Map(rows.map((r) => [r.userId, r.n]))
}
