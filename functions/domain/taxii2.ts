/**
 * TAXII 2.1 protocol rules (pure): collections, media types, error messages, query filters and
 * the opaque keyset cursor (specs/taxii-stix.md sections 1-3).
 */
import { microsToIso, parseTimestamp } from './stix'
export { API_ROOT, COLLECTIONS, collectionsOf, findCollection, LEGACY_ROOT, type CollectionDef } from './taxii-catalogue'

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1'
export const MAX_PAGE = 10_000
export const DEFAULT_PAGE = 1000
/** The TAXII error message resource; `title` is the only required property. */
export function taxiiError(status: number, title: string, description?: string, details?: Record<string, unknown>) {
  return {
    title,
    ...(description ? { description } : {}),
    error_code: String(status),
    http_status: String(status),
    ...(details ? { details } : {}),
  }
}

/**
 * Whether an `Accept` header allows a TAXII 2.1 answer: absent, `*` / `application/*`, or
 * `application/taxii+json` with no version or version 2.1 (q=0 refuses).
 */
export function acceptsTaxii21(accept: string | undefined): boolean {
  if (!accept || !accept.trim()) return true
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase())
    const p = Object.fromEntries(params.map((kv) => kv.split('=').map((x) => x.trim().replace(/^"|"$/g, ''))))
    if (p.q !== undefined && Number(p.q) === 0) return false
    if (type === '*/*' || type === 'application/*') return true
    return type === 'application/taxii+json' && (p.version === undefined || p.version === '2.1')
  })
}

/** A request body's media type is exactly the TAXII 2.1 one (spaces tolerated). */
export function isTaxiiContentType(ct: string | undefined): boolean {
  return (ct ?? '').replace(/\s+/g, '').toLowerCase() === TAXII_MEDIA_TYPE
}

export interface VersionMatch {
  last: boolean
  first: boolean
  all: boolean
  /** Explicit `modified` values (STIX millisecond form). */
  at: string[]
}

export interface ObjectQuery {
  limit: number
  /** Keyset: only versions added after this `date_added` (from `next`). */
  cursor?: string
  addedAfter?: string
  ids?: string[]
  types?: string[]
  versions: VersionMatch
  specVersions?: string[]
}

export type QueryResult = { ok: true; query: ObjectQuery } | { ok: false; error: ReturnType<typeof taxiiError> }

const bad = (description: string): QueryResult => ({ ok: false, error: taxiiError(400, 'Bad request', description) })
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean)

/** FNV-1a over the filters: a `next` only works with the filters it was made for. */
function fingerprint(scope: string, q: Record<string, string>): string {
  const text = scope + '|' + Object.keys(q).filter((k) => k !== 'next' && k !== 'limit').sort().map((k) => `${k}=${q[k]}`).join('&')
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h.toString(36)
}

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const unb64url = (s: string) => atob(s.replace(/-/g, '+').replace(/_/g, '/'))

export function encodeNext(dateAdded: string, scope: string, q: Record<string, string>): string {
  return b64url(JSON.stringify([dateAdded, fingerprint(scope, q)]))
}

function decodeNext(next: string, scope: string, q: Record<string, string>): string | 'bad' | 'mismatch' {
  try {
    const v = JSON.parse(unb64url(next)) as unknown
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || parseTimestamp(v[0]) === null) return 'bad'
    return v[1] === fingerprint(scope, q) ? v[0] : 'mismatch'
  } catch {
    return 'bad'
  }
}

/**
 * Reads `limit`, `next`, `added_after` and `match[id|type|version|spec_version]`. `scope` names
 * the resource (collection, endpoint) so a cursor cannot jump between them.
 */
export function parseObjectQuery(q: Record<string, string>, scope: string, opts: { versionFilter: boolean } = { versionFilter: true }): QueryResult {
  let limit = DEFAULT_PAGE
  if (q.limit !== undefined) {
    if (!/^\d{1,9}$/.test(q.limit) || Number(q.limit) < 1) return bad(`limit must be a positive whole number, got '${q.limit}'`)
    limit = Math.min(Number(q.limit), MAX_PAGE)
  }
  const query: ObjectQuery = { limit, versions: { last: true, first: false, all: false, at: [] } }
  if (q.next !== undefined) {
    const cursor = decodeNext(q.next, scope, q)
    if (cursor === 'bad') return bad('next is not a cursor this server issued')
    if (cursor === 'mismatch') return bad('next was issued for other filters or another collection; repeat the first request')
    query.cursor = cursor
  }
  if (q.added_after !== undefined) {
    const micros = parseTimestamp(q.added_after)
    if (micros === null) return bad(`added_after must be an RFC 3339 timestamp such as 2026-01-31T12:00:00.000000Z, got '${q.added_after}'`)
    query.addedAfter = microsToIso(micros)
  }
  if (q['match[id]'] !== undefined) query.ids = list(q['match[id]']).map((s) => s.toLowerCase())
  if (q['match[type]'] !== undefined) query.types = list(q['match[type]']).map((s) => s.toLowerCase())
  if (q['match[spec_version]'] !== undefined) query.specVersions = list(q['match[spec_version]'])
  if (opts.versionFilter && q['match[version]'] !== undefined) {
    const v: VersionMatch = { last: false, first: false, all: false, at: [] }
    for (const item of list(q['match[version]'])) {
      if (item === 'last' || item === 'first' || item === 'all') v[item] = true
      else {
        const micros = parseTimestamp(item)
        if (micros === null) return bad(`match[version] takes last, first, all or timestamps, got '${item}'`)
        // Versions are millisecond timestamps: a finer one matches nothing.
        if (micros % 1000 === 0) v.at.push(new Date(micros / 1000).toISOString())
        else v.at.push('')
      }
    }
    if (!v.last && !v.first && !v.all && !v.at.length) v.last = true
    query.versions = v
  }
  return { ok: true, query }
}
