/**
 * STIX 2.1 output (pure): deterministic ids, timestamps, patterns and the indicator and identity
 * objects Moat publishes (specs/taxii-stix.md sections 4 and 5).
 */
import type { IocType } from './ioc'

/** Moat's own UUIDv5 namespace (never the SCO namespace, which the spec reserves for SCOs). */
export const MOAT_NAMESPACE = '596dacb0-5fe6-4105-a73d-dc98d3c44c5c'

export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1'

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

/** RFC 4122 name-based UUID (version 5, SHA-1), hyphenated. */
export async function uuidV5(namespace: string, name: string): Promise<string> {
  const ns = namespace.replace(/-/g, '')
  if (!/^[0-9a-f]{32}$/i.test(ns)) throw new Error(`not a UUID: ${namespace}`)
  const nameBytes = new TextEncoder().encode(name)
  const input = new Uint8Array(16 + nameBytes.length)
  for (let i = 0; i < 16; i++) input[i] = parseInt(ns.slice(i * 2, i * 2 + 2), 16)
  input.set(nameBytes, 16)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', input)).slice(0, 16)
  digest[6] = (digest[6] & 0x0f) | 0x50
  digest[8] = (digest[8] & 0x3f) | 0x80
  const h = hex(digest)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * The indicator id of one IOC incarnation: UUIDv5 over `type|value|incarnation`. Revocation is
 * final in STIX, so an IOC that comes back after being revoked (unexcluded, expiry extended,
 * allowlist entry removed) is published under a new id: `reissue` counts those returns.
 */
export async function indicatorId(type: IocType, value: string, incarnation: number, reissue = 0): Promise<string> {
  const name = `${type}|${value}|${incarnation}${reissue ? `|r${reissue}` : ''}`
  return `indicator--${await uuidV5(MOAT_NAMESPACE, name)}`
}

export async function identityId(): Promise<string> {
  return `identity--${await uuidV5(MOAT_NAMESPACE, 'identity|moat')}`
}

/** RFC 3339 UTC with exactly three fraction digits (STIX `created`/`modified`). */
export function stixTime(iso: string | number | Date): string {
  return new Date(iso).toISOString()
}

/** Microseconds since the epoch as RFC 3339 UTC with six fraction digits (TAXII `date_added`). */
export function microsToIso(micros: number): string {
  const ms = Math.floor(micros / 1000)
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros - ms * 1000).padStart(3, '0')}Z`
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/

/** Parses an RFC 3339 timestamp to microseconds since the epoch; null when it is not one. */
export function parseTimestamp(s: string): number | null {
  const m = RFC3339.exec(s.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, sec, frac = '', zone] = m
  const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec)
  const check = new Date(base)
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) return null
  let offsetMin = 0
  if (zone.length === 6) offsetMin = (zone[0] === '-' ? -1 : 1) * (+zone.slice(1, 3) * 60 + +zone.slice(4, 6))
  return (base - offsetMin * 60_000) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6))
}

/** A STIX pattern string literal: single quotes, `\` and `'` escaped (backslash first). */
export function patternLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

const HASH_KEY: Record<string, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' }

/** The STIX 2.1 pattern that matches one canonical Moat IOC. */
export function stixPattern(type: IocType, value: string): string {
  const lit = patternLiteral(value)
  switch (type) {
    case 'ip':
      return value.includes(':') ? `[ipv6-addr:value = ${lit}]` : `[ipv4-addr:value = ${lit}]`
    case 'domain':
      return `[domain-name:value = ${lit}]`
    case 'url':
      return `[url:value = ${lit}]`
    case 'email':
      return `[email-addr:value = ${lit}]`
    default:
      return `[file:hashes.'${HASH_KEY[type]}' = ${lit}]`
  }
}

export const TLP_MARKINGS = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const
export type Tlp = keyof typeof TLP_MARKINGS

/** What one published indicator version says: a snapshot, so the version never changes later. */
export interface IndicatorData {
  type: IocType
  value: string
  comment: string
  tags: string[]
  confidence: number
  ticket: string
  validFrom: string
  validUntil: string | null
  tlp?: Tlp | null
}

export interface VersionMeta {
  id: string
  created: string
  modified: string
  revoked: boolean
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** The STIX 2.1 `indicator` of one version. */
export function indicatorObject(v: VersionMeta, d: IndicatorData, identity: string): Record<string, unknown> {
  const validFrom = stixTime(d.validFrom)
  // valid_until must be later than valid_from; a degenerate expiry is left out rather than invalid.
  const validUntil = d.validUntil && stixTime(d.validUntil) > validFrom ? stixTime(d.validUntil) : undefined
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: v.id,
    created_by_ref: identity,
    created: stixTime(v.created),
    modified: stixTime(v.modified),
    ...(v.revoked ? { revoked: true } : {}),
    name: `Moat ${d.type}: ${cut(d.value, 80)}`,
    ...(d.comment ? { description: d.comment } : {}),
    indicator_types: ['malicious-activity'],
    pattern: stixPattern(d.type, d.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: validFrom,
    ...(validUntil ? { valid_until: validUntil } : {}),
    ...(d.tags.length ? { labels: d.tags } : {}),
    confidence: Math.max(0, Math.min(100, Math.round(d.confidence))),
    ...(d.ticket ? { external_references: [{ source_name: 'moat-ticket', external_id: d.ticket }] } : {}),
    ...(d.tlp ? { object_marking_refs: [TLP_MARKINGS[d.tlp]] } : {}),
  }
}

/** The one Moat `identity` every indicator's `created_by_ref` points at. */
export function identityObject(v: VersionMeta, name = 'Moat'): Record<string, unknown> {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: v.id,
    created: stixTime(v.created),
    modified: stixTime(v.modified),
    name,
    description: 'Moat IOC management platform: the producer of these indicators',
    identity_class: 'system',
  }
}

/** A STIX 2.1 bundle (no spec_version on 2.1 bundles). */
export function stixBundle(objects: unknown[]): { type: 'bundle'; id: string; objects: unknown[] } {
  return { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects }
}
