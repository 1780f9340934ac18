/**
 * Collapsing IP feed entries (pure): a firewall counts one entry per line, so adjacent and
 * overlapping addresses and networks are merged into the fewest CIDRs, or into `start-end`
 * ranges where the device accepts them (PAN-OS IP EDL, Check Point IoC "IP Range" and Network
 * Feed; specs/feeds.md sections 2.2, 3.1, 3.3). Addresses are BigInt so IPv6 (128 bits) is exact.
 * IPv4 and IPv6 are separate spaces and never merge with each other.
 */
import ipaddr from 'ipaddr.js'

export interface Net {
  version: 4 | 6
  start: bigint
  end: bigint
}

export type CollapseMode = 'cidr' | 'range'

const BITS = { 4: 32, 6: 128 } as const

function toBig(bytes: number[]): bigint {
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  return n
}

function fromBig(version: 4 | 6, n: bigint): string {
  const len = version === 4 ? 4 : 16
  const bytes: number[] = []
  for (let i = 0; i < len; i++) bytes.unshift(Number((n >> BigInt(8 * i)) & 0xffn))
  return ipaddr.fromByteArray(bytes).toString()
}

/**
 * An address or CIDR as a range of numbers; host bits below the prefix are ignored. Null for
 * anything else (an IPv4-mapped IPv6 address stays IPv6: it is written that way).
 */
export function parseNet(value: string): (Net & { prefix: number }) | null {
  const text = value.trim()
  const slash = text.indexOf('/')
  const address = slash < 0 ? text : text.slice(0, slash)
  let version: 4 | 6
  let bytes: number[]
  if (address.includes(':')) {
    if (address.includes('%') || !ipaddr.IPv6.isValid(address)) return null
    version = 6
    bytes = ipaddr.IPv6.parse(address).toByteArray()
  } else {
    if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return null
    version = 4
    bytes = ipaddr.IPv4.parse(address).toByteArray()
  }
  const bits: number = BITS[version]
  let prefix = bits
  if (slash >= 0) {
    const p = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return null
    prefix = Number(p)
  }
  const hostBits = BigInt(bits - prefix)
  const size = 1n << hostBits
  const start = (toBig(bytes) >> hostBits) << hostBits
  return { version, start, end: start + size - 1n, prefix }
}

/** Sorted (IPv4 first, then by start), overlapping and adjacent ranges merged. */
export function mergeNets(nets: Net[]): Net[] {
  const sorted = [...nets].sort((a, b) => a.version - b.version || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  const out: Net[] = []
  for (const n of sorted) {
    const last = out[out.length - 1]
    if (last && last.version === n.version && n.start <= last.end + 1n) {
      if (n.end > last.end) last.end = n.end
    } else out.push({ ...n })
  }
  return out
}

/** The fewest CIDR blocks covering exactly `net` (a full-length prefix is written as a bare address). */
export function netToCidrs(net: Net): string[] {
  const bits = BITS[net.version]
  const out: string[] = []
  let start = net.start
  while (start <= net.end) {
    // The largest block aligned at `start` (start 0 is aligned to the whole space)...
    let size = start === 0n ? 1n << BigInt(bits) : start & -start
    // ...that does not run past the end.
    while (size > net.end - start + 1n) size >>= 1n
    let hostBits = 0
    while (1n << BigInt(hostBits) < size) hostBits++
    const prefix = bits - hostBits
    out.push(prefix === bits ? fromBig(net.version, start) : `${fromBig(net.version, start)}/${prefix}`)
    start += size
  }
  return out
}

/** One entry for `net`: a bare address, a CIDR when it is exactly one block, else `start-end`. */
export function netToRange(net: Net): string {
  if (net.start === net.end) return fromBig(net.version, net.start)
  const cidrs = netToCidrs(net)
  return cidrs.length === 1 ? cidrs[0] : `${fromBig(net.version, net.start)}-${fromBig(net.version, net.end)}`
}

export interface Collapsed {
  /** The entries, IPv4 first, each in ascending order. */
  entries: string[]
  /** Values that are not an address or CIDR (left out). */
  invalid: string[]
}

/** Collapses addresses and CIDRs into the fewest CIDRs (`cidr`) or ranges (`range`). */
export function collapseIps(values: string[], mode: CollapseMode): Collapsed {
  const nets: Net[] = []
  const invalid: string[] = []
  for (const v of values) {
    const n = parseNet(v)
    if (n) nets.push({ version: n.version, start: n.start, end: n.end })
    else invalid.push(v)
  }
  const merged = mergeNets(nets)
  const entries = mode === 'cidr' ? merged.flatMap(netToCidrs) : merged.map(netToRange)
  return { entries, invalid }
}

/** True when `value` is an address or CIDR wider than the allowed prefix of its family. */
export function widerThan(value: string, maxV4: number, maxV6: number): boolean {
  const n = parseNet(value)
  return n !== null && n.prefix < (n.version === 4 ? maxV4 : maxV6)
}

/** An IPv4 range as `a.b.c.d-e.f.g.h` (Check Point "IP Range"), or null for IPv6. */
export function ipv4RangeText(net: Net): string | null {
  if (net.version !== 4) return null
  return `${fromBig(4, net.start)}-${fromBig(4, net.end)}`
}
