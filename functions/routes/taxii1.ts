import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { stixPackage, STIX12_BINDING } from '../domain/stix1'
import { microsToIso, type IndicatorData } from '../domain/stix'
import {
  collectionInformationResponse,
  decodeResultId,
  discoveryResponse,
  encodeResultId,
  parseTaxii1,
  pickBinding,
  pollResponse,
  PROTOCOL_HTTP,
  PROTOCOL_HTTPS,
  statusMessage,
  TAXII11_MESSAGE,
  TAXII11_SERVICES,
  TAXII1_COLLECTIONS,
  type Taxii1Request,
} from '../domain/taxii1'
import type { AppEnv } from '../env'
import { logEvent } from '../lib/log'
import { beginTaxii, freshVersions, type TaxiiRequest } from '../lib/taxii'
import { countSnapshot, lastDateAdded, pageSnapshot } from '../repos/taxii'

type C = Context<AppEnv>

const MAX_REQUEST_BYTES = 64 * 1024
/** Content blocks per Poll_Response part; the rest follows by Poll_Fulfillment. */
const DEFAULT_PART_SIZE = 10_000

function protocolOf(c: C) {
  const sent = c.req.header('x-taxii-protocol')
  if (sent === PROTOCOL_HTTP || sent === PROTOCOL_HTTPS) return sent
  return new URL(c.req.url).protocol === 'https:' ? PROTOCOL_HTTPS : PROTOCOL_HTTP
}

function xml(c: C, body: string, status = 200, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'application/xml',
      'X-TAXII-Content-Type': TAXII11_MESSAGE,
      'X-TAXII-Protocol': protocolOf(c),
      'X-TAXII-Services': TAXII11_SERVICES,
      'Cache-Control': 'no-store',
      ...headers,
    },
  })
}

/** The X-TAXII headers a TAXII 1.1 client must send (MineMeld refuses without them; Moat explains). */
function headerProblem(c: C): string | null {
  if (c.req.header('x-taxii-content-type') !== TAXII11_MESSAGE) return `X-TAXII-Content-Type must be ${TAXII11_MESSAGE}`
  const proto = c.req.header('x-taxii-protocol')
  if (proto !== PROTOCOL_HTTP && proto !== PROTOCOL_HTTPS) return `X-TAXII-Protocol must be ${PROTOCOL_HTTP} or ${PROTOCOL_HTTPS}`
  if (c.req.header('x-taxii-services') !== TAXII11_SERVICES) return `X-TAXII-Services must be ${TAXII11_SERVICES}`
  return null
}

type Service = 'discovery' | 'collections' | 'poll'
const SERVES: Record<Service, Taxii1Request['kind'][]> = {
  discovery: ['Discovery_Request'],
  collections: ['Collection_Information_Request'],
  poll: ['Poll_Request', 'Poll_Fulfillment'],
}

/** Remembers where part n+1 starts, so later parts seek instead of skipping (position is the fallback). */
const partStarts = new Map<string, string>()

function partSize(req: TaxiiRequest) {
  const n = req.ctx.taxii1PartSize
  return Number.isInteger(n) && n > 0 ? Math.min(n, 50_000) : DEFAULT_PART_SIZE
}

async function poll(c: C, req: TaxiiRequest, m: Extract<Taxii1Request, { kind: 'Poll_Request' | 'Poll_Fulfillment' }>) {
  let query: { collection: string; begin?: string; end: string; binding: string }
  let part = 1
  if (m.kind === 'Poll_Fulfillment') {
    const r = decodeResultId(m.resultId)
    if (!r || (m.collection && r.collection !== m.collection)) return xml(c, statusMessage(m.messageId, 'NOT_FOUND', `No result ${m.resultId} for collection ${m.collection}`))
    query = r
    part = m.part
  } else {
    if (m.subscriptionId) return xml(c, statusMessage(m.messageId, 'NOT_FOUND', 'This server has no subscriptions; poll with Poll_Parameters'))
    const binding = pickBinding(m.bindings)
    if (!binding) return xml(c, statusMessage(m.messageId, 'UNSUPPORTED_CONTENT_BINDING', 'Content bindings offered: urn:stix.mitre.org:xml:1.1.1, urn:stix.mitre.org:xml:1.2'))
    await freshVersions(c, req)
    // Everything added up to the newest version is committed, and whatever is published later
    // is added after it: that end keeps the window's content fixed across parts and polls.
    let end = (await lastDateAdded(c.env.DB)) ?? microsToIso(Date.now() * 1000)
    if (m.end && m.end < end) end = m.end
    query = { collection: m.collection, ...(m.begin ? { begin: m.begin } : {}), end, binding }
    if (m.countOnly) {
      const col = TAXII1_COLLECTIONS.find((x) => x.name === m.collection)
      if (!col) return xml(c, statusMessage(m.messageId, 'NOT_FOUND', `No collection ${m.collection}`))
      const count = await countSnapshot(c.env.DB, col.types, query)
      return xml(c, pollResponse(m.messageId, { collection: col.name, begin: query.begin, end, more: false, part: 1, count, blocks: [] }))
    }
  }
  const col = TAXII1_COLLECTIONS.find((x) => x.name === query.collection)
  if (!col) return xml(c, statusMessage(m.messageId, 'NOT_FOUND', `No collection ${query.collection}`))
  if (!req.mayRead(`/taxii/${col.name}`)) {
    req.poll(`/taxii/${col.name}`, 403)
    return xml(c, statusMessage(m.messageId, 'UNAUTHORIZED', `This consumer may not read /taxii/${col.name}`), 403)
  }
  const size = partSize(req)
  const resultId = encodeResultId(query)
  const after = partStarts.get(`${resultId}|${part}`)
  const rows = await pageSnapshot(c.env.DB, col.types, query, { after, offset: (part - 1) * size }, size + 1)
  const more = rows.length > size
  const shown = rows.slice(0, size)
  if (more) {
    if (partStarts.size > 5000) partStarts.clear()
    partStarts.set(`${resultId}|${part + 1}`, shown[shown.length - 1].dateAdded)
  }
  const version = query.binding === STIX12_BINDING ? '1.2' : '1.1.1'
  const blocks = shown.map((r) => ({
    binding: query.binding,
    content: stixPackage(r.stixId.slice(r.stixId.indexOf('--') + 2), new Date(r.modified).toISOString(), JSON.parse(r.data) as IndicatorData, version),
    label: r.dateAdded,
  }))
  const body = pollResponse(m.messageId, { collection: col.name, begin: query.begin, end: query.end, more, part, ...(more || part > 1 ? { resultId } : {}), blocks })
  req.poll(`/taxii/${col.name}`, 200, body.length)
  return xml(c, body)
}

async function handle(c: C, service: Service) {
  // Read (up to the 1 MiB hard cap) before refusing: answering early makes workerd reset a
  // keep-alive connection the client is about to reuse.
  const raw = await c.req.raw.text()
  if (raw.length > MAX_REQUEST_BYTES) return xml(c, statusMessage('0', 'BAD_MESSAGE', `TAXII requests are small; this one is over ${MAX_REQUEST_BYTES} bytes`), 413)
  const problem = headerProblem(c)
  const m = parseTaxii1(raw)
  if (problem) return xml(c, statusMessage(m.messageId, 'BAD_MESSAGE', problem))
  if ('error' in m) return xml(c, statusMessage(m.messageId, m.error, m.message))
  if (!SERVES[service].includes(m.kind)) return xml(c, statusMessage(m.messageId, 'UNSUPPORTED_MESSAGE', `The ${service} service does not handle ${m.kind}`))

  const b = await beginTaxii(c, '/taxii')
  if (!b.ok) {
    if (b.status === 503) return xml(c, statusMessage(m.messageId, 'FAILURE', b.reason), 503, { 'Retry-After': '30' })
    const challenge: Record<string, string> = b.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Moat TAXII", charset="UTF-8"' } : {}
    return xml(c, statusMessage(m.messageId, 'UNAUTHORIZED', b.reason), b.status, challenge)
  }
  const req = b.req
  const at = (path: string) => ({ protocol: protocolOf(c), address: `${req.base}/taxii/${path}` })
  if (m.kind === 'Discovery_Request') {
    req.poll('/taxii', 200)
    return xml(c, discoveryResponse(m.messageId, [
      { type: 'DISCOVERY', at: at('discovery'), message: 'Moat TAXII 1.1 discovery' },
      { type: 'COLLECTION_MANAGEMENT', at: at('collections'), message: 'Moat collections (one per IOC type, moat-hash and moat-all)' },
      { type: 'POLL', at: at('poll'), message: 'Moat poll service: STIX 1.1.1 indicators' },
    ]))
  }
  if (m.kind === 'Collection_Information_Request') {
    req.poll('/taxii', 200)
    const readable = TAXII1_COLLECTIONS.filter((col) => req.mayRead(`/taxii/${col.name}`))
    return xml(c, collectionInformationResponse(m.messageId, readable, at('poll')))
  }
  return poll(c, req, m)
}

const both = (p: string) => [p, `${p}/`]

const tooLarge = bodyLimit({
  maxSize: 1024 * 1024,
  onError: (c) => xml(c as C, statusMessage('0', 'BAD_MESSAGE', 'TAXII requests are small; this one is over 1 MiB'), 413),
})

export const taxii1Routes = new Hono<AppEnv>()
  .use('/taxii/*', tooLarge)
  .on('POST', both('/taxii/discovery'), (c) => handle(c, 'discovery'))
  .on('POST', both('/taxii/collections'), (c) => handle(c, 'collections'))
  .on('POST', both('/taxii/poll'), (c) => handle(c, 'poll'))
  .all('/taxii/*', (c) => {
    const text = c.req.method === 'POST' ? `No TAXII 1.1 service at ${c.req.path}; services: /taxii/discovery, /taxii/collections, /taxii/poll` : 'TAXII 1.1 services take HTTP POST'
    return xml(c, statusMessage('0', c.req.method === 'POST' ? 'NOT_FOUND' : 'BAD_MESSAGE', text), c.req.method === 'POST' ? 404 : 405, c.req.method === 'POST' ? {} : { Allow: 'POST' })
  })
  .onError((err, c) => {
    logEvent('error', 'taxii1 request failed', { path: c.req.path, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
    return xml(c, statusMessage('0', 'FAILURE', 'The TAXII service could not answer; retry later'), 503, { 'Retry-After': '30' })
  })
