import { Hono } from 'hono'
import { settingWrites } from '../repos/settings'
import { ChampsConfigPatch, ChampsQuery, SpotlightParam, TeamGoalInput } from '../../schema/contracts/stats'
import type { ScoringMethod } from '../domain/champs'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { champsConstants, champsSettings, leaderboard, resetChampsCache, spotlight } from '../services/champs'
import { ticker, velocity } from '../services/champs-feed'
import { createGoal, endGoal, goalProgress } from '../services/team-goals'

const KEYS = { method: 'champs.method', excludeSystem: 'champs.excludeSystem', weekendDays: 'champs.weekendDays', ticker: 'champs.ticker' } as const

async function config(db: AppEnv['Variables']['db']) {
  const s = await champsSettings(db)
  return { ...champsConstants(), settings: s }
}

export const champsRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', zv('query', ChampsQuery), async (c) => {
    const { method } = c.req.valid('query')
    // Admins may preview another method before switching to it.
    if (method !== undefined && c.var.user.role !== 'admin') {
      throw new ApiError(403, 'forbidden', 'method: only admins can preview another scoring method', {
        fields: [{ field: 'method', reason: 'only admins can preview another scoring method', code: 'forbidden' }],
      })
    }
    const board = await leaderboard(c.var.db, new Date(), { method: method as ScoringMethod | undefined })
    return c.json({ method: board.method, timeZone: board.timeZone, generatedAt: board.generatedAt, rows: board.rows, goal: board.goal })
  })
  .get('/config', async (c) => c.json(await config(c.var.db)))
  .patch('/config', requireRole('admin'), zv('json', ChampsConfigPatch), async (c) => {
    const input = c.req.valid('json')
    const stmts = settingWrites(c.var.db, Object.fromEntries(Object.entries(input).map(([k, v]) => [KEYS[k as keyof typeof KEYS], v])), c.var.user.username)
    if (stmts.length) await c.var.db.batch(stmts as never)
    resetChampsCache()
    await auditAction(c, 'settings.change', 'champs', input)
    return c.json(await config(c.var.db))
  })
  .get('/spotlight/:userId', zv('param', SpotlightParam), async (c) => {
    const found = await spotlight(c.var.db, c.req.valid('param').userId, new Date())
    if (!found) throw notFound('Analyst')
    return c.json(found)
  })
  .get('/ticker', async (c) => c.json(await ticker(c.var.db)))
  .get('/velocity', async (c) => c.json(await velocity(c.var.db, new Date())))
  .get('/goals', async (c) => {
    const s = await champsSettings(c.var.db)
    return c.json({ goal: await goalProgress(c.var.db, new Date(), s.timeZone) })
  })
  .post('/goals', requireRole('admin'), zv('json', TeamGoalInput), async (c) => {
    const goal = await createGoal(c.var.db, c.req.valid('json'), c.var.user.id)
    resetChampsCache()
    await auditAction(c, 'champs.goal.create', goal.title, { id: goal.id, target: goal.targetValue, type: goal.goalType, period: goal.period })
    const s = await champsSettings(c.var.db)
    return c.json({ goal: await goalProgress(c.var.db, new Date(), s.timeZone) }, 201)
  })
  .delete('/goals/:id', requireRole('admin'), zv('param', IdParam), async (c) => {
    const { id } = c.req.valid('param')
    if (!(await endGoal(c.var.db, id))) throw notFound('Active goal')
    resetChampsCache()
    await auditAction(c, 'champs.goal.end', String(id))
    return c.body(null, 204)
  })
