import { sql } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError } from '../lib/errors'
import { geoInfo, openMmdb, resetGeo } from '../lib/geoip'
import { resetCountries } from '../services/geoip'
import { liveStats } from '../services/live-stats'

/** A replacement country database may be this large (GeoLite2-Country is ~10 MB, City ~70 MB). */
export const GEOIP_MAX_BYTES = 128 * 1024 * 1024

export const GEOIP_ATTRIBUTION = {
  bundled: 'IP to country data: ip-location-db geo-whois-asn-country (CC0), built from NRO data licensed CC BY 4.0 (https://www.nro.net/).',
}

const tooLarge = () => {
  throw new ApiError(413, 'payload_too_large', `A GeoIP database may be at most ${GEOIP_MAX_BYTES} bytes`, { maxBytes: GEOIP_MAX_BYTES })
}

const fileRequired = () =>
  new ApiError(400, 'validation_failed', 'file: is required (a .mmdb file)', { fields: [{ field: 'file', reason: 'is required', code: 'required' }] })

/** The uploaded bytes: multipart field `file`, or a raw application/octet-stream body. */
async function readUpload(c: Context<AppEnv>): Promise<Uint8Array> {
  const type = (c.req.header('content-type') ?? '').toLowerCase()
  if (type.startsWith('multipart/form-data')) {
    const file = (await c.req.parseBody()).file
    if (!(file instanceof File)) throw fileRequired()
    return new Uint8Array(await file.arrayBuffer())
  }
  if (type.startsWith('application/octet-stream')) return new Uint8Array(await c.req.arrayBuffer())
  throw new ApiError(415, 'unsupported_media_type', 'Send the database as multipart/form-data (field file) or application/octet-stream')
}

async function geoStatus(c: Context<AppEnv>) {
  const info = await geoInfo()
  const pending = await c.var.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM iocs WHERE country IS NULL AND type = 'ip' AND deleted_at IS NULL`)
  return {
    database: info,
    available: info !== null,
    attribution: info?.source === 'custom' ? null : GEOIP_ATTRIBUTION.bundled,
    pendingLookups: pending?.n ?? 0,
  }
}

export const statsRoutes = new Hono<AppEnv>().use('/*', requireAuth).get('/live', async (c) => c.json(await liveStats(c.var.db, new Date())))

export const geoipRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', async (c) => c.json(await geoStatus(c)))
  .post('/', requireRole('admin'), bodyLimit({ maxSize: GEOIP_MAX_BYTES, onError: tooLarge }), async (c) => {
    const bytes = await readUpload(c)
    if (!bytes.length) throw fileRequired()
    let info
    try {
      info = openMmdb(bytes, 'custom').info
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      throw new ApiError(422, 'invalid_mmdb', `file: ${reason}`, { fields: [{ field: 'file', reason, code: 'invalid_mmdb' }] })
    }
    if (!c.env.HOST) throw new ApiError(503, 'host_unavailable', 'This server has no launcher (HOST binding) to store the database')
    const res = await c.env.HOST.fetch('http://host/v1/geoip', { method: 'PUT', body: bytes as unknown as ArrayBuffer })
    if (!res.ok) throw new ApiError(502, 'host_failed', `The launcher refused the database (${res.status})`)
    resetGeo()
    // Every ip IOC is looked up again with the new database (the geoip job, in chunks).
    const relookup = await resetCountries(c.var.db)
    await auditAction(c, 'geoip.replace', info.databaseType, { bytes: info.bytes, buildEpoch: info.buildEpoch, relookup })
    return c.json({ ...(await geoStatus(c)), relookup }, 201)
  })
  .delete('/', requireRole('admin'), async (c) => {
    if (!c.env.HOST) throw new ApiError(503, 'host_unavailable', 'This server has no launcher (HOST binding)')
    await c.env.HOST.fetch('http://host/v1/geoip', { method: 'DELETE' })
    resetGeo()
    const relookup = await resetCountries(c.var.db)
    await auditAction(c, 'geoip.reset', 'bundled', { relookup })
    return c.json({ ...(await geoStatus(c)), relookup })
  })
