/**
 * MISP attribute type -> Moat IOC type (specs/misp.md sections 3 and 4). Pure data.
 *
 * Every other MISP type is skipped and counted. Hex-looking types that are not file hashes
 * (`imphash`, `authentihash`, `x509-fingerprint-*`, `ja3-fingerprint-md5` ...) are never typed by
 * length: they are not in this table, so they are skipped before the parser sees them.
 */
import type { IocType } from './ioc'

export interface TypeRule {
  /** The Moat type the value (or the chosen side of a composite) must parse as. */
  moat: IocType
  /** Composite `left|right`: which side holds the indicator. */
  side?: 'left' | 'right'
  /** `filename|<hash>`: the left side is a file name, added to the comment. */
  filename?: true
  /** `ip-*|port`, `hostname|port`: the right side is a port, dropped with a note. */
  port?: true
  /** `uri`: only an absolute URL with a host; a bare path is not an indicator. */
  absoluteOnly?: true
}

export const MISP_TYPE_RULES = {
  'ip-src': { moat: 'ip' },
  'ip-dst': { moat: 'ip' },
  'ip-src|port': { moat: 'ip', side: 'left', port: true },
  'ip-dst|port': { moat: 'ip', side: 'left', port: true },
  domain: { moat: 'domain' },
  hostname: { moat: 'domain' },
  'hostname|port': { moat: 'domain', side: 'left', port: true },
  // The IP half too when the admin asks (domainIpBoth).
  'domain|ip': { moat: 'domain', side: 'left' },
  url: { moat: 'url' },
  uri: { moat: 'url', absoluteOnly: true },
  email: { moat: 'email' },
  'email-src': { moat: 'email' },
  'email-reply-to': { moat: 'email' },
  // Usually the targeted recipient: off unless an admin adds it to the pulled types.
  'email-dst': { moat: 'email' },
  md5: { moat: 'md5' },
  sha1: { moat: 'sha1' },
  sha256: { moat: 'sha256' },
  'filename|md5': { moat: 'md5', side: 'right', filename: true },
  'filename|sha1': { moat: 'sha1', side: 'right', filename: true },
  'filename|sha256': { moat: 'sha256', side: 'right', filename: true },
} as const satisfies Record<string, TypeRule>

export type MispMappedType = keyof typeof MISP_TYPE_RULES
export const MISP_MAPPED_TYPES = Object.keys(MISP_TYPE_RULES) as [MispMappedType, ...MispMappedType[]]

export function isMappedType(type: string): type is MispMappedType {
  return Object.prototype.hasOwnProperty.call(MISP_TYPE_RULES, type)
}
