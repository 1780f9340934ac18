import { Hono } from 'hono'
import { GraphQuery } from '../../schema/contracts/graph'
import type { AppEnv } from '../env'
import { requireAuth } from '../lib/auth'
import { zv } from '../lib/validate'
import { buildGraph, graphCsv } from '../services/graph'

/** Campaign Graph (every signed-in role may read it): JSON for the screen, CSV of the same nodes. */
export const graphRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', zv('query', GraphQuery), async (c) => c.json(await buildGraph(c.var.db, c.req.valid('query'), new Date())))
  .get('/export.csv', zv('query', GraphQuery), async (c) => {
    const g = await buildGraph(c.var.db, c.req.valid('query'), new Date())
    return c.body(graphCsv(g), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="campaign-graph.csv"' })
  })
