/**
 * Every feed Moat serves: path -> which IOC types and which format. The ZIoCHub paths stay as
 * aliases so existing firewall configs keep working (specs/feeds.md section 1).
 */
export type FeedFormat = 'plain' | 'pa-ip' | 'pa-domain' | 'pa-url' | 'cp' | 'cp-network' | 'esa' | 'yara-list' | 'yara-bundle' | 'yara-content'

export interface FeedDef {
  path: string
  types: string[]
  format: FeedFormat
  title: string
  /** Shown in the catalogue: a compatibility route that devices should move off. */
  deprecated?: boolean
  aliasOf?: string
}

const HASHES = ['md5', 'sha1', 'sha256']
const ALL = ['ip', 'domain', 'url', 'email', ...HASHES]

function defs(): FeedDef[] {
  const out: FeedDef[] = []
  const add = (d: FeedDef) => out.push(d)
  for (const t of ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256']) {
    add({ path: `/feed/${t}`, types: [t], format: 'plain', title: `${t} — one value per line` })
  }
  add({ path: '/feed/hash', types: HASHES, format: 'plain', title: 'md5 + sha1 + sha256 — one value per line' })
  add({ path: '/feed/pa/ip', types: ['ip'], format: 'pa-ip', title: 'Palo Alto EDL (IP list); ?tr=1 merges into ranges, ?tr=2 into the fewest CIDRs' })
  add({ path: '/feed/pa/domain', types: ['domain'], format: 'pa-domain', title: 'Palo Alto EDL (domain list); ?wild=1 adds *.domain' })
  add({ path: '/feed/pa/url', types: ['url'], format: 'pa-url', title: 'Palo Alto EDL (URL list): no scheme or port, host-only URLs end in /' })
  for (const t of ['email', 'hash', 'md5', 'sha1', 'sha256']) {
    add({ path: `/feed/pa/${t}`, types: t === 'hash' ? HASHES : [t], format: 'plain', title: `${t} (PAN-OS has no such EDL type; plain list)`, deprecated: true })
  }
  for (const t of ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256']) {
    add({ path: `/feed/cp/${t}`, types: [t], format: 'cp', title: `Check Point IoC feed (sk132193): ${t}` })
  }
  add({ path: '/feed/cp/all', types: ALL, format: 'cp', title: 'Check Point IoC feed (sk132193): every type' })
  add({ path: '/feed/cp/hash', types: HASHES, format: 'cp', title: 'Check Point IoC feed (sk132193): hashes' })
  add({ path: '/feed/cp/email', types: ['email'], format: 'cp', title: 'Check Point IoC feed (sk132193): Mail-from' })
  add({ path: '/feed/cp/network/ip', types: ['ip'], format: 'cp-network', title: 'Check Point Network Feed (flat list): IPs and networks; ?tr=1 ranges, ?tr=2 fewest CIDRs' })
  add({ path: '/feed/cp/network/domain', types: ['domain'], format: 'cp-network', title: 'Check Point Network Feed (flat list): domains' })
  add({ path: '/feed/esa/email', types: ['email'], format: 'esa', title: 'Cisco ESA: comma-separated addresses' })
  add({ path: '/feed/yara-list', types: [], format: 'yara-list', title: 'YARA: approved rule file names, one per line (each at /feed/yara-content/<name>)' })
  add({ path: '/feed/yara-bundle', types: [], format: 'yara-bundle', title: 'YARA: every approved rule file in one file' })
  // ZIoCHub spellings of "ip" on each family.
  for (const prefix of ['/feed/', '/feed/pa/', '/feed/cp/']) {
    const base = out.find((d) => d.path === `${prefix}ip`)!
    for (const alias of ['ipaddress', 'ip_address']) {
      add({ ...base, path: `${prefix}${alias}`, aliasOf: base.path, deprecated: true })
    }
  }
  return out
}

export const FEEDS: ReadonlyMap<string, FeedDef> = new Map(defs().map((d) => [d.path, d]))

/** One approved YARA rule file by name: `/feed/yara-content/<filename>`. */
export const YARA_CONTENT_PREFIX = '/feed/yara-content/'

export function findFeed(path: string): FeedDef | undefined {
  const p = path.toLowerCase().replace(/\/+$/, '')
  if (p.startsWith(YARA_CONTENT_PREFIX) && p.length > YARA_CONTENT_PREFIX.length) {
    return { path: p, types: [], format: 'yara-content', title: 'YARA: one approved rule file' }
  }
  return FEEDS.get(p)
}

/** Feed path patterns of a consumer (`/feed/pa/*`, `/feed/cp/ip`) against a requested path. */
export function feedAllowed(patterns: string[], path: string): boolean {
  if (!patterns.length) return true
  return patterns.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : p === path))
}
