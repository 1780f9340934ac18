/**
 * Default lifetime per IOC type (setting `iocs.ttlByType`, over `iocs.defaultTtl`). The types are
 * the groups analysts think in and the MISP settings already use: ip, domain, url, email, and
 * `hash` for MD5, SHA-1 and SHA-256 alike (a file hash ages the same whatever its algorithm).
 * A group without an override takes `iocs.defaultTtl`; a TTL the submitter gives always wins.
 */
import type { IocType } from './ioc'
import { isTtlPreset, type TtlPreset } from './ttl'

export const TTL_TYPE_GROUPS = ['ip', 'domain', 'url', 'email', 'hash'] as const
export type TtlTypeGroup = (typeof TTL_TYPE_GROUPS)[number]
export type TtlByType = Partial<Record<TtlTypeGroup, TtlPreset>>

export function ttlGroupOf(type: IocType): TtlTypeGroup {
  return type === 'md5' || type === 'sha1' || type === 'sha256' ? 'hash' : type
}

/** Only known groups with a valid preset survive (a hand-edited settings row cannot break writes). */
export function cleanTtlByType(value: unknown): TtlByType {
  const out: TtlByType = {}
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out
  for (const group of TTL_TYPE_GROUPS) {
    const ttl = (value as Record<string, unknown>)[group]
    if (isTtlPreset(ttl)) out[group] = ttl
  }
  return out
}

/** The lifetime a new IOC of this type gets when its submitter names none. */
export function defaultTtlFor(type: IocType, byType: TtlByType, fallback: TtlPreset): TtlPreset {
  return byType[ttlGroupOf(type)] ?? fallback
}
