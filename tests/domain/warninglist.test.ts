import { readdirSync, readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { IocType } from '../../functions/domain/ioc'
import { ipRange } from '../../functions/domain/ip-range'
import {
  hostSuffixes,
  parseWarninglist,
  warninglistHits,
  type Warninglist,
} from '../../functions/domain/warninglist'

const DIR = '../shared/data/warninglists'

function readList(file: string): unknown {
  return JSON.parse(readFileSync(`${DIR}/${file}`, 'utf8'))
}

function parsed(json: unknown): Warninglist {
  const result = parseWarninglist(json)
  if (!result.ok) throw new Error(result.reason)
  return result.list
}

/** A minimal list document; tests override the fields they are about. */
function doc(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'Test list', description: 'd', version: 3, type: 'string', list: ['a'], ...fields }
}

describe('parseWarninglist: the shared MISP lists', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'schema.json')
  const byFile = new Map<string, Warninglist>()

  beforeAll(() => {
    for (const file of files) byFile.set(file, parsed(readList(file)))
  })

  it('finds all 24 list files', () => {
    expect(files).toHaveLength(24)
  })

  it('accepts every list file', () => {
    for (const file of files) {
      const result = parseWarninglist(readList(file))
      expect(result.ok, `${file}: ${result.ok ? '' : result.reason}`).toBe(true)
    }
  })

  it('keeps every entry of the real lists, with a range for each CIDR', () => {
    const aws = byFile.get('amazon-aws.json')!
    expect(aws.type).toBe('cidr')
    expect(aws.entries).toHaveLength(3847)
    expect(aws.skipped).toBe(0)
    expect(aws.entries.every((e) => e.ipStart?.length === 32 && e.ipEnd?.length === 32)).toBe(true)
    expect(byFile.get('public-dns-v4.json')!.entries).toHaveLength(62745)
    expect(byFile.get('dynamic-dns.json')!.entries).toHaveLength(35467)
  })

  it('reads the name, description, version and type of a list', () => {
    const rfc1918 = byFile.get('rfc1918.json')!
    expect(rfc1918.name).toBe('List of RFC 1918 CIDR blocks')
    expect(rfc1918.version).toBe(5)
    expect(rfc1918.type).toBe('cidr')
    expect(rfc1918.description).toContain('RFC 1918')
    expect(rfc1918.entries.map((e) => e.value)).toEqual([
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
    ])
  })

  it('strips the leading dot from dynamic-dns hostnames', () => {
    const values = byFile.get('dynamic-dns.json')!.entries.map((e) => e.value)
    expect(values).toContain('duckdns.org')
    expect(values.some((v) => v.startsWith('.'))).toBe(false)
  })

  it('lower-cases hostnames given in upper case', () => {
    const values = new Set(byFile.get('public-dns-hostname.json')!.entries.map((e) => e.value))
    expect(values.has('0526ee93.dsl.pool.telekom.hu')).toBe(true)
    expect(values.has('0526EE93.dsl.pool.telekom.hu')).toBe(false)
  })

  const hitNames = (type: IocType, value: string) =>
    warninglistHits({ type, value }, [...byFile.values()]).map((h) => h.list)
  const name = (file: string) => byFile.get(file)!.name

  it('puts 10.1.2.3 on the RFC 1918 list', () => {
    expect(hitNames('ip', '10.1.2.3')).toContain(name('rfc1918.json'))
  })

  it('puts 8.8.8.8 on the public DNS v4 list', () => {
    const lists = [byFile.get('public-dns-v4.json')!]
    const hits = warninglistHits({ type: 'ip', value: '8.8.8.8' }, lists)
    expect(hits).toEqual([{ list: name('public-dns-v4.json'), entry: '8.8.8.8' }])
  })

  it('puts fe80::1 on the IPv6 link-local list written as FE80::/10', () => {
    const lists = [byFile.get('ipv6-linklocal.json')!]
    const hits = warninglistHits({ type: 'ip', value: 'fe80::1' }, lists)
    expect(hits).toEqual([{ list: name('ipv6-linklocal.json'), entry: 'FE80::/10' }])
  })

  it('puts the empty-file MD5 on the empty-hashes list', () => {
    expect(hitNames('md5', 'd41d8cd98f00b204e9800998ecf8427e')).toContain(name('empty-hashes.json'))
  })

  it('puts bit.ly on the URL shortener list', () => {
    expect(hitNames('domain', 'bit.ly')).toContain(name('url-shortener.json'))
  })

  it('puts a subdomain of duckdns.org on the dynamic DNS list', () => {
    const hits = warninglistHits({ type: 'domain', value: 'foo.duckdns.org' }, [
      byFile.get('dynamic-dns.json')!,
    ])
    expect(hits).toEqual([{ list: name('dynamic-dns.json'), entry: 'duckdns.org' }])
  })

  it('keeps a random public IP off the special-use IPv4 lists', () => {
    const hits = hitNames('ip', '185.220.101.4')
    expect(hits).not.toContain(name('rfc1918.json'))
    expect(hits).not.toContain(name('rfc5735.json'))
    expect(hits).not.toContain(name('multicast.json'))
  })

  it('finds a private-address URL host on the RFC 1918 list', () => {
    expect(hitNames('url', 'http://192.168.1.1/admin')).toContain(name('rfc1918.json'))
  })

  it('finds a CIDR that overlaps a listed network', () => {
    expect(hitNames('ip', '172.16.5.0/24')).toContain(name('rfc1918.json'))
    expect(hitNames('ip', '8.0.0.0/7')).toContain(name('public-dns-v4.json'))
  })
})

describe('parseWarninglist: validation', () => {
  it('names the missing field', () => {
    const { name: _name, ...noName } = doc()
    expect(parseWarninglist(noName)).toEqual({
      ok: false,
      reason: 'name: Invalid input: expected string, received undefined',
    })
    const { list: _list, ...noList } = doc()
    const result = parseWarninglist(noList)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason.startsWith('list: ')).toBe(true)
  })

  it('refuses an unknown list type, naming the field', () => {
    const result = parseWarninglist(doc({ type: 'glob' }))
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason.startsWith('type: ')).toBe(true)
  })

  it('refuses regex lists, which it cannot match', () => {
    expect(parseWarninglist(doc({ type: 'regex', list: ['^a'] }))).toEqual({
      ok: false,
      reason: 'type: regex lists are not supported (only cidr, string, hostname, substring)',
    })
  })

  it('refuses a document that is not an object', () => {
    for (const bad of [null, 'text', 42, []]) {
      const result = parseWarninglist(bad)
      expect(result.ok).toBe(false)
      expect(!result.ok && result.reason.startsWith('document: ')).toBe(true)
    }
  })

  it('refuses an empty name and a non-integer version', () => {
    const blank = parseWarninglist(doc({ name: '  ' }))
    expect(blank).toEqual({ ok: false, reason: 'name: must not be empty' })
    const result = parseWarninglist(doc({ version: 'v2' }))
    expect(!result.ok && result.reason.startsWith('version: ')).toBe(true)
  })

  it('defaults a missing description and version', () => {
    const { description: _d, version: _v, ...bare } = doc()
    const list = parsed(bare)
    expect(list.description).toBe('')
    expect(list.version).toBe(0)
  })

  it('ignores unknown fields such as matching_attributes', () => {
    expect(parseWarninglist(doc({ matching_attributes: ['md5'], extra: true })).ok).toBe(true)
  })
})

describe('parseWarninglist: entries', () => {
  it('skips and counts CIDR entries that do not parse, and computes ranges', () => {
    const list = parsed(
      doc({ type: 'cidr', list: ['10.0.0.0/8', 'not-an-ip', '1.2.3.4/40', '', 7] }),
    )
    const { start, end } = ipRange('10.0.0.0/8')!
    expect(list.entries).toEqual([{ value: '10.0.0.0/8', ipStart: start, ipEnd: end }])
    expect(list.skipped).toBe(4)
  })

  it('de-duplicates CIDR entries by range, whatever the case', () => {
    const entries = ['2001:DB8::/32', '2001:db8::/32', '2001:db8:0::/32']
    const list = parsed(doc({ type: 'cidr', list: entries }))
    expect(list.entries.map((e) => e.value)).toEqual(['2001:DB8::/32'])
    expect(list.duplicates).toBe(2)
    expect(list.skipped).toBe(0)
  })

  it('lower-cases and de-duplicates strings', () => {
    const list = parsed(doc({ type: 'string', list: ['ABC', 'abc', ' Def '] }))
    expect(list.entries).toEqual([{ value: 'abc' }, { value: 'def' }])
    expect(list.duplicates).toBe(1)
  })

  it('strips a leading dot from hostnames and merges the two forms', () => {
    const entries = ['.Example.COM', 'example.com', '.', 'b.org.']
    const list = parsed(doc({ type: 'hostname', list: entries }))
    expect(list.entries).toEqual([{ value: 'example.com' }, { value: 'b.org' }])
    expect(list.skipped).toBe(1)
    expect(list.duplicates).toBe(1)
  })

  it('turns internationalized hostnames into punycode, as IOC hosts are stored', () => {
    const list = parsed(doc({ type: 'hostname', list: ['Bücher.de'] }))
    expect(list.entries).toEqual([{ value: 'xn--bcher-kva.de' }])
  })
})

describe('warninglistHits', () => {
  const list = (type: string, entries: string[], name = `${type} list`) =>
    parsed(doc({ name, type, list: entries }))

  it('matches a string list on the whole value, ignoring case', () => {
    const l = list('string', ['Evil.COM'])
    expect(warninglistHits({ type: 'domain', value: 'evil.com' }, [l])).toEqual([
      { list: 'string list', entry: 'evil.com' },
    ])
    expect(warninglistHits({ type: 'domain', value: 'a.evil.com' }, [l])).toEqual([])
  })

  it('matches a hostname list on the host or any parent, not on a look-alike', () => {
    const l = list('hostname', ['.example.com'])
    expect(warninglistHits({ type: 'domain', value: 'example.com' }, [l])).toHaveLength(1)
    const url = { type: 'url', value: 'https://a.b.example.com/x' } as const
    expect(warninglistHits(url, [l])).toHaveLength(1)
    expect(warninglistHits({ type: 'email', value: 'x@mail.example.com' }, [l])).toHaveLength(1)
    expect(warninglistHits({ type: 'domain', value: 'badexample.com' }, [l])).toEqual([])
  })

  it('matches a substring list anywhere in the value', () => {
    const l = list('substring', ['ngrok'])
    expect(warninglistHits({ type: 'url', value: 'https://abc.ngrok-free.app/x' }, [l])).toEqual([
      { list: 'substring list', entry: 'ngrok' },
    ])
    expect(warninglistHits({ type: 'domain', value: 'evil.com' }, [l])).toEqual([])
  })

  it('matches a CIDR list by containment for addresses and by overlap for networks', () => {
    const l = list('cidr', ['10.0.0.0/8'])
    expect(warninglistHits({ type: 'ip', value: '10.9.9.9' }, [l])).toHaveLength(1)
    expect(warninglistHits({ type: 'ip', value: '10.9.0.0/16' }, [l])).toHaveLength(1)
    expect(warninglistHits({ type: 'ip', value: '8.0.0.0/6' }, [l])).toHaveLength(1)
    expect(warninglistHits({ type: 'ip', value: '11.0.0.1' }, [l])).toEqual([])
    expect(warninglistHits({ type: 'domain', value: 'evil.com' }, [l])).toEqual([])
  })

  it('reports one hit per list, with the first entry that matched', () => {
    const l = list('cidr', ['10.0.0.0/8', '10.1.0.0/16'])
    expect(warninglistHits({ type: 'ip', value: '10.1.2.3' }, [l])).toEqual([
      { list: 'cidr list', entry: '10.0.0.0/8' },
    ])
  })

  it('reports every list that matches, in the order given', () => {
    const a = list('cidr', ['10.0.0.0/8'], 'A')
    const b = list('string', ['10.1.2.3'], 'B')
    const c = list('cidr', ['192.168.0.0/16'], 'C')
    const hits = warninglistHits({ type: 'ip', value: '10.1.2.3' }, [a, b, c])
    expect(hits.map((h) => h.list)).toEqual(['A', 'B'])
  })
})

describe('hostSuffixes', () => {
  it('lists a host and each of its parents, most specific first', () => {
    expect(hostSuffixes('a.b.example.com')).toEqual([
      'a.b.example.com',
      'b.example.com',
      'example.com',
      'com',
    ])
  })

  it('lower-cases and ignores a trailing dot', () => {
    expect(hostSuffixes('WWW.Example.com.')).toEqual(['www.example.com', 'example.com', 'com'])
  })

  it('keeps an IP literal whole', () => {
    expect(hostSuffixes('1.2.3.4')).toEqual(['1.2.3.4'])
    expect(hostSuffixes('2001:db8::1')).toEqual(['2001:db8::1'])
  })

  it('is empty for an empty host', () => {
    expect(hostSuffixes('')).toEqual([])
  })
})
