import { Buffer } from 'node:buffer'
import { Reader } from 'mmdb-lib'

/**
 * GeoIP country lookups inside the worker. The .mmdb file lives on the Node side (the bundled
 * npm database, or the one an admin uploaded into the data folder) and is fetched once through
 * the HOST binding, then read in memory with mmdb-lib (~1 µs per lookup). Without HOST (a plain
 * Cloudflare deployment) lookups answer null and countries stay unset.
 */

export interface GeoInfo {
  source: 'bundled' | 'custom'
  databaseType: string
  buildEpoch: string
  ipVersion: number
  nodeCount: number
  bytes: number
}

interface Geo {
  reader: Reader<Record<string, unknown>>
  info: GeoInfo
}

let host: Fetcher | undefined
let loading: Promise<Geo | null> | null = null
let failedAt = 0
/** After a failed load, try again at most this often (the launcher may still be starting). */
const RETRY_MS = 60_000

/** The worker's HOST binding (constant per isolate); set by a middleware and the scheduled handler. */
export function bindGeoHost(fetcher: Fetcher | undefined) {
  if (fetcher) host = fetcher
}

/** Forgets the loaded database: the next lookup reads the (replaced) file again. */
export function resetGeo() {
  loading = null
  failedAt = 0
}

/** The ISO country code of an MMDB record, whatever the vendor's layout (ip-location-db, MaxMind, DB-IP). */
export function countryFromRecord(rec: unknown): string {
  if (!rec || typeof rec !== 'object') return ''
  const r = rec as Record<string, unknown>
  const pick = (v: unknown) => (typeof v === 'string' && /^[A-Za-z]{2}$/.test(v) ? v.toUpperCase() : '')
  const iso = (o: unknown) => (o && typeof o === 'object' ? pick((o as Record<string, unknown>).iso_code) : '')
  return pick(r.country_code) || iso(r.country) || iso(r.registered_country) || ''
}

/** Reads an .mmdb image and checks that it answers country lookups; throws a reason otherwise. */
export function openMmdb(bytes: Uint8Array, source: GeoInfo['source']): Geo {
  let reader: Reader<Record<string, unknown>>
  try {
    reader = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  } catch (err) {
    throw new Error(`not a MaxMind DB (.mmdb) file: ${(err as Error).message}`)
  }
  const m = reader.metadata
  // A country database answers a few well-known, long-allocated addresses with a country code.
  const probes = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '193.0.0.1', '2001:4860:4860::8888']
  let hits = 0
  for (const ip of probes) {
    try {
      if (countryFromRecord(reader.get(ip))) hits++
    } catch {
      // An IPv4-only database refuses IPv6 probes.
    }
  }
  if (!hits) throw new Error(`the database (${m.databaseType}) has no country code for well-known addresses`)
  return {
    reader,
    info: {
      source,
      databaseType: m.databaseType,
      buildEpoch: m.buildEpoch.toISOString(),
      ipVersion: m.ipVersion,
      nodeCount: m.nodeCount,
      bytes: bytes.byteLength,
    },
  }
}

async function fetchGeo(): Promise<Geo | null> {
  if (!host) return null
  const res = await host.fetch('http://host/v1/geoip')
  if (!res.ok) throw new Error(`HOST /v1/geoip answered ${res.status}`)
  const source = res.headers.get('x-geoip-source') === 'custom' ? 'custom' : 'bundled'
  return openMmdb(new Uint8Array(await res.arrayBuffer()), source)
}

/** The loaded database, or null when none is reachable. */
export async function loadGeo(): Promise<Geo | null> {
  if (!loading) {
    if (failedAt && Date.now() - failedAt < RETRY_MS) return null
    loading = fetchGeo().catch((err) => {
      console.warn(`geoip: ${err instanceof Error ? err.message : String(err)}`)
      failedAt = Date.now()
      loading = null
      return null
    })
  }
  return loading
}

export async function geoInfo(): Promise<GeoInfo | null> {
  return (await loadGeo())?.info ?? null
}

/** The address part of an ip IOC (a network's own address for a CIDR). */
const addressOf = (value: string) => value.split('/')[0]

/**
 * Countries for ip IOC values: '' when the database has no answer (private, reserved), or null
 * when no database is available (the row is filled later by the `geoip` job).
 */
export async function countriesOf(values: string[]): Promise<Map<string, string> | null> {
  const geo = await loadGeo()
  if (!geo) return null
  const out = new Map<string, string>()
  for (const v of values) {
    let c = ''
    try {
      c = countryFromRecord(geo.reader.get(addressOf(v)))
    } catch {
      c = ''
    }
    out.set(v, c)
  }
  return out
}

/** The country to store with a new IOC (undefined: leave the column NULL). */
export async function countryForIoc(type: string, value: string): Promise<string | undefined> {
  if (type !== 'ip') return undefined
  const map = await countriesOf([value])
  return map ? map.get(value) : undefined
}
