import { Hono } from 'hono'
import { AnomalyQuery, PulsePageQuery, PulseQuery } from '../../schema/contracts/pulse'
import type { AppEnv } from '../env'
import { requireAuth } from '../lib/auth'
import { fieldError } from '../lib/errors'
import { zv } from '../lib/validate'
import { ANOMALY_NAMES } from '../repos/report-anomalies'
import { pulseAnomalies, pulseExclusions, pulseIncoming, pulseOutgoing, pulseSpan, pulseSummary } from '../services/pulse'
import { pulseConsumers, pulseFeeds } from '../services/pulse-feeds'

// Every signed-in user may look; excluding and unexcluding go through POST /api/v1/iocs/:id/exclude
// and /unexclude (admin and analyst, audited, history written), so there is one rule for it.
export const pulseRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', zv('query', PulseQuery), async (c) => c.json(await pulseSummary(c.var.db, pulseSpan(c.req.valid('query').window, new Date()))))
  .get('/incoming', zv('query', PulsePageQuery), async (c) => {
    const q = c.req.valid('query')
    return c.json(await pulseIncoming(c.var.db, pulseSpan(q.window, new Date()), q))
  })
  .get('/outgoing', zv('query', PulsePageQuery), async (c) => {
    const q = c.req.valid('query')
    return c.json(await pulseOutgoing(c.var.db, pulseSpan(q.window, new Date()), q))
  })
  .get('/anomalies', zv('query', AnomalyQuery), async (c) => {
    const q = c.req.valid('query')
    if (q.rule && !ANOMALY_NAMES.includes(q.rule)) throw fieldError(400, 'rule', `is not an anomaly rule (${ANOMALY_NAMES.join(', ')})`, 'invalid_value')
    return c.json(await pulseAnomalies(c.var.db, new Date().toISOString(), q))
  })
  .get('/exclusions', zv('query', PulsePageQuery), async (c) => {
    const q = c.req.valid('query')
    return c.json(await pulseExclusions(c.var.db, pulseSpan(q.window, new Date()), q))
  })
  .get('/feeds', zv('query', PulseQuery), async (c) => c.json(await pulseFeeds(c.var.db, pulseSpan(c.req.valid('query').window, new Date()))))
  .get('/consumers', zv('query', PulseQuery), async (c) => c.json(await pulseConsumers(c.var.db, pulseSpan(c.req.valid('query').window, new Date()))))
