/**
 * Built-in sanity checks (DESIGN.md section 3, "Safety checks on every write"): values that are
 * valid IOCs but rarely what an analyst means to block. Every warning needs explicit confirmation.
 * Input is a canonical value from `parseIoc`; anything else simply yields fewer warnings.
 *
 * Warning codes (`IocWarning.code`):
 * - `private_ip`          RFC 1918 (10/8, 172.16/12, 192.168/16) or IPv6 unique-local fc00::/7
 * - `cgnat_ip`            carrier-grade NAT 100.64.0.0/10 (RFC 6598)
 * - `loopback_ip`         127/8, ::1
 * - `link_local_ip`       169.254/16, fe80::/10
 * - `multicast_ip`        224/4, ff00::/8
 * - `broadcast_ip`        255.255.255.255
 * - `unspecified_ip`      0.0.0.0, ::
 * - `documentation_ip`    192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
 * - `benchmarking_ip`     198.18/15, 2001:2::/48
 * - `reserved_ip`         0/8, 192.0.0/24, 192.88.99/24, 240/4, ::/96, 100::/64, fec0::/10, and any
 *                         other IPv6 outside the global unicast space 2000::/3
 * - `ipv4_mapped_ip`      `::ffff:a.b.c.d`: devices match the IPv4 form, not this one
 * - `wide_cidr`           IPv4 prefix shorter than /16, IPv6 shorter than /32 (configurable)
 * - `public_resolver`     a well-known public DNS resolver, or a network containing one
 * - `special_use_domain`  reserved names: .local, .localhost, .test, .invalid, .example, .internal,
 *                         .arpa, .lan, .home, .corp, .localdomain, example.com/.net/.org
 * - `public_suffix`       the host looks like a registry zone (`co.uk`, `com.au`, `gov.il`)
 * - `short_domain`        the registrable label (below the TLD or below a `co.uk`-style suffix)
 *                         has at most 2 characters: `t.co`, `ok.ru`, `ab.co.uk`
 * - `well_known_domain`   a top site or infrastructure domain, a subdomain of one, or a URL or
 *                         email address on one
 * - `empty_file_hash`     MD5 / SHA-1 / SHA-256 of the empty file
 *
 * A bare address gets the most specific special range only; a CIDR gets one warning per code it
 * overlaps. IP checks also apply to a URL whose host is an IP address, domain checks to the host
 * of a URL and the domain of an email address.
 */
import { iocHost } from './allowlist'
import type { IocType, IocWarning } from './ioc'
import { ipRange, isIpv4Space, rangeContains, rangesOverlap, type IpRange } from './ip-range'

export interface SanityOptions {
  /** IPv4 networks with a shorter prefix warn (default 16: /8 warns, /16 does not). */
  maxIpv4Prefix?: number
  /** IPv6 networks with a shorter prefix warn (default 32). */
  maxIpv6Prefix?: number
}

interface SpecialRange extends IpRange {
  cidr: string
  code: string
  /** What one address is (`a private address (RFC 1918)`). */
  one: string
  /** What the range holds (`private addresses (RFC 1918)`). */
  many: string
}

function mustRange(cidr: string): IpRange {
  const range = ipRange(cidr)
  if (!range) throw new Error(`bad built-in range ${cidr}`)
  return range
}

// What one address of a kind is, and what a network of that kind holds.
const KINDS: Record<string, [code: string, one: string, many: string]> = {
  unspecified: ['unspecified_ip', 'the unspecified address', 'the unspecified address'],
  thisNetwork: ['reserved_ip', 'a "this network" address', '"this network" addresses'],
  private: ['private_ip', 'a private address', 'private addresses'],
  uniqueLocal: ['private_ip', 'a unique-local address', 'unique-local addresses'],
  cgnat: ['cgnat_ip', 'a carrier-grade NAT address', 'carrier-grade NAT addresses'],
  loopback: ['loopback_ip', 'a loopback address', 'loopback addresses'],
  linkLocal: ['link_local_ip', 'a link-local address', 'link-local addresses'],
  documentation: ['documentation_ip', 'a documentation address', 'documentation addresses'],
  benchmarking: ['benchmarking_ip', 'a benchmarking address', 'benchmarking addresses'],
  multicast: ['multicast_ip', 'a multicast address', 'multicast addresses'],
  broadcast: ['broadcast_ip', 'the broadcast address', 'the broadcast address'],
  ietf: ['reserved_ip', 'an IETF protocol address', 'IETF protocol addresses'],
  relay: ['reserved_ip', 'a 6to4 relay anycast address', '6to4 relay addresses'],
  reserved: ['reserved_ip', 'a reserved address', 'reserved addresses'],
  compatible: ['reserved_ip', 'an IPv4-compatible address', 'IPv4-compatible addresses'],
  discard: ['reserved_ip', 'a discard-only address', 'discard-only addresses'],
  siteLocal: ['reserved_ip', 'a site-local address', 'site-local addresses'],
}

// Most specific first: a bare address reports the first range that contains it.
const SPECIAL_TABLE: [cidr: string, kind: string, rfc: string][] = [
  ['0.0.0.0', 'unspecified', 'RFC 1122'],
  ['0.0.0.0/8', 'thisNetwork', 'RFC 1122'],
  ['10.0.0.0/8', 'private', 'RFC 1918'],
  ['100.64.0.0/10', 'cgnat', 'RFC 6598'],
  ['127.0.0.0/8', 'loopback', 'RFC 1122'],
  ['169.254.0.0/16', 'linkLocal', 'RFC 3927'],
  ['172.16.0.0/12', 'private', 'RFC 1918'],
  ['192.0.0.0/24', 'ietf', 'RFC 6890'],
  ['192.0.2.0/24', 'documentation', 'RFC 5737'],
  ['192.88.99.0/24', 'relay', 'RFC 7526'],
  ['192.168.0.0/16', 'private', 'RFC 1918'],
  ['198.18.0.0/15', 'benchmarking', 'RFC 2544'],
  ['198.51.100.0/24', 'documentation', 'RFC 5737'],
  ['203.0.113.0/24', 'documentation', 'RFC 5737'],
  ['224.0.0.0/4', 'multicast', 'RFC 5771'],
  ['255.255.255.255', 'broadcast', 'RFC 919'],
  ['240.0.0.0/4', 'reserved', 'RFC 1112'],
  ['::', 'unspecified', 'RFC 4291'],
  ['::1', 'loopback', 'RFC 4291'],
  ['::/96', 'compatible', 'RFC 4291'],
  ['100::/64', 'discard', 'RFC 6666'],
  ['2001:2::/48', 'benchmarking', 'RFC 5180'],
  ['2001:db8::/32', 'documentation', 'RFC 3849'],
  ['3fff::/20', 'documentation', 'RFC 9637'],
  ['fc00::/7', 'uniqueLocal', 'RFC 4193'],
  ['fe80::/10', 'linkLocal', 'RFC 4291'],
  ['fec0::/10', 'siteLocal', 'RFC 3879'],
  ['ff00::/8', 'multicast', 'RFC 4291'],
]

const SPECIAL_RANGES: SpecialRange[] = SPECIAL_TABLE.map(([cidr, kind, rfc]) => {
  const [code, one, many] = KINDS[kind]
  return { ...mustRange(cidr), cidr, code, one: `${one} (${rfc})`, many: `${many} (${rfc})` }
})
const GLOBAL_UNICAST_V6 = mustRange('2000::/3')

const RESOLVER_TABLE: [string, string][] = [
  ['Google Public DNS', '8.8.8.8 8.8.4.4 2001:4860:4860::8888 2001:4860:4860::8844'],
  [
    'Cloudflare DNS',
    '1.1.1.1 1.0.0.1 1.1.1.2 1.0.0.2 1.1.1.3 1.0.0.3 2606:4700:4700::1111 2606:4700:4700::1001',
  ],
  ['Quad9', '9.9.9.9 149.112.112.112 9.9.9.10 149.112.112.10 2620:fe::fe 2620:fe::9'],
  ['OpenDNS', '208.67.222.222 208.67.220.220 2620:119:35::35 2620:119:53::53'],
  ['AdGuard DNS', '94.140.14.14 94.140.15.15 2a10:50c0::ad1:ff 2a10:50c0::ad2:ff'],
  ['CleanBrowsing', '185.228.168.9 185.228.169.9'],
  ['Comodo Secure DNS', '8.26.56.26 8.20.247.20'],
  ['Level3 DNS', '4.2.2.1 4.2.2.2 4.2.2.3 4.2.2.4 4.2.2.5 4.2.2.6'],
  ['Yandex DNS', '77.88.8.8 77.88.8.1'],
]

const PUBLIC_RESOLVERS = RESOLVER_TABLE.flatMap(([name, ips]) =>
  ips.split(' ').map((ip) => ({ ...mustRange(ip), ip, name })),
)

// Top sites and the infrastructure every network talks to (OS updates, CDNs, CAs, code hosting).
export const WELL_KNOWN_DOMAINS = new Set(
  `google.com googleapis.com gstatic.com gmail.com youtube.com android.com googlevideo.com
  microsoft.com microsoftonline.com windows.com windows.net windowsupdate.com office.com
  office365.com office.net live.com outlook.com hotmail.com msn.com bing.com skype.com azure.com
  azureedge.net apple.com icloud.com mzstatic.com amazon.com amazonaws.com cloudfront.net
  cloudflare.com cloudflare-dns.com akamai.net akamaihd.net akamaiedge.net edgekey.net
  edgesuite.net fastly.net github.com githubusercontent.com gitlab.com facebook.com fbcdn.net
  instagram.com whatsapp.com twitter.com x.com linkedin.com wikipedia.org yahoo.com digicert.com
  letsencrypt.org globalsign.com sectigo.com verisign.com mozilla.org firefox.com ubuntu.com
  debian.org python.org npmjs.org zoom.us slack.com adobe.com oracle.com salesforce.com
  baidu.com`.split(/\s+/),
)

// Labels registries use for their own second level (`co.uk`, `com.au`, `gov.il`, `ac.jp`).
const SLD_LABELS = new Set(
  `ac co com edu gov govt gv go gob gouv mil net org or ne nic nom ltd plc sch biz info int
  mod muni ind gen res lg id web firm`.split(/\s+/),
)

// RFC 6761 / 6762 / 8375 names and the de-facto internal TLDs: never a real internet host.
const SPECIAL_TLDS = new Set(
  `local localhost localdomain test invalid example internal intranet arpa lan home
  corp`.split(/\s+/),
)
const EXAMPLE_DOMAINS = ['example.com', 'example.net', 'example.org']

const EMPTY_HASHES: Record<string, string> = {
  d41d8cd98f00b204e9800998ecf8427e: 'MD5',
  da39a3ee5e6b4b0d3255bfef95601890afd80709: 'SHA-1',
  e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: 'SHA-256',
}

function warn(code: string, message: string): IocWarning {
  return { code, message }
}

/** Special-range warnings: the first match for an address, one per code for a network. */
function specialRangeWarnings(subject: string, range: IpRange, isNetwork: boolean): IocWarning[] {
  const warnings: IocWarning[] = []
  const seen = new Set<string>()
  for (const special of SPECIAL_RANGES) {
    if (seen.has(special.code) || !rangesOverlap(range, special)) continue
    seen.add(special.code)
    if (!isNetwork) return [warn(special.code, `${subject} is ${special.one}`)]
    warnings.push(warn(special.code, `${subject} overlaps ${special.cidr}: ${special.many}`))
  }
  if (warnings.length === 0 && !isIpv4Space(range) && !rangeContains(GLOBAL_UNICAST_V6, range)) {
    const what = isNetwork ? 'reaches outside' : 'is outside'
    const why = '2000::/3, the only IPv6 space allocated for global unicast'
    warnings.push(warn('reserved_ip', `${subject} ${what} ${why}`))
  }
  return warnings
}

function ipWarnings(subject: string, address: string, opts: SanityOptions): IocWarning[] {
  const range = ipRange(address)
  if (!range) return []
  const slash = address.indexOf('/')
  const isNetwork = slash >= 0
  const warnings = specialRangeWarnings(subject, range, isNetwork)
  if (range.version === 6 && isIpv4Space(range)) {
    const why = 'most devices only match the IPv4 form'
    warnings.push(warn('ipv4_mapped_ip', `${subject} is an IPv4-mapped IPv6 address: ${why}`))
  }
  for (const resolver of PUBLIC_RESOLVERS) {
    if (!rangeContains(range, resolver)) continue
    const what = `a public DNS resolver (${resolver.name}): blocking it breaks name resolution`
    const message = isNetwork
      ? `${subject} contains ${resolver.ip}, ${what}`
      : `${subject} is ${what}`
    warnings.push(warn('public_resolver', message))
    break
  }
  if (isNetwork) {
    const prefix = Number(address.slice(slash + 1))
    const max = range.version === 4 ? (opts.maxIpv4Prefix ?? 16) : (opts.maxIpv6Prefix ?? 32)
    if (prefix < max) {
      const size =
        range.version === 4 ? (2 ** (32 - prefix)).toLocaleString('en-US') : `2^${128 - prefix}`
      warnings.push(
        warn('wide_cidr', `${subject} covers ${size} addresses: /${prefix} is wider than /${max}`),
      )
    }
  }
  return warnings
}

/** How the message names the domain: the IOC itself, or the host of a URL or email address. */
function hostSubject(type: IocType, host: string): string {
  if (type === 'url') return `the URL's host ${host}`
  if (type === 'email') return `the email domain ${host}`
  return host
}

function isSldSuffix(labels: string[]): boolean {
  return labels.length === 2 && SLD_LABELS.has(labels[0]) && /^[a-z]{2}$/.test(labels[1])
}

function domainWarnings(type: IocType, host: string): IocWarning[] {
  const subject = hostSubject(type, host)
  const labels = host.split('.')
  const tld = labels[labels.length - 1]
  const example = EXAMPLE_DOMAINS.find((d) => host === d || host.endsWith(`.${d}`))
  if (SPECIAL_TLDS.has(tld) || example) {
    const name = example ?? `.${tld}`
    const why = 'a reserved name that does not resolve on the internet'
    return [warn('special_use_domain', `${subject} is under ${name}, ${why}`)]
  }
  if (isSldSuffix(labels)) {
    const why = 'it covers every domain registered under it'
    const what = 'looks like a public suffix (a registry zone)'
    return [warn('public_suffix', `${subject} ${what}: ${why}`)]
  }
  const parents = labels.map((_, i) => labels.slice(i).join('.'))
  const known = parents.find((d) => WELL_KNOWN_DOMAINS.has(d))
  if (known) {
    // A well-known short name (x.com) is reported once, as well-known.
    const under = known === host ? 'is' : `is under ${known},`
    const why =
      type === 'domain'
        ? 'blocking it breaks legitimate traffic'
        : 'make sure the indicator is specific to the threat'
    return [warn('well_known_domain', `${subject} ${under} a well-known domain: ${why}`)]
  }
  const suffixLabels = labels.length >= 3 && isSldSuffix(labels.slice(-2)) ? 2 : 1
  if (labels.length === suffixLabels + 1 && labels[0].length <= 2) {
    const why = 'short names are almost always long-established sites'
    const length = labels[0].length
    return [warn('short_domain', `${subject} has a ${length}-character name: ${why}`)]
  }
  return []
}

/** Built-in warnings for a canonical IOC (see the codes above); empty when nothing looks odd. */
export function sanityWarnings(
  type: IocType,
  value: string,
  opts: SanityOptions = {},
): IocWarning[] {
  if (type === 'ip') return ipWarnings(value, value, opts)
  if (type === 'md5' || type === 'sha1' || type === 'sha256') {
    const algorithm = EMPTY_HASHES[value.toLowerCase()]
    if (!algorithm) return []
    const why = 'it matches every empty file'
    return [warn('empty_file_hash', `${value} is the ${algorithm} of an empty file: ${why}`)]
  }
  const host = iocHost(type, value)
  if (!host) return []
  if (type === 'url' && ipRange(host)) return ipWarnings(`the URL's host ${host}`, host, opts)
  return domainWarnings(type, host)
}
