import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { IOC_TYPES } from '../domain/ioc'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth } from '../lib/auth'
import { notFound } from '../lib/errors'
import { beginTaxii, freshVersions } from '../lib/taxii'
import { zv } from '../lib/validate'
import { streamBundle } from '../services/stix-export'

const STIX_JSON = 'application/stix+json;version=2.1'
const HASHES = ['md5', 'sha1', 'sha256']

/** `hash` is md5 + sha1 + sha256, as in the text feeds; no type = every type. */
const kindsOf = (type?: string) => (type === 'hash' ? HASHES : type ? [type] : [...IOC_TYPES])
const TypeQuery = z.object({ type: z.enum([...IOC_TYPES, 'hash']).optional() }).strict()

function bundleResponse(c: Context<AppEnv>, kinds: string[], filename: string) {
  return new Response(streamBundle(c.env.DB, kinds, new Date().toISOString()), {
    headers: { 'Content-Type': STIX_JSON, 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' },
  })
}

/** `GET /api/v1/export/stix`: a STIX 2.1 bundle of the active indicators (signed-in users). */
export const stixExportRoutes = new Hono<AppEnv>().use('/*', requireAuth).get('/stix', zv('query', TypeQuery), async (c) => {
  const { type } = c.req.valid('query')
  const b = await beginTaxii(c, '/taxii2')
  if (b.ok) await freshVersions(c, b.req)
  await auditAction(c, 'ioc.export', null, { format: 'stix', type: type ?? 'all' })
  return bundleResponse(c, kindsOf(type), `moat-${type ?? 'all'}.stix.json`)
})

/** `/feed/stix` and `/feed/stix/:type`: the same bundle as a feed (ZIoCHub's URLs), feed-token auth. */
export const stixFeedRoutes = new Hono<AppEnv>().on('GET', ['/feed/stix', '/feed/stix/', '/feed/stix/:type', '/feed/stix/:type/'], async (c) => {
  const type = c.req.param('type')?.toLowerCase()
  if (type !== undefined && type !== 'hash' && !(IOC_TYPES as readonly string[]).includes(type)) throw notFound(`STIX feed for '${type}'`)
  const b = await beginTaxii(c, '/taxii2')
  const feed = `/feed/stix${type ? `/${type}` : ''}`
  if (!b.ok) {
    const headers: Record<string, string> = b.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Moat feeds", charset="UTF-8"' } : b.status === 503 ? { 'Retry-After': '30' } : {}
    return new Response(`# moat: ${b.reason}\n`, { status: b.status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } })
  }
  if (!b.req.mayRead(feed)) {
    b.req.poll(feed, 403)
    return new Response(`# moat: this consumer may not read ${feed}\n`, { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  await freshVersions(c, b.req)
  b.req.poll(feed, 200)
  return bundleResponse(c, kindsOf(type), `moat-${type ?? 'all'}.stix.json`)
})
