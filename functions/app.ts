import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { dbMiddleware, type AppEnv } from './env'
import { scheduleAuditShip } from './lib/audit-ship'
import { ApiError, errorChain, isDatabaseFailure } from './lib/errors'
import { invalidateFeedContext } from './lib/feed-context'
import { bindGeoHost } from './lib/geoip'
import { logEvent } from './lib/log'
import { adminBackupRoutes } from './routes/admin-backups'
import { adminTlsRoutes } from './routes/admin-tls'
import { allowlistRoutes } from './routes/allowlist'
import { audit } from './routes/audit'
import { auth } from './routes/auth'
import { champsRoutes } from './routes/champs'
import { campaignRoutes } from './routes/campaigns'
import { feedCatalogueRoutes, feedConsumerRoutes } from './routes/feed-admin'
import { feedRoutes } from './routes/feeds'
import { customFeedAdminRoutes, customFeedRoutes } from './routes/custom-feeds'
import { graphRoutes } from './routes/graph'
import { health } from './routes/health'
import { importRoutes } from './routes/imports'
import { iocRoutes } from './routes/iocs'
import { ldapRoutes } from './routes/ldap'
import { settingsRoutes } from './routes/settings'
import { mispRoutes } from './routes/misp'
import { notes } from './routes/notes'
import { openapi } from './routes/openapi'
import { playbookRoutes } from './routes/playbook'
import { pulseRoutes } from './routes/pulse'
import { reportRoutes } from './routes/reports'
import { geoipRoutes, statsRoutes } from './routes/stats'
import { tokenRoutes } from './routes/tokens'
import { stixExportRoutes, stixFeedRoutes } from './routes/stix-export'
import { taxii1Routes } from './routes/taxii1'
import { taxii2Routes } from './routes/taxii2'
import { users } from './routes/users'
import { warninglistRoutes } from './routes/warninglists'
import { yaraRoutes } from './routes/yara'

export const JSON_BODY_LIMIT = 1024 * 1024
const jsonBodyLimit = bodyLimit({
  maxSize: JSON_BODY_LIMIT,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `The request body is larger than ${JSON_BODY_LIMIT} bytes`, {
      maxBytes: JSON_BODY_LIMIT,
    })
  },
})
const OWN_LIMIT = new Set(['/api/v1/auth/me/avatar', '/api/v1/warninglists', '/api/v1/iocs/parse', '/api/v1/imports', '/api/v1/geoip'])

const api = new Hono<AppEnv>()
  .route('/auth', auth)
  .route('/users', users)
  .route('/tokens', tokenRoutes)
  .route('/audit', audit)
  .route('/iocs', iocRoutes)
  .route('/imports', importRoutes)
  .route('/notes', notes)
  .route('/campaigns', campaignRoutes)
  .route('/allowlist', allowlistRoutes)
  .route('/warninglists', warninglistRoutes)
  .route('/feed-consumers', feedConsumerRoutes)
  .route('/feed-catalogue', feedCatalogueRoutes)
  .route('/custom-feeds', customFeedAdminRoutes)
  .route('/yara', yaraRoutes)
  .route('/misp', mispRoutes)
  .route('/ldap', ldapRoutes)
  .route('/settings', settingsRoutes)
  .route('/stats', statsRoutes)
  .route('/geoip', geoipRoutes)
  .route('/champs', champsRoutes)
  .route('/reports', reportRoutes)
  .route('/pulse', pulseRoutes)
  .route('/playbook', playbookRoutes)
  .route('/graph', graphRoutes)
  .route('/openapi.json', openapi)
  .route('/export', stixExportRoutes)
  .route('/admin/tls', adminTlsRoutes)
  .route('/admin/backups', adminBackupRoutes)

export const app = new Hono<AppEnv>()
  .use('*', requestId())
  .use(
    '*',
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
    }),
  )
  .use('*', dbMiddleware)
  .use('*', async (c, next) => {
    // GeoIP lookups (stats) reach the .mmdb through HOST; bindings are constant per isolate.
    bindGeoHost(c.env.HOST)
    await next()
  })
  .use('*', async (c, next) => {
    await next()
    // Writes, refusals and audited reads may have added audit records: ship them in the background.
    // Other reads stay free of side effects.
    const write = c.req.method !== 'GET' && c.req.method !== 'HEAD'
    if (write || c.var.audited || c.res.status === 401 || c.res.status === 403) scheduleAuditShip(c)
  })
  .use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store')
    try {
      // Upload routes carry their own, larger limits.
      if (OWN_LIMIT.has(c.req.path) || c.req.path.startsWith('/api/v1/yara')) await next()
      else await jsonBodyLimit(c, next)
    } finally {
      // A write through the API may change what a feed serves: the next poll re-reads the state.
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') invalidateFeedContext()
    }
  })
  .route('/health', health)
  // Before /feed/*: the STIX bundle is served here, every other feed by feedRoutes.
  .route('/', stixFeedRoutes)
  .route('/feed/custom', customFeedRoutes)
  .route('/feed', feedRoutes)
  .route('/', taxii2Routes)
  .route('/', taxii1Routes)
  .route('/api/v1', api)

/**
 * Reads a small unread request body before an early error answer: otherwise workerd drops the
 * keep-alive connection under a client that is about to reuse it, and the client sees a reset.
 */
async function drainBody(c: Context<AppEnv>) {
  const req = c.req.raw
  if (!req.body || req.bodyUsed) return
  const length = Number(c.req.header('content-length'))
  if (Number.isFinite(length) && length <= JSON_BODY_LIMIT) await req.arrayBuffer().catch(() => undefined)
}

app.notFound(async (c) => {
  await drainBody(c)
  return c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404)
})

app.onError(async (err, c) => {
  await drainBody(c)
  if (err instanceof ApiError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
    const error = { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) }
    return c.json({ error }, err.status)
  }
  if (err instanceof HTTPException && err.status < 500) {
    return c.json({ error: { code: 'bad_request', message: err.message } }, err.status as ContentfulStatusCode)
  }
  const requestIdValue = c.get('requestId')
  if (isDatabaseFailure(err)) {
    logEvent('error', 'database unavailable', { requestId: requestIdValue, method: c.req.method, path: c.req.path, error: errorChain(err) })
    c.header('Retry-After', '30')
    return c.json(
      { error: { code: 'database_unavailable', message: 'The database is unavailable; nothing was changed. Retry later or ask your admin', details: { requestId: requestIdValue } } },
      503,
    )
  }
  logEvent('error', 'unhandled error', {
    requestId: requestIdValue,
    method: c.req.method,
    path: c.req.path,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  })
  return c.json(
    { error: { code: 'internal', message: 'Internal error; quote this id to your admin', details: { requestId: requestIdValue } } },
    500,
  )
})

export type AppType = typeof app
