import { sql } from 'drizzle-orm'
import { addDays, localParts, startOfLocalDay } from '../domain/zoned-time'
import type { Db } from '../env'
import { tableColumns } from '../repos/schema-probe'
import { champsSettings } from './champs'

export type TickerCategory = 'analyst_success' | 'negative' | 'team'

/** One ticker line: the UI renders `kind` with `params` in the reader's language. */
export interface TickerItem {
  at: string
  kind: 'ioc_single' | 'ioc_bulk' | 'yara' | 'deletion_expired' | 'deletion' | 'goal_created' | 'rank_change' | 'goal_progress' | 'custom'
  category: TickerCategory
  params: Record<string, string | number | null>
  color?: string
  dir?: 'ltr' | 'rtl'
}

const CATEGORY: Record<TickerItem['kind'], TickerCategory> = {
  ioc_single: 'analyst_success',
  ioc_bulk: 'analyst_success',
  yara: 'analyst_success',
  deletion_expired: 'negative',
  deletion: 'negative',
  goal_created: 'team',
  rank_change: 'analyst_success',
  goal_progress: 'team',
  custom: 'team',
}

const item = (kind: TickerItem['kind'], at: string, params: TickerItem['params']): TickerItem => ({ at, kind, category: CATEGORY[kind], params })
const nameOf = (r: { displayName: string | null; username: string | null }) => r.displayName || r.username || '?'

/**
 * The news ticker: the admins' custom messages when set, else the last 10 activity events from
 * their own indexed sources (single submits, committed imports, YARA uploads, deletions, goals,
 * rank changes and goal milestones), newest first.
 */
export async function ticker(db: Db): Promise<{ custom: boolean; items: TickerItem[] }> {
  const s = await champsSettings(db)
  if (s.ticker.length) {
    return { custom: true, items: s.ticker.map((m) => ({ at: '', kind: 'custom', category: 'team', params: { text: m.text }, color: m.color, dir: m.dir })) }
  }
  const yaraCols = await tableColumns(db, 'yara_rules')
  const [singles, batches, deletions, goals, events, yara] = await Promise.all([
    db.all<{ at: string; username: string | null; displayName: string | null; type: string; value: string }>(sql`SELECT i.created_at AS at, u.username, u.display_name AS displayName, i.type, i.value
      FROM iocs i LEFT JOIN users u ON u.id = i.created_by WHERE i.import_batch_id IS NULL ORDER BY i.created_at DESC LIMIT 10`),
    db.all<{ at: string; username: string | null; displayName: string | null; n: number }>(sql`SELECT b.committed_at AS at, u.username, u.display_name AS displayName,
        coalesce(json_extract(b.result, '$.created'), 0) AS n
      FROM import_batches b LEFT JOIN users u ON u.id = b.committed_by WHERE b.status = 'committed' ORDER BY b.committed_at DESC LIMIT 10`),
    db.all<{ at: string; username: string | null; displayName: string | null; type: string; value: string; expired: number }>(sql`SELECT h.at, h.actor AS username, u.display_name AS displayName, h.type, h.value,
        (i.expires_at IS NOT NULL AND i.expires_at <= h.at) AS expired
      FROM ioc_history h LEFT JOIN iocs i ON i.id = h.ioc_id LEFT JOIN users u ON u.id = h.actor_id
      WHERE h.event = 'deleted' ORDER BY h.at DESC LIMIT 10`),
    db.all<{ at: string; title: string }>(sql`SELECT created_at AS at, title FROM team_goals ORDER BY id DESC LIMIT 10`),
    db.all<{ at: string; kind: 'rank_change' | 'goal_progress'; payload: string }>(sql`SELECT at, kind, payload FROM activity_events ORDER BY at DESC LIMIT 10`),
    yaraCols?.has('created_by') && yaraCols.has('created_at')
      ? db.all<{ at: string; username: string | null; displayName: string | null; file: string }>(sql`SELECT y.created_at AS at, u.username, u.display_name AS displayName,
          ${sql.raw(yaraCols.has('filename') ? 'y.filename' : yaraCols.has('name') ? 'y.name' : "''")} AS file
        FROM yara_rules y LEFT JOIN users u ON u.id = y.created_by ORDER BY y.created_at DESC LIMIT 10`)
      : Promise.resolve([]),
  ])
  const items: TickerItem[] = [
    ...singles.map((r) => item('ioc_single', r.at, { name: nameOf(r), type: r.type, value: r.value })),
    ...batches.filter((r) => r.n > 0).map((r) => item('ioc_bulk', r.at, { name: nameOf(r), n: r.n })),
    ...deletions.map((r) => item(r.expired ? 'deletion_expired' : 'deletion', r.at, { name: nameOf(r), type: r.type, value: r.value })),
    ...goals.map((r) => item('goal_created', r.at, { title: r.title })),
    ...events.map((r) => {
      const p = JSON.parse(r.payload) as Record<string, string | number | null>
      return r.kind === 'rank_change'
        ? item('rank_change', r.at, { name: p.name ?? p.username, rank: p.rank, overtaken: p.overtaken ?? null })
        : item('goal_progress', r.at, { title: p.title, percent: p.percent })
    }),
    ...yara.map((r) => item('yara', r.at, { name: nameOf(r), file: r.file })),
  ]
  items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  return { custom: false, items: items.slice(0, 10) }
}

/**
 * Threat velocity (IOCs created per local day over `days` days, team and system apart) and the
 * analyst activity split of the same window. Grouped by UTC hour in SQL (from the Champs IOC
 * roll-up, schema/champs-rollup.ts), mapped to local days here.
 */
export async function velocity(db: Db, now: Date, days = 30) {
  const s = await champsSettings(db)
  const today = localParts(now, s.timeZone).date
  const first = addDays(today, -(days - 1))
  const since = startOfLocalDay(first, s.timeZone).toISOString()
  const rows = await db.all<{ hour: string; userId: number; username: string; displayName: string; system: number; n: number }>(sql`
    SELECT substr(g.at, 1, 13) AS hour, g.user_id AS userId, u.username, u.display_name AS displayName, u.source = 'system' AS system, sum(g.n) AS n
    FROM champs_ioc_groups g JOIN users u ON u.id = g.user_id WHERE g.at >= ${since} AND g.n > 0 GROUP BY 1, 2`)
  const dates = Array.from({ length: days }, (_, i) => addDays(first, i))
  const team = new Map(dates.map((d) => [d, 0]))
  const system = new Map(dates.map((d) => [d, 0]))
  const perUser = new Map<number, { userId: number; username: string; name: string; n: number }>()
  for (const r of rows) {
    const d = localParts(`${r.hour}:00:00.000Z`, s.timeZone).date
    const bucket = r.system ? system : team
    if (bucket.has(d)) bucket.set(d, bucket.get(d)! + r.n)
    if (s.excludeSystem && r.system) continue
    const u = perUser.get(r.userId) ?? { userId: r.userId, username: r.username, name: r.displayName || r.username, n: 0 }
    u.n += r.n
    perUser.set(r.userId, u)
  }
  return {
    days: dates.map((d) => ({ date: d, team: team.get(d)!, system: system.get(d)! })),
    analysts: [...perUser.values()].sort((a, b) => b.n - a.n),
  }
}
