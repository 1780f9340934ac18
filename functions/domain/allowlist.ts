/**
 * The admin allowlist (DESIGN.md section 3): values that must never become IOCs. Entries are
 * normalized here once; the database stores `iocHost` and `iocIpRange` on every IOC row so the
 * same matching runs there as SQL. `allowlistMatch` is the in-memory twin of that query.
 */
import { parseIoc, type IocType } from './ioc'
import { ipRange, rangesOverlap, type IpRange } from './ip-range'

export type AllowlistKind = 'exact' | 'suffix' | 'cidr'

export interface AllowlistEntry {
  id: number
  kind: AllowlistKind
  value: string
  ipStart: string | null
  ipEnd: string | null
  reason: string
}

export type NormalizedAllowlistEntry =
  | { ok: true; kind: AllowlistKind; value: string; ipStart?: string; ipEnd?: string }
  | { ok: false; reason: string }

/** A suffix may be written as a wildcard (`*.example.com`) or with a leading dot. */
function stripWildcard(raw: string): string {
  const text = raw.trim()
  if (text.startsWith('*.')) return text.slice(2)
  if (text.startsWith('.')) return text.slice(1)
  return text
}

function normalizeSuffix(raw: string): NormalizedAllowlistEntry {
  const text = stripWildcard(raw)
  // A bare TLD (`gov`, `xn--p1ai`, `рф`) is a suffix too: validate it as the TLD of a domain.
  const bareTld = text !== '' && !/[./:@]/.test(text)
  const parsed = parseIoc(bareTld ? `x.${text}` : text, { type: 'domain' })
  if (!parsed.ok) return { ok: false, reason: parsed.error.message }
  const value = bareTld ? parsed.value.slice(2) : parsed.value
  return { ok: true, kind: 'suffix', value }
}

/**
 * Validates and canonicalizes an entry: `exact` takes any IOC value, `suffix` a domain (covers
 * its subdomains), `cidr` an IP address or network (which gets its range).
 */
export function normalizeAllowlistEntry(
  kind: AllowlistKind,
  raw: string,
): NormalizedAllowlistEntry {
  if (kind === 'suffix') return normalizeSuffix(raw)
  const parsed = parseIoc(raw, kind === 'cidr' ? { type: 'ip' } : {})
  if (!parsed.ok) return { ok: false, reason: parsed.error.message }
  if (kind === 'exact') return { ok: true, kind, value: parsed.value }
  const range = ipRange(parsed.value)
  if (!range) return { ok: false, reason: `not an IP address or network: ${parsed.value}` }
  return { ok: true, kind, value: parsed.value, ipStart: range.start, ipEnd: range.end }
}

/** Host of a canonical URL: no scheme, userinfo, port or IPv6 brackets. */
function urlHost(url: string): string | null {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1]
  if (authority === undefined) return null
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1)
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    return close > 1 ? hostPort.slice(1, close).toLowerCase() : null
  }
  const colon = hostPort.indexOf(':')
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon)
  return host === '' ? null : host.toLowerCase()
}

/** The host an IOC lives on: a domain itself, a URL's host (maybe an IP), an email's domain. */
export function iocHost(type: IocType, value: string): string | null {
  if (type === 'domain') return value.toLowerCase()
  if (type === 'url') return urlHost(value)
  if (type === 'email') {
    const at = value.lastIndexOf('@')
    return at < 0 || at === value.length - 1 ? null : value.slice(at + 1).toLowerCase()
  }
  return null
}

/** The addresses an IOC covers: an IP or network, or the IP host of a URL; else null. */
export function iocIpRange(type: IocType, value: string): IpRange | null {
  if (type === 'ip') return ipRange(value)
  if (type === 'url') {
    const host = urlHost(value)
    return host ? ipRange(host) : null
  }
  return null
}

function entryRange(entry: AllowlistEntry): Pick<IpRange, 'start' | 'end'> | null {
  if (entry.ipStart !== null && entry.ipEnd !== null) {
    return { start: entry.ipStart, end: entry.ipEnd }
  }
  return ipRange(entry.value)
}

/**
 * The first entry (in the given order) that covers an IOC: `exact` by canonical value, `suffix`
 * by the IOC's host or a parent of it, `cidr` by overlap with the IOC's addresses (containment for
 * a single address). Null when none does.
 */
export function allowlistMatch(
  ioc: { type: IocType; value: string },
  entries: AllowlistEntry[],
): AllowlistEntry | null {
  const host = iocHost(ioc.type, ioc.value)
  const range = iocIpRange(ioc.type, ioc.value)
  for (const entry of entries) {
    if (entry.kind === 'exact' && entry.value === ioc.value) return entry
    if (entry.kind === 'suffix' && host !== null && range === null) {
      if (host === entry.value || host.endsWith(`.${entry.value}`)) return entry
    }
    if (entry.kind === 'cidr' && range !== null) {
      const covered = entryRange(entry)
      if (covered && rangesOverlap(range, covered)) return entry
    }
  }
  return null
}
