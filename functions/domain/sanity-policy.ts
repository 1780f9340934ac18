/**
 * Critical sanity hits and the sanity mode (specs/ioc-rules-predecessor.md section 5, "Critical
 * (blocking)"; DESIGN.md section 3). Most sanity warnings are judgement calls an analyst may
 * confirm; a few name values that are never a sensible block, whatever the incident: putting them
 * in a feed breaks the network or every endpoint for everyone. Those are CRITICAL, and the setting
 * `iocs.sanityMode` says who may still confirm them:
 *
 * - `block_all`        nobody: the write is refused (422 `critical_blocked`), admins included
 * - `block_non_admin`  (default, as ZIoCHub's `sanity_check_mode`) analysts, API tokens of
 *                      non-admin users and the MISP system user are refused; an admin may confirm
 * - `warn_all`         critical hits are ordinary warnings anyone may confirm
 *
 * The fixed critical set (codes of domain/sanity.ts; a code is critical on every IOC type that
 * raises it, so a URL or email on a registry zone or on a resolver's address counts too, as in
 * ZIoCHub, which checked Domain and URL):
 * - `public_suffix`    a registry zone (`co.uk`, `gov.il`): blocks every domain registered under it.
 *                      A bare TLD (`com`, `.com`) never gets this far: the parser refuses a domain
 *                      with one label (`unrecognized` / `invalid_domain`) for everyone.
 * - `public_resolver`  8.8.8.8, 1.1.1.1, 9.9.9.9... or a network containing one: breaks name
 *                      resolution for every client that uses it (ZIoCHub's "critical infrastructure")
 * - `unspecified_ip`   0.0.0.0 / :: (or a network over it): the sinkhole answer of DNS filters and
 *                      sandboxes, never an attacker's address; as a network it is "everything"
 * - `loopback_ip`      127/8, ::1: the host itself; a sinkhole answer, never remote infrastructure
 * - `broadcast_ip`     255.255.255.255: the local segment's broadcast (DHCP), never an attacker
 * - `empty_file_hash`  MD5 / SHA-1 / SHA-256 of the empty file: an EDR would act on every empty
 *                      file on every endpoint
 * Not critical (judgement calls, stay confirmable): private, CGNAT, link-local, multicast,
 * documentation and reserved ranges, wide CIDRs (their threshold is a setting), well-known and
 * short domains (a subdomain or URL on them is often a real indicator), special-use names, and
 * MISP warninglist hits (lists such as tranco10k are far too broad to block on).
 */
import type { IocWarning } from './ioc'

export const SANITY_MODES = ['block_all', 'block_non_admin', 'warn_all'] as const
export type SanityMode = (typeof SANITY_MODES)[number]
export const DEFAULT_SANITY_MODE: SanityMode = 'block_non_admin'

export const CRITICAL_CODES: ReadonlySet<string> = new Set([
  'public_suffix',
  'public_resolver',
  'unspecified_ip',
  'loopback_ip',
  'broadcast_ip',
  'empty_file_hash',
])

export function isCriticalCode(code: string): boolean {
  return CRITICAL_CODES.has(code)
}

/** The critical hits among a value's warnings (empty when none). */
export function criticalWarnings(warnings: readonly IocWarning[]): IocWarning[] {
  return warnings.filter((w) => CRITICAL_CODES.has(w.code))
}

/** Whether critical hits refuse a write by someone with this role under this mode. */
export function criticalBlocks(mode: SanityMode, role: 'admin' | 'analyst' | 'viewer'): boolean {
  if (mode === 'warn_all') return false
  if (mode === 'block_all') return true
  return role !== 'admin'
}

export function isSanityMode(value: unknown): value is SanityMode {
  return typeof value === 'string' && (SANITY_MODES as readonly string[]).includes(value)
}

/** A stored mode, or the default for anything else (a hand-edited row never turns blocking off). */
export function sanityModeOf(value: unknown): SanityMode {
  return isSanityMode(value) ? value : DEFAULT_SANITY_MODE
}

/** The end of a refusal's message (also built in SQL by services/imports.ts for staged rows). */
export function whoMayConfirm(mode: SanityMode): string {
  return mode === 'block_all' ? 'nobody may confirm it' : 'only an admin may confirm it'
}

/** Why a write is refused: the first critical hit, as the field error of `value` (null = allowed). */
export function criticalRefusal(
  warnings: readonly IocWarning[],
  mode: SanityMode,
  role: 'admin' | 'analyst' | 'viewer',
): { code: 'critical_blocked'; field: 'value'; message: string; part: string } | null {
  if (!criticalBlocks(mode, role)) return null
  const [hit] = criticalWarnings(warnings)
  if (!hit) return null
  return { code: 'critical_blocked', field: 'value', message: `${hit.message} (a critical sanity hit, ${hit.code}: ${whoMayConfirm(mode)})`, part: hit.code }
}
