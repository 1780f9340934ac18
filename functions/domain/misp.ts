/**
 * MISP pull, the pure part (specs/misp.md): reading `/attributes/restSearch` answers, building
 * request bodies, and turning one MISP attribute into Moat indicators with their ticket, comment,
 * tags and confidence. Values then go through the same parser and checks as a human submission.
 * No I/O.
 */
import { parseIoc, type IocType, type IocWarning } from './ioc'
import { isMappedType, MISP_TYPE_RULES, type TypeRule } from './misp-types'

/** One attribute as Moat needs it; MISP's strings-for-numbers and old `"1"`/`"0"` flags read. */
export interface MispAttribute {
  uuid: string
  type: string
  value: string
  toIds: boolean
  deleted: boolean
  /** Attribute `timestamp`, epoch seconds (MISP's clock). */
  timestamp: number
  comment: string
  eventId: string | null
  eventUuid: string | null
  eventInfo: string
  /** Tag names: the attribute's own first, then the event's (includeEventTags), without repeats. */
  tags: string[]
}

export class MispShapeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MispShapeError'
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)

/** `true`, `1`, `"1"`, `"true"` -> true. */
export function flag(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true'
}

function tagNames(v: unknown): string[] {
  if (!Array.isArray(v)) return []
  return v.flatMap((t) => (isObj(t) && typeof t.name === 'string' ? [t.name] : typeof t === 'string' ? [t] : []))
}

function readAttribute(a: unknown, at: number): MispAttribute {
  if (!isObj(a)) throw new MispShapeError(`Attribute[${at}] is not an object`)
  const uuid = str(a.uuid)
  const type = str(a.type)
  const value = str(a.value)
  if (!uuid || !type || value === null) throw new MispShapeError(`Attribute[${at}] has no uuid, type or value`)
  const event = isObj(a.Event) ? a.Event : {}
  const ts = Number(str(a.timestamp) ?? 0)
  const tags = [...new Set([...tagNames(a.Tag), ...tagNames(event.Tag)])]
  return {
    uuid: uuid.toLowerCase(),
    type,
    value,
    toIds: flag(a.to_ids),
    deleted: flag(a.deleted),
    timestamp: Number.isFinite(ts) ? Math.trunc(ts) : 0,
    comment: str(a.comment) ?? '',
    eventId: str(a.event_id) ?? str(event.id),
    eventUuid: str(a.event_uuid) ?? str(event.uuid),
    eventInfo: str(event.info) ?? '',
    tags,
  }
}

/**
 * The attributes of a restSearch answer: `{"response":{"Attribute":[...]}}` as MISP sends it, or
 * `{"Attribute":[...]}` as PyMISP hands it on. Anything else is a MispShapeError.
 */
export function readAttributes(body: unknown): MispAttribute[] {
  const inner = isObj(body) && isObj(body.response) ? body.response : body
  // An empty result comes as {"response":[]} from some MISP versions.
  if (isObj(body) && Array.isArray(body.response) && body.response.length === 0) return []
  if (!isObj(inner) || !Array.isArray(inner.Attribute)) {
    throw new MispShapeError('the answer has no response.Attribute list (is this a MISP /attributes/restSearch answer?)')
  }
  return inner.Attribute.map(readAttribute)
}

export interface SearchFilters {
  types: string[]
  published: boolean
  toIds: boolean
  enforceWarninglist: boolean
  tagsInclude: string[]
  tagsExclude: string[]
  lastDays: number
}

/**
 * Which attributes a query asks for: the first-run window (events published in the last N days),
 * attributes changed since the cursor (MISP's `timestamp`, inclusive), or attributes of events
 * published in the last N minutes (relative, so MISP's own clock decides: an event published
 * after its attributes were written, once the cursor had passed them, is still pulled).
 */
export type SearchSince = { window: number } | { cursor: number } | { publishedMinutes: number }

/** Body of one restSearch page. */
export function restSearchBody(f: SearchFilters, page: number, limit: number, since: SearchSince) {
  const body: Record<string, unknown> = {
    returnFormat: 'json',
    page,
    limit,
    type: f.types,
    includeEventTags: true,
    includeEventUuid: true,
    enforceWarninglist: f.enforceWarninglist,
  }
  if (f.toIds) body.to_ids = true
  if (f.published) body.published = true
  if (f.tagsInclude.length || f.tagsExclude.length) {
    body.tags = { ...(f.tagsInclude.length ? { OR: f.tagsInclude } : {}), ...(f.tagsExclude.length ? { NOT: f.tagsExclude } : {}) }
  }
  if ('cursor' in since) body.timestamp = since.cursor
  else if ('publishedMinutes' in since) body.publish_timestamp = `${since.publishedMinutes}m`
  else body.last = `${since.window}d`
  return body
}

/**
 * Body for re-checking known attributes by uuid. No to_ids filter (so "no longer to_ids" can be
 * told from "gone"); deleted attributes are left out by MISP's default and so read as gone.
 */
export function reconcileBody(f: Pick<SearchFilters, 'published' | 'enforceWarninglist'>, uuids: string[], page: number, limit: number) {
  const body: Record<string, unknown> = { returnFormat: 'json', page, limit, uuid: uuids, includeEventUuid: true, enforceWarninglist: f.enforceWarninglist }
  if (f.published) body.published = true
  return body
}

export type SkipReason = 'unsupported_type' | 'not_to_ids' | 'deleted' | 'uri_not_absolute' | 'filtered_type'

export interface Candidate {
  /** The MISP type's Moat type, passed to the parser as the caller's named type. */
  type: IocType
  text: string
  notes: IocWarning[]
  filename?: string
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]/i

/** Splits `left|right` on the LAST `|` (a file name may hold `|`; the right side never does). */
export function splitComposite(value: string): [string, string] | null {
  const at = value.lastIndexOf('|')
  return at < 0 ? null : [value.slice(0, at), value.slice(at + 1)]
}

/**
 * What one attribute offers as indicators, before parsing. `allowed` is the admin's type list;
 * `domainIpBoth` takes the IP of `domain|ip` too; `requireToIds` skips attributes not for IDS.
 */
export function candidatesOf(
  a: MispAttribute,
  opts: { allowed: ReadonlySet<string>; domainIpBoth: boolean; requireToIds: boolean },
): { skip: SkipReason } | { items: Candidate[] } {
  if (!isMappedType(a.type)) return { skip: 'unsupported_type' }
  if (!opts.allowed.has(a.type)) return { skip: 'filtered_type' }
  if (a.deleted) return { skip: 'deleted' }
  if (opts.requireToIds && !a.toIds) return { skip: 'not_to_ids' }
  const rule: TypeRule = MISP_TYPE_RULES[a.type]
  if (!rule.side) {
    if (rule.absoluteOnly && !SCHEME.test(a.value.trim())) return { skip: 'uri_not_absolute' }
    return { items: [{ type: rule.moat, text: a.value, notes: [] }] }
  }
  const parts = splitComposite(a.value)
  // A composite without `|` is malformed: let the parser judge the whole value (it will say why).
  if (!parts) return { items: [{ type: rule.moat, text: a.value, notes: [] }] }
  const [left, right] = parts
  if (rule.filename) return { items: [{ type: rule.moat, text: right, notes: [], filename: left }] }
  const notes: IocWarning[] = rule.port && right.trim() ? [{ code: 'port_dropped', message: `port ${right.trim()} dropped (MISP ${a.type})` }] : []
  const items: Candidate[] = [{ type: rule.moat, text: left, notes }]
  if (a.type === 'domain|ip' && opts.domainIpBoth) items.push({ type: 'ip', text: right, notes: [] })
  return { items }
}

/** Parses a candidate with its MISP type named, so a `domain` attribute holding a URL is refused. */
export function parseCandidate(c: Candidate) {
  const parsed = parseIoc(c.text, { type: c.type })
  if (!parsed.ok) return parsed
  return { ...parsed, warnings: [...c.notes, ...parsed.warnings] }
}

const TAG_MAX = 40
const TAGS_MAX = 20

/**
 * A MISP tag in Moat's tag alphabet (letters, digits, space, `_ . : - /`, at most 40):
 * `misp-galaxy:threat-actor="Sofacy"` -> `misp-galaxy:threat-actor:Sofacy`. Null when nothing
 * sensible is left or it is too long (a cut tag would be a different tag).
 */
export function moatTag(name: string): string | null {
  const s = name
    .replace(/="([^"]*)"?\s*$/, ':$1')
    .replace(/=/g, ':')
    .replace(/"/g, '')
    .replace(/[^\p{L}\p{N}_.:\-/ ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return s && s.length <= TAG_MAX ? s : null
}

/** Moat tags for an attribute: converted, without repeats (ignoring case), at most 20. */
export function moatTags(names: string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const n of names) {
    const tag = moatTag(n)
    if (!tag || seen.has(tag.toLowerCase())) continue
    seen.add(tag.toLowerCase())
    out.push(tag)
    if (out.length === TAGS_MAX) break
  }
  return out
}

const LIKELIHOOD: Record<string, number> = {
  'almost-no-chance': 3,
  'very-unlikely': 12,
  unlikely: 32,
  'roughly-even-chance': 50,
  likely: 68,
  'very-likely': 88,
  'almost-certain': 97,
}
const CREDIBILITY: Record<string, number> = { '1': 95, '2': 80, '3': 60, '4': 35, '5': 15 }

/**
 * Confidence (0-100) from the first tag that states one: estimative-language likelihood,
 * admiralty-scale information credibility (6 "cannot be judged" states nothing), or
 * osint:certainty. Null when no tag does.
 */
export function confidenceFromTags(names: string[]): number | null {
  for (const name of names) {
    const m = /^([\w-]+:[\w-]+)\s*=\s*"?([^"]*)"?$/.exec(name.trim())
    if (!m) continue
    const [, key, value] = m
    if (key === 'estimative-language:likelihood-probability' && value in LIKELIHOOD) return LIKELIHOOD[value]
    if (key === 'admiralty-scale:information-credibility' && value in CREDIBILITY) return CREDIBILITY[value]
    if (key === 'osint:certainty' && /^\d{1,3}(\.\d+)?$/.test(value) && Number(value) <= 100) return Math.round(Number(value))
  }
  return null
}

/** `[MISP] <event info, 200> | <attribute comment, 500>` (+ ` | file: <name>`), at most 1000. */
export function mispComment(eventInfo: string, comment: string, filename?: string): string {
  const parts = [`[MISP] ${eventInfo.trim().slice(0, 200)}`.trim()]
  if (comment.trim()) parts.push(comment.trim().slice(0, 500))
  if (filename?.trim()) parts.push(`file: ${filename.trim().slice(0, 255)}`)
  return parts.join(' | ').slice(0, 1000)
}

/** `MISP-<event id>` (ZIoCHub's format, kept for continuity). */
export function mispTicket(eventId: string | null): string {
  return eventId && /^\d+$/.test(eventId) ? `MISP-${eventId}` : 'MISP'
}

/** A campaign name from the event title (at most 100 characters), or undefined. */
export function campaignFromEvent(info: string): string | undefined {
  const name = info.replace(/\s+/g, ' ').trim().slice(0, 100).trim()
  return name || undefined
}

/** The first `max` characters of an error body for a message (tags stripped, whitespace folded). */
export function bodySnippet(text: string, max = 200): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
}
