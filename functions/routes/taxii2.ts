import { Hono, type Context } from 'hono'
import { IOC_TYPES } from '../domain/ioc'
import { identityId, identityObject, indicatorObject, STIX_MEDIA_TYPE, type IndicatorData } from '../domain/stix'
import {
  acceptsTaxii21,
  API_ROOT,
  collectionsOf,
  encodeNext,
  findCollection,
  isTaxiiContentType,
  LEGACY_ROOT,
  parseObjectQuery,
  TAXII_MEDIA_TYPE,
  taxiiError,
  type CollectionDef,
  type ObjectQuery,
} from '../domain/taxii2'
import type { AppEnv } from '../env'
import { logEvent } from '../lib/log'
import { beginTaxii, freshVersions, type TaxiiRequest } from '../lib/taxii'
import { objectExists, pageVersions, type VersionRow, type VersionScope } from '../repos/taxii'

type C = Context<AppEnv>

function taxii(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': TAXII_MEDIA_TYPE, 'Cache-Control': 'no-store', ...headers },
  })
}

const fail = (status: number, title: string, description?: string, headers: Record<string, string> = {}) =>
  taxii(taxiiError(status, title, description), status, headers)

/** Accept and consumer checks shared by every endpoint; a Response means "answer this". */
async function begin(c: C): Promise<TaxiiRequest | Response> {
  if (!acceptsTaxii21(c.req.header('accept'))) {
    return fail(406, 'Not acceptable', `This server answers ${TAXII_MEDIA_TYPE} only; the Accept header allows neither it nor */*`)
  }
  const b = await beginTaxii(c, '/taxii2')
  if (b.ok) return b.req
  if (b.status === 503) return fail(503, 'Service unavailable', b.reason, { 'Retry-After': '30' })
  return fail(b.status, b.status === 401 ? 'Authentication required' : 'Forbidden', b.reason, b.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Moat TAXII", charset="UTF-8"' } : {})
}

const feedOf = (col: CollectionDef) => `/taxii2/${col.alias === 'indicators' ? 'all' : col.alias}`

function collectionResource(col: CollectionDef, req: TaxiiRequest) {
  return { id: col.id, title: col.title, description: col.description, alias: col.alias, can_read: req.mayRead(feedOf(col)), can_write: false, media_types: [STIX_MEDIA_TYPE] }
}

/** The collection named in the path, readable by this consumer, with its objects published. */
async function openCollection(c: C): Promise<{ req: TaxiiRequest; col: CollectionDef } | Response> {
  const req = await begin(c)
  if (req instanceof Response) return req
  const col = findCollection(c.req.param('root') ?? '', c.req.param('collection') ?? '')
  if (!col) return fail(404, 'Not found', `No collection ${c.req.param('collection')} in API root ${c.req.param('root')}`)
  if (!req.mayRead(feedOf(col))) {
    req.poll(feedOf(col), 403)
    return fail(403, 'Forbidden', `This consumer may not read ${feedOf(col)}`)
  }
  await freshVersions(c, req)
  return { req, col }
}

/** Kinds a collection serves under `match[type]` (null = all). An empty list matches nothing. */
function kindsFor(col: CollectionDef, types?: string[]): string[] | null {
  if (!types) return col.kinds
  const out: string[] = []
  if (types.includes('indicator')) out.push(...(col.kinds ?? IOC_TYPES))
  if (types.includes('identity') && col.kinds === null) out.push('identity')
  return out
}

let identity: Promise<string> | null = null

async function render(row: VersionRow): Promise<Record<string, unknown>> {
  const meta = { id: row.stixId, created: row.created, modified: row.modified, revoked: Boolean(row.revoked) }
  if (row.kind === 'identity') return identityObject(meta)
  return indicatorObject(meta, JSON.parse(row.data) as IndicatorData, await (identity ??= identityId()))
}

type Page = { rows: VersionRow[]; more: boolean; next?: string; headers: Record<string, string> }

/** One page for a scope and query: `more`, `next` and the date-added headers. */
async function page(c: C, scopeKey: string, scope: VersionScope, q: ObjectQuery): Promise<Page> {
  const empty = (scope.kinds && !scope.kinds.length) || (q.specVersions && !q.specVersions.includes('2.1'))
  const rows = empty ? [] : await pageVersions(c.env.DB, scope, q)
  const more = rows.length > q.limit
  const shown = rows.slice(0, q.limit)
  const headers: Record<string, string> = {}
  if (shown.length) {
    headers['X-TAXII-Date-Added-First'] = shown[0].dateAdded
    headers['X-TAXII-Date-Added-Last'] = shown[shown.length - 1].dateAdded
  }
  const next = more ? encodeNext(shown[shown.length - 1].dateAdded, scopeKey, c.req.query()) : undefined
  return { rows: shown, more, next, headers }
}

/** objects, manifest and one object's versions share this: parse, page, shape. */
async function listing(c: C, endpoint: 'objects' | 'manifest' | 'object' | 'versions') {
  const opened = await openCollection(c)
  if (opened instanceof Response) return opened
  const { req, col } = opened
  const objectId = c.req.param('object')?.toLowerCase()
  const scopeKey = `${c.req.param('root')}/${col.id}/${endpoint}/${objectId ?? ''}`
  const parsed = parseObjectQuery(c.req.query(), scopeKey, { versionFilter: endpoint !== 'versions' })
  if (!parsed.ok) return taxii(parsed.error, 400)
  const q = parsed.query
  if (endpoint === 'versions') q.versions = { last: false, first: false, all: true, at: [] }
  const scope: VersionScope = { kinds: kindsFor(col, q.types), ...(objectId ? { stixId: objectId } : {}) }
  if (objectId && !(await objectExists(c.env.DB, { kinds: col.kinds }, objectId))) {
    return fail(404, 'Not found', `No object ${objectId} in collection ${col.id}`)
  }
  const p = await page(c, scopeKey, scope, q)
  const paging = { more: p.more, ...(p.next ? { next: p.next } : {}) }
  let body: Record<string, unknown>
  if (endpoint === 'versions') body = { ...paging, ...(p.rows.length ? { versions: p.rows.map((r) => r.modified) } : {}) }
  else if (endpoint === 'manifest') {
    const objects = p.rows.map((r) => ({ id: r.stixId, date_added: r.dateAdded, version: r.modified, media_type: STIX_MEDIA_TYPE }))
    body = { ...paging, ...(objects.length ? { objects } : {}) }
  } else {
    const objects = await Promise.all(p.rows.map(render))
    body = { ...paging, ...(objects.length ? { objects } : {}) }
  }
  const res = taxii(body, 200, p.headers)
  req.poll(feedOf(col), 200)
  return res
}

/** Both spellings of a path: clients add the trailing slash, people often do not. */
const both = (p: string) => [p, p.slice(0, -1)]

export const taxii2Routes = new Hono<AppEnv>()
  .on('GET', both('/taxii2/'), async (c) => {
    const req = await begin(c)
    if (req instanceof Response) return req
    req.poll('/taxii2', 200)
    const roots = [API_ROOT, LEGACY_ROOT].map((r) => `${req.base}/taxii2/${r}/`)
    return taxii({
      title: 'Moat TAXII 2.1',
      description: 'Read-only STIX 2.1 indicators from Moat: one collection per IOC type and one with every indicator.',
      default: roots[0],
      api_roots: roots,
    })
  })
  .on('GET', both('/taxii2/:root/'), async (c) => {
    const req = await begin(c)
    if (req instanceof Response) return req
    const root = c.req.param('root') ?? ''
    if (!collectionsOf(root)) return fail(404, 'Not found', `No API root ${root}`)
    return taxii({
      title: root === API_ROOT ? 'Moat indicators' : 'Moat indicators (ZIoCHub-compatible root)',
      description: 'STIX 2.1 indicators; deleted, expired, excluded or allowlisted IOCs appear as revoked versions.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: 0,
    })
  })
  .on('GET', both('/taxii2/:root/collections/'), async (c) => {
    const req = await begin(c)
    if (req instanceof Response) return req
    const cols = collectionsOf(c.req.param('root') ?? '')
    if (!cols) return fail(404, 'Not found', `No API root ${c.req.param('root')}`)
    return taxii({ collections: cols.map((col) => collectionResource(col, req)) })
  })
  .on('GET', both('/taxii2/:root/collections/:collection/'), async (c) => {
    const req = await begin(c)
    if (req instanceof Response) return req
    const col = findCollection(c.req.param('root') ?? '', c.req.param('collection') ?? '')
    if (!col) return fail(404, 'Not found', `No collection ${c.req.param('collection')} in API root ${c.req.param('root')}`)
    return taxii(collectionResource(col, req))
  })
  .on('GET', both('/taxii2/:root/collections/:collection/objects/'), (c) => listing(c, 'objects'))
  .on('GET', both('/taxii2/:root/collections/:collection/manifest/'), (c) => listing(c, 'manifest'))
  .on('GET', both('/taxii2/:root/collections/:collection/objects/:object/'), (c) => listing(c, 'object'))
  .on('GET', both('/taxii2/:root/collections/:collection/objects/:object/versions/'), (c) => listing(c, 'versions'))
  .on('GET', both('/taxii2/:root/status/:status/'), async (c) => {
    const req = await begin(c)
    if (req instanceof Response) return req
    return fail(404, 'Not found', 'This server accepts no writes, so it has no status resources')
  })
  .all('/taxii2/*', async (c) => {
    // Read a small unread body first, so a keep-alive client can reuse the connection.
    if (c.req.raw.body && Number(c.req.header('content-length') ?? Infinity) <= 1024 * 1024) await c.req.raw.arrayBuffer().catch(() => undefined)
    if (!acceptsTaxii21(c.req.header('accept'))) return fail(406, 'Not acceptable', `This server answers ${TAXII_MEDIA_TYPE} only`)
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return fail(404, 'Not found', `No TAXII resource at ${c.req.path}`)
    // Writes: medallion's answers for a collection that is not writable.
    if (/\/collections\/[^/]+\/objects\/?$/.test(c.req.path) && c.req.method === 'POST') {
      if (!isTaxiiContentType(c.req.header('content-type'))) {
        return fail(415, 'Unsupported media type', `Send ${TAXII_MEDIA_TYPE}; this server accepts no writes in any case`)
      }
      return fail(403, 'Forbidden', 'Collections on this server are read-only (can_write: false)')
    }
    if (/\/collections\/[^/]+\/objects\/[^/]+\/?$/.test(c.req.path) && c.req.method === 'DELETE') {
      return fail(403, 'Forbidden', 'Collections on this server are read-only (can_write: false)')
    }
    return fail(405, 'Method not allowed', 'This TAXII server is read-only: GET only', { Allow: 'GET, HEAD' })
  })
  .onError((err, c) => {
    logEvent('error', 'taxii2 request failed', { path: c.req.path, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
    return fail(503, 'Service unavailable', 'The TAXII service could not answer; retry later', { 'Retry-After': '30' })
  })
