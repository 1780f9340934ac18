import { and, desc, eq, sql } from 'drizzle-orm'
import type { TeamGoalInput } from '../../schema/contracts/stats'
import { activityEvents, teamGoals } from '../../schema/stats'
import type { GoalWindow } from '../domain/champs'
import { goalPercent, goalPeriod, passedMilestones } from '../domain/team-goals'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { approvalTime } from '../repos/champs-events'
import { tableColumns } from '../repos/schema-probe'

export type TeamGoalRow = typeof teamGoals.$inferSelect

const NON_SYSTEM = sql.raw(`(SELECT id FROM users WHERE source = 'system')`)

/** Units counted toward a goal in [start, end): IOCs by non-system users, approved YARA rules, eligible deletions. */
export async function goalCount(db: Db, goalType: TeamGoalRow['goalType'], start: string, end: string): Promise<number> {
  if (goalType === 'ioc_add') {
    const r = await db.get<{ n: number }>(sql`SELECT coalesce(sum(n), 0) AS n FROM champs_ioc_groups WHERE at >= ${start} AND at < ${end} AND user_id NOT IN ${NON_SYSTEM}`)
    return r?.n ?? 0
  }
  if (goalType === 'deletion') {
    const r = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ioc_history h JOIN iocs i ON i.id = h.ioc_id
      WHERE h.event = 'deleted' AND h.at >= ${start} AND h.at < ${end}
        AND ((i.expires_at IS NOT NULL AND i.expires_at <= h.at) OR i.created_by = h.actor_id)`)
    return r?.n ?? 0
  }
  const cols = await tableColumns(db, 'yara_rules')
  if (!cols?.has('status')) return 0
  const at = approvalTime(cols)
  const live = cols.has('deleted_at') ? 'AND deleted_at IS NULL' : ''
  const r = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM yara_rules WHERE status = 'approved' ${sql.raw(live)} AND ${sql.raw(at)} >= ${start} AND ${sql.raw(at)} < ${end}`)
  return r?.n ?? 0
}

export async function activeGoal(db: Db): Promise<TeamGoalRow | undefined> {
  return db.select().from(teamGoals).where(eq(teamGoals.active, true)).orderBy(desc(teamGoals.id)).get()
}

export interface GoalProgress {
  goal: TeamGoalRow
  period: { start: string; end: string; startDate: string; endDate: string }
  current: number
  previous: number
  percent: number
  reached: boolean
}

/** The active goal with this period's count, last period's count (comparison only) and the percentage. */
export async function goalProgress(db: Db, now: Date, tz: string): Promise<GoalProgress | null> {
  const goal = await activeGoal(db)
  if (!goal) return null
  const period = goalPeriod(goal.period, now, tz)
  const prev = goalPeriod(goal.period, now, tz, -1)
  const [current, previous] = await Promise.all([goalCount(db, goal.goalType, period.start, period.end), goalCount(db, goal.goalType, prev.start, prev.end)])
  const percent = goalPercent(current, goal.targetValue)
  return { goal, period, current, previous, percent, reached: percent >= 100 }
}

export const goalWindow = (p: GoalProgress | null): GoalWindow | null =>
  p ? { goalType: p.goal.goalType, start: p.period.start, end: p.period.end, reached: p.reached } : null

/** Creates a goal and deactivates every other one, in one transaction. */
export async function createGoal(db: Db, input: TeamGoalInput, userId: number) {
  await db.batch([
    db.update(teamGoals).set({ active: false }).where(eq(teamGoals.active, true)),
    db.insert(teamGoals).values({
      title: input.title,
      description: input.description ?? '',
      targetValue: input.targetValue,
      unit: input.unit ?? '',
      goalType: input.goalType,
      period: input.period,
      active: true,
      createdBy: userId,
    }),
  ])
  return (await activeGoal(db))!
}

export async function endGoal(db: Db, id: number) {
  const res = await db.update(teamGoals).set({ active: false }).where(and(eq(teamGoals.id, id), eq(teamGoals.active, true))).returning({ id: teamGoals.id })
  return res.length > 0
}

/** Writes each passed milestone (25/50/75/100 %) once per goal period (cron, never a GET). */
export async function recordGoalMilestones(db: Db, now: Date, tz: string) {
  const p = await goalProgress(db, now, tz)
  if (!p) return { goal: null, written: 0 }
  const milestones = passedMilestones(p.percent)
  if (!milestones.length) return { goal: p.goal.id, percent: p.percent, written: 0 }
  const results = await runBatch(
    db,
    milestones.map((m) =>
      db
        .insert(activityEvents)
        .values({
          at: now.toISOString(),
          kind: 'goal_progress',
          payload: { goalId: p.goal.id, title: p.goal.title, percent: m, period: p.period.startDate },
          dedupeKey: `goal:${p.goal.id}:${p.period.startDate}:${m}`,
        })
        .onConflictDoNothing(),
    ),
  )
  return { goal: p.goal.id, percent: p.percent, written: results.reduce((a, r) => a + (r.meta.changes ?? 0), 0) }
}
