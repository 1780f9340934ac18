import { Hono } from 'hono'
import { ReportQuery } from '../../schema/contracts/stats'
import type { AppEnv } from '../env'
import { requireAuth } from '../lib/auth'
import { zv } from '../lib/validate'
import { buildReport } from '../services/reports'

export const reportRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', zv('query', ReportQuery), async (c) => c.json(await buildReport(c.var.db, c.req.valid('query'), new Date())))
