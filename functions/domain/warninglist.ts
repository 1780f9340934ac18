/**
 * MISP warninglists (github.com/MISP/misp-warninglists, CC0): admins import them to extend the
 * built-in sanity warnings. `parseWarninglist` turns a list file into the rows the database
 * stores; `warninglistHits` is the in-memory twin of the database lookup, for tests and small
 * lists.
 */
import punycode from 'punycode/punycode.js'
import { z } from 'zod'
import { iocHost, iocIpRange } from './allowlist'
import type { IocType } from './ioc'
import { ipRange, rangesOverlap } from './ip-range'

export const WARNINGLIST_TYPES = ['cidr', 'string', 'hostname', 'substring'] as const
export type WarninglistType = (typeof WARNINGLIST_TYPES)[number]

export interface WarninglistEntry {
  /** Lower-cased string or hostname (leading dot stripped); a CIDR entry's text as given. */
  value: string
  ipStart?: string
  ipEnd?: string
}

export interface Warninglist {
  name: string
  description: string
  /** The list's own version; 0 when the file has none. */
  version: number
  type: WarninglistType
  entries: WarninglistEntry[]
  /** Entries dropped as unusable: not a string, empty, or a CIDR that does not parse. */
  skipped: number
  /** Entries dropped because an equal one (same text or same range) came earlier. */
  duplicates: number
}

export type ParsedWarninglist = { ok: true; list: Warninglist } | { ok: false; reason: string }

// Unknown keys (`matching_attributes`, future additions) are ignored rather than refused.
const WarninglistFile = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  description: z.string().optional(),
  version: z.number().int().optional(),
  type: z.enum([...WARNINGLIST_TYPES, 'regex']),
  list: z.array(z.unknown()),
})

/** The stored form of one entry, or null when it cannot match anything. */
function entryOf(type: WarninglistType, raw: string): WarninglistEntry | null {
  const text = raw.trim()
  if (type === 'cidr') {
    const range = ipRange(text)
    return range ? { value: text, ipStart: range.start, ipEnd: range.end } : null
  }
  if (type !== 'hostname') return text === '' ? null : { value: text.toLowerCase() }
  let host = text.toLowerCase().replace(/^\.+/, '').replace(/\.+$/, '')
  // IOC hosts are stored in punycode; an IDN entry must be too or it never matches.
  if (/[^\x00-\x7f]/.test(host)) {
    try {
      host = punycode.toASCII(host)
    } catch {
      return null
    }
  }
  return host === '' ? null : { value: host }
}

/** Validates a MISP warninglist file (already JSON-parsed) and prepares its entries. */
export function parseWarninglist(json: unknown): ParsedWarninglist {
  const parsed = WarninglistFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.length > 0 ? issue.path.join('.') : 'document'
    return { ok: false, reason: `${field}: ${issue.message}` }
  }
  const file = parsed.data
  if (file.type === 'regex') {
    const supported = WARNINGLIST_TYPES.join(', ')
    return { ok: false, reason: `type: regex lists are not supported (only ${supported})` }
  }
  const entries: WarninglistEntry[] = []
  const seen = new Set<string>()
  let skipped = 0
  let duplicates = 0
  for (const raw of file.list) {
    const entry = typeof raw === 'string' ? entryOf(file.type, raw) : null
    if (!entry) {
      skipped++
      continue
    }
    const key = entry.ipStart !== undefined ? `${entry.ipStart}-${entry.ipEnd}` : entry.value
    if (seen.has(key)) {
      duplicates++
      continue
    }
    seen.add(key)
    entries.push(entry)
  }
  const list: Warninglist = {
    name: file.name,
    description: file.description ?? '',
    version: file.version ?? 0,
    type: file.type,
    entries,
    skipped,
    duplicates,
  }
  return { ok: true, list }
}

function isIpLiteral(host: string): boolean {
  return host.includes(':') || /^\d+(?:\.\d+){3}$/.test(host)
}

/**
 * A host and each of its parents, most specific first: `a.b.example.com` -> `a.b.example.com`,
 * `b.example.com`, `example.com`, `com`. An IP literal is its own only suffix.
 */
export function hostSuffixes(host: string): string[] {
  const name = host.toLowerCase().replace(/\.+$/, '')
  if (name === '') return []
  if (isIpLiteral(name)) return [name]
  const labels = name.split('.')
  return labels.map((_, i) => labels.slice(i).join('.'))
}

// Hostname lists can hold tens of thousands of entries; index each list object once.
const hostnameIndex = new WeakMap<Warninglist, Set<string>>()

function hostnameSet(list: Warninglist): Set<string> {
  let set = hostnameIndex.get(list)
  if (!set) {
    set = new Set(list.entries.map((e) => e.value))
    hostnameIndex.set(list, set)
  }
  return set
}

function entryRange(entry: WarninglistEntry): { start: string; end: string } {
  return { start: entry.ipStart ?? '', end: entry.ipEnd ?? '' }
}

function firstHit(ioc: { type: IocType; value: string }, list: Warninglist): string | null {
  const lower = ioc.value.toLowerCase()
  if (list.type === 'string') return list.entries.find((e) => e.value === lower)?.value ?? null
  if (list.type === 'substring') {
    return list.entries.find((e) => lower.includes(e.value))?.value ?? null
  }
  if (list.type === 'hostname') {
    const host = iocHost(ioc.type, ioc.value)
    if (!host || iocIpRange(ioc.type, ioc.value)) return null
    const set = hostnameSet(list)
    return hostSuffixes(host).find((suffix) => set.has(suffix)) ?? null
  }
  const range = iocIpRange(ioc.type, ioc.value)
  if (!range) return null
  const hit = list.entries.find(
    (e) => e.ipStart !== undefined && e.ipEnd !== undefined && rangesOverlap(range, entryRange(e)),
  )
  return hit?.value ?? null
}

/**
 * The lists that cover an IOC, with the first entry of each that matched: cidr by overlap with
 * the IOC's addresses (an IP, a network, or a URL's IP host), string by the whole value
 * (case-insensitive), hostname by the IOC's host or any parent of it, substring anywhere in it.
 */
export function warninglistHits(
  ioc: { type: IocType; value: string },
  lists: Warninglist[],
): { list: string; entry: string }[] {
  const hits: { list: string; entry: string }[] = []
  for (const list of lists) {
    const entry = firstHit(ioc, list)
    if (entry !== null) hits.push({ list: list.name, entry })
  }
  return hits
}

export type WarninglistMatcher = (ioc: { type: IocType; value: string }) => { list: string; entry: string } | null

/**
 * `warninglistHits` for many IOCs at once (bulk import): every list indexed once, so one lookup
 * costs a few hash probes and a binary search, not a scan of every entry. Returns the first hit
 * in list order (same matching rules as `warninglistHits`).
 */
export function compileWarninglists(lists: Pick<Warninglist, 'name' | 'type' | 'entries'>[]): WarninglistMatcher {
  const strings = new Map<string, { list: string; entry: string }>()
  const hosts = new Map<string, { list: string; entry: string }>()
  const substrings: { list: string; entry: string }[] = []
  const ranges: { start: string; end: string; list: string; entry: string }[] = []
  for (const list of lists) {
    for (const e of list.entries) {
      const hit = { list: list.name, entry: e.value }
      if (list.type === 'string' && !strings.has(e.value)) strings.set(e.value, hit)
      else if (list.type === 'hostname' && !hosts.has(e.value)) hosts.set(e.value, hit)
      else if (list.type === 'substring') substrings.push(hit)
      else if (list.type === 'cidr' && e.ipStart && e.ipEnd) ranges.push({ start: e.ipStart, end: e.ipEnd, ...hit })
    }
  }
  ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  // maxEnd[i]: the largest end among ranges[0..i]; a range starting at or before an address can
  // only overlap it if this running maximum reaches the address.
  const maxEnd: string[] = []
  for (let i = 0; i < ranges.length; i++) maxEnd.push(i && maxEnd[i - 1] > ranges[i].end ? maxEnd[i - 1] : ranges[i].end)
  const overlapping = (start: string, end: string) => {
    let lo = 0
    let hi = ranges.length - 1
    let last = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (ranges[mid].start <= end) {
        last = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    for (let i = last; i >= 0 && maxEnd[i] >= start; i--) {
      if (ranges[i].end >= start) return ranges[i]
    }
    return null
  }
  return (ioc) => {
    const lower = ioc.value.toLowerCase()
    const exact = strings.get(lower)
    if (exact) return exact
    const range = iocIpRange(ioc.type, ioc.value)
    if (range && ranges.length) {
      const r = overlapping(range.start, range.end)
      if (r) return { list: r.list, entry: r.entry }
    }
    const host = iocHost(ioc.type, ioc.value)
    if (host && !range && hosts.size) {
      for (const suffix of hostSuffixes(host)) {
        const hit = hosts.get(suffix)
        if (hit) return hit
      }
    }
    for (const s of substrings) if (lower.includes(s.entry)) return s
    return null
  }
}
