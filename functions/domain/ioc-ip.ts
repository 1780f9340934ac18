import ipaddr from 'ipaddr.js'
import { fail, pass, quote, type Normalized } from './ioc-result'
import type { IocWarning } from './ioc'

const IPV4_ERROR = 'not a valid IPv4 address'
const IPV6_ERROR = 'not a valid IPv6 address'

/** Checks a dotted quad octet by octet, so the error names the octet that is wrong. */
export function normalizeIpv4(address: string): Normalized {
  const octets = address.split('.')
  if (octets.length !== 4) {
    return fail('invalid_ipv4', `${IPV4_ERROR}: expected 4 octets, got ${octets.length}`)
  }
  for (const octet of octets) {
    if (octet === '') return fail('invalid_ipv4', `${IPV4_ERROR}: empty octet`, { part: '' })
    // ipaddr.js would read 0x7f and 010 as hex and octal; a feed device may read them as decimal.
    if (/^0x/i.test(octet)) {
      return fail('invalid_ipv4', `${IPV4_ERROR}: hex octet '${octet}' (write it in decimal)`, {
        part: octet,
      })
    }
    if (!/^\d+$/.test(octet)) {
      return fail('invalid_ipv4', `${IPV4_ERROR}: octet ${quote(octet)} is not a number`, {
        part: octet,
      })
    }
    if (octet.length > 1 && octet.startsWith('0')) {
      return fail(
        'ambiguous_leading_zero',
        `${IPV4_ERROR}: octet '${octet}' has a leading zero, which some systems read as octal`,
        { part: octet },
      )
    }
    if (Number(octet) > 255) {
      return fail('invalid_ipv4', `${IPV4_ERROR}: octet ${octet} > 255`, { part: octet })
    }
  }
  return pass(octets.join('.'))
}

/** RFC 5952 text, except IPv4-mapped addresses keep the dotted tail RFC 5952 section 5 asks for. */
function formatIpv6(ip: ipaddr.IPv6): string {
  if (ip.isIPv4MappedAddress()) return `::ffff:${ip.toIPv4Address().toString()}`
  return ip.toRFC5952String()
}

export function normalizeIpv6(address: string): Normalized {
  const zone = address.indexOf('%')
  if (zone >= 0) {
    const id = address.slice(zone)
    return fail('invalid_ipv6', `${IPV6_ERROR}: zone id ${quote(id)} is host-local`, { part: id })
  }
  const bad = /[^0-9a-f:.]/i.exec(address)
  if (bad) return fail('invalid_ipv6', `${IPV6_ERROR}: character '${bad[0]}'`, { part: bad[0] })
  if (address.indexOf('::') !== address.lastIndexOf('::')) {
    return fail('invalid_ipv6', `${IPV6_ERROR}: '::' appears more than once`, { part: '::' })
  }
  const groups = address.split(':')
  const tail = groups[groups.length - 1]
  for (const group of groups.slice(0, -1)) {
    if (group.length > 4) {
      return fail('invalid_ipv6', `${IPV6_ERROR}: group '${group}' has more than 4 hex digits`, {
        part: group,
      })
    }
  }
  if (tail.includes('.')) {
    const v4 = normalizeIpv4(tail)
    if (!v4.ok) return v4
  } else if (tail.length > 4) {
    return fail('invalid_ipv6', `${IPV6_ERROR}: group '${tail}' has more than 4 hex digits`, {
      part: tail,
    })
  }
  if (!ipaddr.IPv6.isValid(address)) {
    return fail('invalid_ipv6', `${IPV6_ERROR}: wrong number of groups`)
  }
  return pass(formatIpv6(ipaddr.IPv6.parse(address)))
}

/** Validates a port the IOC carried; the caller decides whether to drop it. */
export function checkPort(port: string): Normalized {
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return fail('invalid_port', `port ${quote(port)} is not between 1 and 65535`, { part: port })
  }
  return pass(String(Number(port)))
}

export function portDropped(port: string): IocWarning {
  return {
    code: 'port_dropped',
    message: `port ${port} dropped: the indicator covers the host on every port`,
  }
}

/** Splits `[v6]:port`, `[v6]`, `v4:port` and `addr/prefix` into their parts. */
function splitIp(value: string): { address: string; port?: string; prefix?: string } {
  if (value.startsWith('[')) {
    const close = value.indexOf(']')
    if (close > 0 && (close === value.length - 1 || value[close + 1] === ':')) {
      const port = close === value.length - 1 ? undefined : value.slice(close + 2)
      return { address: value.slice(1, close), port }
    }
  }
  const slash = value.indexOf('/')
  if (slash >= 0) return { address: value.slice(0, slash), prefix: value.slice(slash + 1) }
  const colon = value.indexOf(':')
  if (colon >= 0 && colon === value.lastIndexOf(':')) {
    return { address: value.slice(0, colon), port: value.slice(colon + 1) }
  }
  return { address: value }
}

/** The network that `bytes/prefix` belongs to, as canonical text. */
function networkOf(bytes: number[], prefix: number): string {
  const masked = bytes.map((byte, i) => {
    const keep = Math.min(8, Math.max(0, prefix - i * 8))
    return byte & (0xff << (8 - keep)) & 0xff
  })
  const ip = ipaddr.fromByteArray(masked)
  return ip.kind() === 'ipv6' ? formatIpv6(ip as ipaddr.IPv6) : ip.toString()
}

/** Normalizes an `ip` IOC: an IPv4 or IPv6 address, with an optional port, or a CIDR network. */
export function normalizeIp(value: string): Normalized {
  const { address, port, prefix } = splitIp(value)
  const isV6 = address.includes(':')
  const normalized = isV6 ? normalizeIpv6(address) : normalizeIpv4(address)
  if (!normalized.ok) return normalized
  const canonical = normalized.value
  const warnings: IocWarning[] = []
  if (port !== undefined && port !== '') {
    const checked = checkPort(port)
    if (!checked.ok) return checked
    warnings.push(portDropped(checked.value))
  }
  if (prefix === undefined) return pass(canonical, warnings)
  const bits = isV6 ? 128 : 32
  if (!/^\d{1,3}$/.test(prefix)) {
    return fail('invalid_cidr', `not a valid CIDR: prefix ${quote(prefix)} is not a number`, {
      part: prefix,
    })
  }
  if (Number(prefix) > bits) {
    return fail('invalid_cidr', `not a valid CIDR: prefix /${prefix} > ${bits}`, { part: prefix })
  }
  const length = Number(prefix)
  if (length === bits) return pass(canonical, warnings)
  const network = networkOf(ipaddr.parse(canonical).toByteArray(), length)
  if (network !== canonical) {
    const suggestion = `${network}/${length}`
    const message = `host bits set in ${canonical}/${length}: the network is ${suggestion}`
    return fail('cidr_host_bits', message, { part: canonical, suggestion })
  }
  return pass(`${canonical}/${length}`, warnings)
}

/** True for a canonical `ip` value that is a network (`10.0.0.0/8`) rather than one address. */
export function isCidr(value: string): boolean {
  return value.includes('/') && ipaddr.isValidCIDR(value)
}
