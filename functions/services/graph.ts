// Campaign Graph: campaigns, their IOCs and their YARA rule files as one node/edge list, built with
// three indexed queries (no per-node calls) and capped at GRAPH_MAX_NODES. When the cap cuts, the
// children are taken round-robin across campaigns (the first of each, then the second of each...),
// so every campaign keeps some of its IOCs instead of the first campaigns taking the whole budget.
import { sql, type SQL } from 'drizzle-orm'
import { GRAPH_MAX_NODES, type GraphQuery, type GraphType } from '../../schema/contracts/graph'
import { csvRow } from '../domain/csv'
import type { IocType } from '../domain/ioc'
import type { Db } from '../env'

export type GraphNode =
  | { id: string; kind: 'campaign'; label: string; campaignId: number; total: number }
  | { id: string; kind: 'ioc'; label: string; iocId: number; type: IocType; country: string | null; status: string; campaignId: number }
  | { id: string; kind: 'yara'; label: string; ruleId: number; type: 'yara'; status: string; campaignId: number }

export interface GraphEdge {
  id: string
  source: string
  target: string
}

export interface Graph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** Nodes the filters matched; more than `nodes.length` when `truncated`. */
  matched: number
  truncated: boolean
  limit: number
  generatedAt: string
}

const json = (v: unknown) => JSON.stringify(v)
/** `%q%` for LIKE, with the pattern characters of `q` taken literally. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`

interface ChildRow {
  kind: 'ioc' | 'yara'
  id: number
  label: string
  type: string
  country: string | null
  status: string
  campaignId: number
}

export async function buildGraph(db: Db, q: GraphQuery, now: Date): Promise<Graph> {
  const nowIso = now.toISOString()
  const limit = q.limit ?? GRAPH_MAX_NODES
  const types: GraphType[] | undefined = q.type?.length ? q.type : undefined
  const iocTypes = types ? types.filter((t): t is IocType => t !== 'yara') : undefined
  const wantYara = !types || types.includes('yara')
  const search = q.q ? likePattern(q.q) : undefined

  const campaigns = await db.all<{ id: number; name: string; hit: number }>(sql`SELECT id, name, ${search ? sql`name LIKE ${search} ESCAPE '\\'` : sql`0`} AS hit
    FROM campaigns ${q.campaign?.length ? sql`WHERE id IN (SELECT value FROM json_each(${json(q.campaign)}))` : sql``}
    ORDER BY name COLLATE NOCASE, id`)
  const ids = json(campaigns.map((c) => c.id))
  const named = json(campaigns.filter((c) => c.hit).map((c) => c.id))

  // IOCs: live rows (deleted ones are history, not graph); "active only" = what a feed would serve.
  const iocWhere: SQL[] = [sql`campaign_id IN (SELECT value FROM json_each(${ids}))`, sql`deleted_at IS NULL`]
  if (iocTypes) iocWhere.push(sql`type IN (SELECT value FROM json_each(${json(iocTypes)}))`)
  if (q.active) iocWhere.push(sql`excluded_at IS NULL AND allowlisted_by IS NULL AND (expires_at IS NULL OR expires_at > ${nowIso})`)
  if (search) iocWhere.push(sql`(value LIKE ${search} ESCAPE '\\' OR campaign_id IN (SELECT value FROM json_each(${named})))`)
  const iocFilter = sql.join(iocWhere, sql` AND `)
  const wantIocs = !iocTypes || iocTypes.length > 0

  // YARA rule files linked to a campaign (yara_rules.campaign_id); "active only" = approved.
  const yaraOk = wantYara
  const yaraWhere: SQL[] = [sql`campaign_id IN (SELECT value FROM json_each(${ids}))`, sql`deleted_at IS NULL`]
  if (q.active) yaraWhere.push(sql`status = 'approved'`)
  if (search) yaraWhere.push(sql`(filename LIKE ${search} ESCAPE '\\' OR rule_names LIKE ${search} ESCAPE '\\' OR campaign_id IN (SELECT value FROM json_each(${named})))`)
  const yaraFilter = sql.join(yaraWhere, sql` AND `)

  const counts = await db.all<{ campaignId: number; n: number }>(sql`SELECT campaign_id AS campaignId, sum(n) AS n FROM (
      ${wantIocs ? sql`SELECT campaign_id, count(*) AS n FROM iocs WHERE ${iocFilter} GROUP BY campaign_id` : sql`SELECT NULL AS campaign_id, 0 AS n`}
      ${yaraOk ? sql`UNION ALL SELECT campaign_id, count(*) AS n FROM yara_rules WHERE ${yaraFilter} GROUP BY campaign_id` : sql``}
    ) WHERE campaign_id IS NOT NULL GROUP BY campaign_id`)
  const total = new Map(counts.map((r) => [r.campaignId, r.n]))

  // With a search, a campaign shows when its name matches or it has a matching child.
  const shown = campaigns.filter((c) => !search || c.hit || total.has(c.id))
  const matched = shown.length + [...total.values()].reduce((a, b) => a + b, 0)
  const kept = shown.slice(0, limit)
  const budget = limit - kept.length
  const keptIds = json(kept.map((c) => c.id))

  const parts: SQL[] = []
  if (wantIocs)
    parts.push(sql`SELECT 'ioc' AS kind, id, value AS label, type, CASE WHEN type = 'ip' THEN nullif(country, '') END AS country,
        CASE WHEN excluded_at IS NOT NULL THEN 'excluded' WHEN allowlisted_by IS NOT NULL THEN 'allowlisted'
             WHEN expires_at IS NOT NULL AND expires_at <= ${nowIso} THEN 'expired' ELSE 'active' END AS status,
        campaign_id AS campaignId
      FROM iocs WHERE ${iocFilter} AND campaign_id IN (SELECT value FROM json_each(${keptIds}))`)
  if (yaraOk)
    parts.push(sql`SELECT 'yara' AS kind, id, filename AS label, 'yara' AS type, NULL AS country, status, campaign_id AS campaignId
      FROM yara_rules WHERE ${yaraFilter} AND campaign_id IN (SELECT value FROM json_each(${keptIds}))`)
  const children =
    budget > 0 && parts.length
      ? await db.all<ChildRow>(sql`SELECT kind, id, label, type, country, status, campaignId FROM (
            SELECT *, row_number() OVER (PARTITION BY campaignId ORDER BY kind DESC, id) AS rn FROM (${sql.join(parts, sql` UNION ALL `)}))
          ORDER BY rn, campaignId LIMIT ${budget}`)
      : []

  const nodes: GraphNode[] = kept.map((c) => ({ id: `c${c.id}`, kind: 'campaign', label: c.name, campaignId: c.id, total: total.get(c.id) ?? 0 }))
  const edges: GraphEdge[] = []
  for (const r of children) {
    const id = `${r.kind === 'ioc' ? 'i' : 'y'}${r.id}`
    nodes.push(
      r.kind === 'ioc'
        ? { id, kind: 'ioc', label: r.label, iocId: r.id, type: r.type as IocType, country: r.country, status: r.status, campaignId: r.campaignId }
        : { id, kind: 'yara', label: r.label, ruleId: r.id, type: 'yara', status: r.status, campaignId: r.campaignId },
    )
    edges.push({ id: `c${r.campaignId}-${id}`, source: `c${r.campaignId}`, target: id })
  }
  return { nodes, edges, matched, truncated: matched > nodes.length, limit, generatedAt: nowIso }
}

/** The graph's nodes as CSV for a spreadsheet (formula-looking cells neutralised). */
export function graphCsv(g: Graph): string {
  const names = new Map(g.nodes.filter((n) => n.kind === 'campaign').map((n) => [n.campaignId, n.label]))
  let body = csvRow(['kind', 'id', 'value', 'type', 'country', 'status', 'campaign_id', 'campaign'])
  for (const n of g.nodes) {
    if (n.kind === 'campaign') body += csvRow(['campaign', n.campaignId, n.label, '', '', '', n.campaignId, n.label], true)
    else if (n.kind === 'ioc') body += csvRow(['ioc', n.iocId, n.label, n.type, n.country ?? '', n.status, n.campaignId, names.get(n.campaignId) ?? ''], true)
    else body += csvRow(['yara', n.ruleId, n.label, 'yara', '', n.status, n.campaignId, names.get(n.campaignId) ?? ''], true)
  }
  return body
}
