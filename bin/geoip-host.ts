import { createRequire } from 'node:module'
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** The bundled country database (ip-location-db geo-whois-asn-country, data CC BY 4.0 NRO). */
export function bundledMmdbPath(): string {
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json')
  return path.join(path.dirname(pkg), 'geo-whois-asn-country.mmdb')
}

/** Where an admin's replacement lives: a fixed name in the data folder, never a path from input. */
export const customMmdbPath = (dataDir: string) => path.join(dataDir, 'geoip', 'country.mmdb')

/** The MaxMind DB metadata marker: every .mmdb file carries it near its end. */
const MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')])
export const GEOIP_MAX_BYTES = 128 * 1024 * 1024

/**
 * HOST routes for the GeoIP database: GET streams the active file (custom, else bundled) with
 * `X-GeoIP-Source`; PUT stores a replacement (the worker has already validated it by reading
 * it); DELETE goes back to the bundled file.
 */
export async function handleGeoip(request: Request, dataDir: string): Promise<Response> {
  const custom = customMmdbPath(dataDir)
  if (request.method === 'GET') {
    const file = existsSync(custom) ? custom : bundledMmdbPath()
    const body = await readFile(file)
    return new Response(body, {
      headers: {
        'content-type': 'application/octet-stream',
        'x-geoip-source': file === custom ? 'custom' : 'bundled',
        'last-modified': statSync(file).mtime.toUTCString(),
      },
    })
  }
  if (request.method === 'PUT') {
    const bytes = Buffer.from(await request.arrayBuffer())
    if (!bytes.length || bytes.length > GEOIP_MAX_BYTES || bytes.lastIndexOf(MARKER) < 0) {
      return Response.json({ error: { code: 'invalid_mmdb', message: 'not a MaxMind DB file' } }, { status: 422 })
    }
    mkdirSync(path.dirname(custom), { recursive: true })
    // Write then rename: a reader never sees half a file.
    await writeFile(`${custom}.tmp`, bytes)
    renameSync(`${custom}.tmp`, custom)
    return Response.json({ bytes: bytes.length })
  }
  if (request.method === 'DELETE') {
    rmSync(custom, { force: true })
    return new Response(null, { status: 204 })
  }
  return Response.json({ error: { code: 'method_not_allowed', message: 'GET, PUT or DELETE' } }, { status: 405 })
}
