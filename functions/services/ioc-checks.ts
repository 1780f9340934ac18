import { iocHost, iocIpRange } from '../domain/allowlist'
import type { IocType, IocWarning } from '../domain/ioc'
import { sanityWarnings } from '../domain/sanity'
import { hostSuffixes } from '../domain/warninglist'
import type { Db } from '../env'
import { findAllowlistMatch, type AllowlistRow } from '../repos/allowlist'
import { findWarninglistHits } from '../repos/warninglists'

/** Warnings from normalization that are information only; every other warning needs `confirm`. */
const INFO_ONLY = new Set(['port_dropped'])

export interface IocKeysFull {
  host: string | null
  ipStart: string | null
  ipEnd: string | null
  hostSuffixes: string[]
}

/** The derived columns stored with every IOC and used by allowlist and warninglist lookups. */
export function iocKeys(type: IocType, value: string): IocKeysFull {
  const host = iocHost(type, value)
  const range = iocIpRange(type, value)
  return {
    host,
    ipStart: range?.start ?? null,
    ipEnd: range?.end ?? null,
    hostSuffixes: host && !range ? hostSuffixes(host) : [],
  }
}

export interface SafetyVerdict {
  keys: IocKeysFull
  allowlisted?: AllowlistRow
  /** Warnings the analyst must confirm before the write. */
  confirmable: IocWarning[]
  /** Everything to show, confirmable or not. */
  warnings: IocWarning[]
}

/**
 * The one safety pipeline for every write path (single, bulk, API, MISP): allowlist, built-in
 * sanity checks and imported MISP warninglists.
 */
export async function checkIocSafety(
  db: Db,
  parsed: { type: IocType; value: string; warnings: IocWarning[] },
): Promise<SafetyVerdict> {
  const keys = iocKeys(parsed.type, parsed.value)
  const allowlisted = await findAllowlistMatch(db, { value: parsed.value, ...keys })
  const sanity = sanityWarnings(parsed.type, parsed.value)
  const hits = await findWarninglistHits(db, { value: parsed.value, ...keys })
  const listed = hits.map((h) => ({
    code: 'warninglist',
    message: `${parsed.value} is on the MISP warninglist '${h.list}' (entry ${h.entry})`,
  }))
  const warnings = [...parsed.warnings, ...sanity, ...listed]
  return { keys, allowlisted, warnings, confirmable: warnings.filter((w) => !INFO_ONLY.has(w.code)) }
}
