/**
 * IOC rules (DESIGN.md section 3): clean, refang, detect, normalize. Pure code: it runs in Node,
 * in workerd and in the browser (instant preview), so no I/O and no `node:` imports.
 *
 * Error codes (`IocError.code`; `part` names the offending piece, `suggestion` a corrected value):
 * - `empty`                  nothing left after cleaning
 * - `too_long`               more than MAX_IOC_LENGTH characters
 * - `unrecognized`           no type matches (version strings, ATT&CK ids, AV names, paths)
 * - `type_mismatch`          the caller named a type and the value looks like another one; `part`
 *                            is the detected type, for the UI's translated message
 * - `invalid_ipv4`           wrong octet count, octet > 255, hex or non-numeric octet
 * - `ambiguous_leading_zero` an IPv4 octet such as `010` (octal or decimal?)
 * - `invalid_ipv6`           bad group, repeated `::`, zone id, wrong group count
 * - `invalid_cidr`           prefix not a number or wider than the address
 * - `cidr_host_bits`         `10.1.2.3/24` has host bits set; `suggestion` is `10.1.2.0/24`
 * - `invalid_port`           port not in 1-65535
 * - `invalid_label`          empty, too long, bad character, leading/trailing `-`, wildcard `*.`
 * - `invalid_tld`            TLD not alphabetic, one letter, or an unknown two-letter code
 * - `invalid_domain`         fewer than two labels, or longer than 253 characters
 * - `file_name`              the "TLD" is a file extension that is not a TLD (`invoice.pdf`)
 * - `invalid_url`            no host, malformed host, whitespace or control characters
 * - `invalid_email`          bad local part (the domain half reports domain codes)
 * - `invalid_hash`           hex of a length that is no supported hash, or not hex
 *
 * Warning codes (`IocWarning.code`; the value is still accepted):
 * - `port_dropped`           `1.2.3.4:443`, `[v6]:443` or `host:8080` stored without the port
 * - `file_extension_tld`     a real TLD that is also a file extension (`.zip`, `.mov`, `.py` ...)
 */
import { cleanIoc, count, refang } from './ioc-clean'
import { normalizeDomainIoc } from './ioc-domain'
import { normalizeEmail } from './ioc-email'
import { normalizeIp } from './ioc-ip'
import { fail, pass, quote, type Normalized } from './ioc-result'
import { normalizeUrl } from './ioc-url'

export { cleanIoc, refang } from './ioc-clean'
export { isCidr } from './ioc-ip'

export const IOC_TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const
export type IocType = (typeof IOC_TYPES)[number]
export interface IocWarning {
  code: string
  message: string
}
export interface IocError {
  code: string
  message: string
  part?: string
  suggestion?: string
}
export type ParsedIoc =
  | { ok: true; type: IocType; value: string; warnings: IocWarning[] }
  | { ok: false; error: IocError }
export type ParseLineItem =
  | { line: number; raw: string; type: IocType; value: string; warnings: IocWarning[] }
  | { line: number; raw: string; error: IocError }

/** Longest value parsed; long phishing URLs fit, a pasted binary blob does not. */
export const MAX_IOC_LENGTH = 8192

const TYPE_NAMES: Record<IocType, string> = {
  ip: 'an IP address',
  domain: 'a domain',
  url: 'a URL',
  email: 'an email address',
  md5: 'an MD5 hash',
  sha1: 'a SHA-1 hash',
  sha256: 'a SHA-256 hash',
}
const HASH_LENGTHS: Record<string, number> = { md5: 32, sha1: 40, sha256: 64 }
const HASH_BY_LENGTH: Record<number, IocType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' }

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i
const IPV4_ISH = '(?:0x[0-9a-f]*|\\d+)(?:\\.(?:0x[0-9a-f]*|\\d+)){3}'
const IPV4_LIKE = new RegExp(`^${IPV4_ISH}(?::\\d*)?$`, 'i')
const IPV4_CIDR = new RegExp(`^${IPV4_ISH}/\\d+$`, 'i')
const IPV6_LIKE = /^[0-9a-f:.]+(?:%[0-9a-z._~-]+)?(?:\/\d+)?$/i
const BRACKETED_IPV6 = /^\[[0-9a-f:.]+(?:%[0-9a-z._~-]+)?\](?::\d*)?$/i
// A host (maybe with userinfo and port) directly followed by a path or a query.
const SCHEMELESS_URL = /^(?:[^\s/?#@]+@)?(\[[0-9a-f:.]+\]|[^\s/?#@:[\]]+)(?::\d*)?[/?]/i
const EMAIL_LIKE = /^(?:mailto:)?[^\s@]+@[^\s@/?#]+$/i
const DOMAIN_LIKE = /^[^\s/?#@\\:[\]]+(?::\d*)?$/
const HEX = /^[0-9a-f]+$/i

/** A dotted name whose last label has a letter: `evil.com`, `invoice.pdf`, but not `1.2.3.4.5`. */
function hasNamedTld(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  const dot = name.lastIndexOf('.')
  return dot > 0 && /[a-z]|[^\x00-\x7f]/i.test(name.slice(dot + 1))
}

function isIpv6Like(value: string): boolean {
  return (BRACKETED_IPV6.test(value) || IPV6_LIKE.test(value)) && count(value, ':') >= 2
}

/**
 * Rule 3 on a cleaned, refanged value: the type its shape says, first match wins (URL, email, IP,
 * hash, domain). Shape only: `invoice.pdf` is detected as a domain and rejected by `parseIoc`.
 */
export function detectIocType(value: string): IocType | null {
  if (SCHEME.test(value)) return 'url'
  // `10.0.0.0/8` is a network, not a host followed by a path.
  if (IPV4_CIDR.test(value)) return 'ip'
  if (value.includes(':') && value.includes('/') && IPV6_LIKE.test(value)) return 'ip'
  const url = SCHEMELESS_URL.exec(value)
  if (url && (url[1].startsWith('[') || IPV4_LIKE.test(url[1]) || hasNamedTld(url[1]))) return 'url'
  if (EMAIL_LIKE.test(value)) return 'email'
  if (IPV4_LIKE.test(value) || isIpv6Like(value)) return 'ip'
  if (HEX.test(value) && HASH_BY_LENGTH[value.length]) return HASH_BY_LENGTH[value.length]
  if (DOMAIN_LIKE.test(value) && hasNamedTld(value.replace(/:\d*$/, ''))) return 'domain'
  return null
}

function normalizeHash(type: IocType, value: string): Normalized {
  const bad = /[^0-9a-f]/i.exec(value)
  if (bad) return fail('invalid_hash', `not a valid hash: '${bad[0]}' is not hex`, { part: bad[0] })
  const want = HASH_LENGTHS[type]
  if (value.length !== want) {
    const message = `not ${TYPE_NAMES[type]}: ${value.length} hex characters, expected ${want}`
    return fail('invalid_hash', message)
  }
  return pass(value.toLowerCase())
}

const NORMALIZERS: Record<IocType, (value: string) => Normalized> = {
  ip: normalizeIp,
  domain: normalizeDomainIoc,
  url: normalizeUrl,
  email: normalizeEmail,
  md5: (value) => normalizeHash('md5', value),
  sha1: (value) => normalizeHash('sha1', value),
  sha256: (value) => normalizeHash('sha256', value),
}

/** Says what an unrecognized value looks like, so the analyst sees why it is not an IOC. */
function explainUnrecognized(value: string): Normalized {
  const say = (why: string, suggestion?: string) =>
    fail('unrecognized', `not an IOC: ${quote(value)} ${why}`, { suggestion })
  if (/\s/.test(value)) return say('contains whitespace (one indicator per line)')
  if (/^t[ab]?\d{4}(?:\.\d{3})?$/i.test(value)) return say('looks like a MITRE ATT&CK technique id')
  if (/^\d+(?:\.\d+){3}\.$/.test(value)) {
    return say('is an IPv4 address with a trailing dot', value.slice(0, -1))
  }
  if (/^\d+(?:\.\d+)+$/.test(value)) {
    return say(`looks like a version number (${count(value, '.') + 1} parts; IPv4 has 4)`)
  }
  if (HEX.test(value) && value.length >= 20) {
    const sha512 = value.length === 128 ? ' (SHA-512 is not supported)' : ''
    return fail(
      'invalid_hash',
      `not a valid hash: ${value.length} hex characters; MD5 has 32, SHA-1 40, SHA-256 64${sha512}`,
    )
  }
  if (value.startsWith('/')) return say('looks like a URL path without a host')
  if (/^[a-z0-9-]+\/\S/i.test(value)) {
    return say('looks like an AV detection name (such as Win32/Agent.A)')
  }
  if (value.includes('\\') || /%[a-z_]+%/i.test(value)) return say('looks like a file path')
  if (!value.includes('.') && !value.includes('@')) {
    return say('has no dot: a domain needs two labels')
  }
  return say('is not a URL, email address, IP address, hash or domain')
}

/** Rules 1-6: one raw value in, its type and canonical value (or the rule it broke) out. */
export function parseIoc(raw: string, opts: { type?: IocType } = {}): ParsedIoc {
  const cleaned = cleanIoc(raw)
  if (cleaned === '') return fail('empty', 'nothing to parse')
  if (cleaned.length > MAX_IOC_LENGTH) {
    return fail('too_long', `${cleaned.length} characters (max ${MAX_IOC_LENGTH})`)
  }
  const value = refang(cleaned)
  const detected = detectIocType(value)
  const wanted = opts.type
  if (wanted && detected && detected !== wanted) {
    return fail('type_mismatch', `looks like ${TYPE_NAMES[detected]}, not ${TYPE_NAMES[wanted]}`, {
      part: detected,
    })
  }
  const type = wanted ?? detected
  // With an explicit type, an odd value still goes through that type's rules for a precise error.
  const result = type ? NORMALIZERS[type](value) : explainUnrecognized(value)
  if (!result.ok) return result
  return { ok: true, type: type as IocType, value: result.value, warnings: result.warnings }
}

/** Index of a `#` comment that follows whitespace (`1.2.3.4 # scanner`), or -1. */
function inlineCommentAt(line: string): number {
  for (let at = line.indexOf('#'); at >= 0; at = line.indexOf('#', at + 1)) {
    if (at > 0 && /\s/.test(line[at - 1])) return at
  }
  return -1
}

/**
 * Runs `parseIoc` over each non-empty line that does not start with `#`; line numbers are 1-based
 * as in the input. A trailing ` # comment` (blocklist style) is not part of the value.
 */
export function parseIocLines(text: string, opts: { type?: IocType } = {}): ParseLineItem[] {
  const items: ParseLineItem[] = []
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const comment = inlineCommentAt(trimmed)
    const parsed = parseIoc(comment < 0 ? trimmed : trimmed.slice(0, comment), opts)
    const line = index + 1
    items.push(
      parsed.ok
        ? { line, raw, type: parsed.type, value: parsed.value, warnings: parsed.warnings }
        : { line, raw, error: parsed.error },
    )
  })
  return items
}
