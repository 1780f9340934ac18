import ipaddr from 'ipaddr.js'

/**
 * First and last address of an IP or network as fixed-width (32 lowercase hex digits) keys in one
 * IPv6 space, IPv4 mapped to `::ffff:a.b.c.d`. Equal-length hex compares like the number, so the
 * database tests containment and overlap with plain string comparison. `version` is the family
 * the value was written in; `::ffff:10.0.0.1` (version 6) and `10.0.0.1` share one key on purpose.
 */
export interface IpRange {
  start: string
  end: string
  version: 4 | 6
}

const MAPPED_PREFIX = '00000000000000000000ffff'

function toHex(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Bytes of a strict address: dotted-quad IPv4 without leading zeros, or IPv6 without zone id. */
function addressBytes(address: string): { bytes: number[]; version: 4 | 6 } | null {
  if (address.includes(':')) {
    if (address.includes('%') || !ipaddr.IPv6.isValid(address)) return null
    return { bytes: ipaddr.IPv6.parse(address).toByteArray(), version: 6 }
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return null
  const v4 = ipaddr.IPv4.parse(address).toByteArray()
  return { bytes: [...Array<number>(10).fill(0), 0xff, 0xff, ...v4], version: 4 }
}

/**
 * Range of a bare address or a CIDR (any prefix, /0 included). Host bits below the prefix are
 * ignored (`10.1.2.3/8` covers 10.0.0.0-10.255.255.255), as warninglists are not always strict.
 * Null for anything that is not an address.
 */
export function ipRange(valueOrCidr: string): IpRange | null {
  const text = valueOrCidr.trim()
  const slash = text.indexOf('/')
  const address = slash < 0 ? text : text.slice(0, slash)
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1)
  const parsed = addressBytes(address)
  if (!parsed) return null
  const bits = parsed.version === 4 ? 32 : 128
  let prefix = bits
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return null
    prefix = Number(prefixText)
  }
  // In the shared 128-bit space an IPv4 prefix sits behind the 96-bit mapped prefix.
  const fixed = prefix + (128 - bits)
  const start: number[] = []
  const end: number[] = []
  parsed.bytes.forEach((byte, i) => {
    const keep = Math.min(8, Math.max(0, fixed - i * 8))
    const mask = (0xff << (8 - keep)) & 0xff
    start.push(byte & mask)
    end.push((byte & mask) | (~mask & 0xff))
  })
  return { start: toHex(start), end: toHex(end), version: parsed.version }
}

/** True when every address of `inner` is in `outer`. */
export function rangeContains(
  outer: Pick<IpRange, 'start' | 'end'>,
  inner: Pick<IpRange, 'start' | 'end'>,
): boolean {
  return outer.start <= inner.start && inner.end <= outer.end
}

/** True when the two ranges share at least one address. */
export function rangesOverlap(
  a: Pick<IpRange, 'start' | 'end'>,
  b: Pick<IpRange, 'start' | 'end'>,
): boolean {
  return a.start <= b.end && b.start <= a.end
}

/** True when the range lies inside `::ffff:0:0/96`, i.e. it is (or maps) IPv4. */
export function isIpv4Space(range: Pick<IpRange, 'start' | 'end'>): boolean {
  return range.start.startsWith(MAPPED_PREFIX) && range.end.startsWith(MAPPED_PREFIX)
}
