/**
 * Built feed bodies, kept in this isolate's memory. A body is valid for one generation (bumped by
 * every write) and until the earliest expiry among its rows; it is built once however many
 * requests arrive together (single flight), and served from bytes, never rebuilt per request.
 */
export interface CachedFeed {
  generation: number
  validUntil: string | null
  body: Uint8Array
  /** Compressed lazily by the first request that accepts gzip. */
  gzip: Promise<Uint8Array> | null
  etag: string
  lastModified: string
  headers: Record<string, string>
  entries: number
}

/** Upper bound on cached body bytes; the least recently used go first. */
const MAX_BYTES = 256 * 1024 * 1024
const cache = new Map<string, CachedFeed>()
const building = new Map<string, Promise<CachedFeed>>()
let cachedBytes = 0

function remember(key: string, entry: CachedFeed) {
  const old = cache.get(key)
  if (old) cachedBytes -= old.body.byteLength
  cache.delete(key)
  cache.set(key, entry)
  cachedBytes += entry.body.byteLength
  for (const [k, v] of cache) {
    if (cachedBytes <= MAX_BYTES || k === key) break
    cache.delete(k)
    cachedBytes -= v.body.byteLength
  }
}

const fresh = (e: CachedFeed, generation: number, nowIso: string) =>
  e.generation === generation && (e.validUntil === null || nowIso < e.validUntil)

export async function getCachedFeed(
  key: string,
  generation: number,
  nowIso: string,
  build: (previous: CachedFeed | undefined) => Promise<CachedFeed>,
): Promise<CachedFeed> {
  const hit = cache.get(key)
  if (hit && fresh(hit, generation, nowIso)) {
    // Refresh the LRU position.
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const flightKey = `${key}@${generation}`
  let flight = building.get(flightKey)
  if (!flight) {
    flight = build(hit).finally(() => building.delete(flightKey))
    building.set(flightKey, flight)
  }
  const built = await flight
  remember(key, built)
  return built
}

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

const CHUNK = 256 * 1024

/**
 * A response body that streams cached bytes in 256 KiB slices. Handing workerd one large buffer
 * made it grow to gigabytes under load (specs/runtime.md); a fixed-length stream stays flat.
 */
export function streamBytes(bytes: Uint8Array, waitUntil: (p: Promise<unknown>) => void): ReadableStream {
  const { readable, writable } = new FixedLengthStream(bytes.byteLength)
  const writer = writable.getWriter()
  const pump = (async () => {
    for (let i = 0; i < bytes.byteLength; i += CHUNK) await writer.write(bytes.subarray(i, i + CHUNK))
    await writer.close()
  })().catch(() => writer.abort().catch(() => undefined))
  waitUntil(pump)
  return readable
}
