import { describe, expect, it } from 'vitest'
import type { IocType } from '../../functions/domain/ioc'
import { sanityWarnings } from '../../functions/domain/sanity'

const codes = (type: IocType, value: string, opts = {}) =>
  sanityWarnings(type, value, opts).map((w) => w.code)

describe('sanityWarnings: special IPv4 addresses', () => {
  it('says what a private address is and why', () => {
    expect(sanityWarnings('ip', '10.1.2.3')).toEqual([
      { code: 'private_ip', message: '10.1.2.3 is a private address (RFC 1918)' },
    ])
    expect(codes('ip', '172.31.255.255')).toEqual(['private_ip'])
    expect(codes('ip', '192.168.0.1')).toEqual(['private_ip'])
  })

  it('flags loopback, link-local, multicast and carrier-grade NAT addresses', () => {
    expect(codes('ip', '127.0.0.1')).toEqual(['loopback_ip'])
    expect(codes('ip', '169.254.169.254')).toEqual(['link_local_ip'])
    expect(codes('ip', '239.255.255.250')).toEqual(['multicast_ip'])
    expect(codes('ip', '100.64.0.1')).toEqual(['cgnat_ip'])
  })

  it('flags the unspecified and broadcast addresses by their most specific name', () => {
    expect(codes('ip', '0.0.0.0')).toEqual(['unspecified_ip'])
    expect(codes('ip', '255.255.255.255')).toEqual(['broadcast_ip'])
  })

  it('flags reserved, documentation and benchmarking addresses', () => {
    expect(codes('ip', '0.1.2.3')).toEqual(['reserved_ip'])
    expect(codes('ip', '240.1.2.3')).toEqual(['reserved_ip'])
    expect(codes('ip', '192.0.2.10')).toEqual(['documentation_ip'])
    expect(codes('ip', '203.0.113.7')).toEqual(['documentation_ip'])
    expect(codes('ip', '198.19.0.1')).toEqual(['benchmarking_ip'])
  })

  it('stays quiet for ordinary public addresses next to special ranges', () => {
    expect(codes('ip', '185.220.101.4')).toEqual([])
    expect(codes('ip', '172.32.0.1')).toEqual([])
    expect(codes('ip', '100.128.0.1')).toEqual([])
    expect(codes('ip', '11.0.0.1')).toEqual([])
  })
})

describe('sanityWarnings: special IPv6 addresses', () => {
  it('flags loopback, unspecified, link-local, unique-local and multicast', () => {
    expect(codes('ip', '::1')).toEqual(['loopback_ip'])
    expect(codes('ip', '::')).toEqual(['unspecified_ip'])
    expect(codes('ip', 'fe80::1')).toEqual(['link_local_ip'])
    expect(codes('ip', 'fd12:3456::1')).toEqual(['private_ip'])
    expect(codes('ip', 'ff02::1')).toEqual(['multicast_ip'])
  })

  it('flags documentation and benchmarking prefixes', () => {
    expect(codes('ip', '2001:db8::1')).toEqual(['documentation_ip'])
    expect(codes('ip', '2001:2::5')).toEqual(['benchmarking_ip'])
  })

  it('flags addresses outside the global unicast space as reserved', () => {
    expect(sanityWarnings('ip', '4000::1')).toEqual([
      {
        code: 'reserved_ip',
        message: '4000::1 is outside 2000::/3, the only IPv6 space allocated for global unicast',
      },
    ])
  })

  it('checks an IPv4-mapped address as IPv4 and warns about the mapped form', () => {
    expect(codes('ip', '::ffff:10.0.0.1')).toEqual(['private_ip', 'ipv4_mapped_ip'])
    expect(codes('ip', '::ffff:185.220.101.4')).toEqual(['ipv4_mapped_ip'])
  })

  it('stays quiet for an ordinary global IPv6 address', () => {
    expect(codes('ip', '2a00:1450:4001:80b::200e')).toEqual([])
  })
})

describe('sanityWarnings: networks', () => {
  it('warns when a network overlaps a special range, naming the range', () => {
    expect(sanityWarnings('ip', '192.168.0.0/24')).toEqual([
      {
        code: 'private_ip',
        message: '192.168.0.0/24 overlaps 192.168.0.0/16: private addresses (RFC 1918)',
      },
    ])
    expect(codes('ip', '169.254.0.0/16')).toEqual(['link_local_ip'])
  })

  it('warns for a network that only partly overlaps a special range', () => {
    // 172.0.0.0/11 is wider than /16 and reaches into 172.16.0.0/12.
    expect(codes('ip', '172.0.0.0/11')).toEqual(['private_ip', 'wide_cidr'])
  })

  it('warns on networks wider than /16 for IPv4, not on /16 itself', () => {
    expect(sanityWarnings('ip', '45.0.0.0/8')).toEqual([
      {
        code: 'wide_cidr',
        message: '45.0.0.0/8 covers 16,777,216 addresses: /8 is wider than /16',
      },
    ])
    expect(codes('ip', '45.1.0.0/16')).toEqual([])
    expect(codes('ip', '45.0.0.0/15')).toEqual(['wide_cidr'])
  })

  it('warns on IPv6 networks wider than /32', () => {
    expect(codes('ip', '2a00::/16')).toEqual(['wide_cidr'])
    expect(codes('ip', '2a00:1450::/32')).toEqual([])
  })

  it('takes the widest accepted prefix from options', () => {
    expect(codes('ip', '45.1.0.0/16', { maxIpv4Prefix: 24 })).toEqual(['wide_cidr'])
    expect(codes('ip', '45.0.0.0/8', { maxIpv4Prefix: 8 })).toEqual([])
    expect(codes('ip', '2a00:1450::/32', { maxIpv6Prefix: 48 })).toEqual(['wide_cidr'])
  })

  it('reports one warning per kind for a network spanning many special ranges', () => {
    const found = codes('ip', '0.0.0.0/0')
    expect(found).toContain('private_ip')
    expect(found).toContain('loopback_ip')
    expect(found).toContain('multicast_ip')
    expect(found).toContain('public_resolver')
    expect(found).toContain('wide_cidr')
    expect(found.filter((c) => c === 'private_ip')).toHaveLength(1)
  })
})

describe('sanityWarnings: public DNS resolvers', () => {
  it('names the resolver and why it matters', () => {
    expect(sanityWarnings('ip', '8.8.8.8')).toEqual([
      {
        code: 'public_resolver',
        message:
          '8.8.8.8 is a public DNS resolver (Google Public DNS): blocking it breaks name resolution',
      },
    ])
  })

  it('knows the usual IPv4 and IPv6 resolvers', () => {
    for (const ip of [
      '8.8.4.4',
      '1.1.1.1',
      '1.0.0.1',
      '9.9.9.9',
      '149.112.112.112',
      '208.67.222.222',
      '208.67.220.220',
      '2001:4860:4860::8888',
      '2001:4860:4860::8844',
      '2606:4700:4700::1111',
      '2606:4700:4700::1001',
    ]) {
      expect(codes('ip', ip), ip).toEqual(['public_resolver'])
    }
  })

  it('warns on a network that contains a resolver', () => {
    expect(codes('ip', '1.1.1.0/24')).toEqual(['public_resolver'])
  })

  it('does not warn on a neighbour of a resolver', () => {
    expect(codes('ip', '8.8.8.9')).toEqual([])
  })

  it('applies IP checks to a URL whose host is an IP address', () => {
    expect(codes('url', 'https://1.1.1.1/dns-query')).toEqual(['public_resolver'])
    expect(codes('url', 'http://192.168.1.1:8080/admin')).toEqual(['private_ip'])
    expect(codes('url', 'http://[fe80::1]/x')).toEqual(['link_local_ip'])
    expect(codes('url', 'http://185.220.101.4/gate.php')).toEqual([])
  })
})

describe('sanityWarnings: domains', () => {
  it('flags a well-known domain and its subdomains', () => {
    expect(sanityWarnings('domain', 'google.com')).toEqual([
      {
        code: 'well_known_domain',
        message: 'google.com is a well-known domain: blocking it breaks legitimate traffic',
      },
    ])
    expect(sanityWarnings('domain', 'download.windowsupdate.com')[0]?.message).toBe(
      'download.windowsupdate.com is under windowsupdate.com, a well-known domain: blocking it breaks legitimate traffic',
    )
    expect(codes('domain', 'evil.s3.amazonaws.com')).toEqual(['well_known_domain'])
  })

  it('does not take a look-alike for a well-known domain', () => {
    expect(codes('domain', 'google.com.evil.ru')).toEqual([])
    expect(codes('domain', 'notgoogle.com')).toEqual([])
    expect(codes('domain', 'microsoft-update.com')).toEqual([])
  })

  it('flags a URL or email address on a well-known host', () => {
    expect(sanityWarnings('url', 'https://raw.githubusercontent.com/x/y/main/a.ps1')).toEqual([
      {
        code: 'well_known_domain',
        message:
          "the URL's host raw.githubusercontent.com is under githubusercontent.com, a well-known domain: make sure the indicator is specific to the threat",
      },
    ])
    expect(codes('email', 'phisher@outlook.com')).toEqual(['well_known_domain'])
  })

  it('flags a two-label name that looks like a public suffix', () => {
    expect(codes('domain', 'co.uk')).toEqual(['public_suffix'])
    expect(codes('domain', 'com.au')).toEqual(['public_suffix'])
    expect(codes('domain', 'gov.il')).toEqual(['public_suffix'])
  })

  it('flags a registrable name of at most two characters', () => {
    expect(codes('domain', 't.co')).toEqual(['short_domain'])
    expect(codes('domain', 'ok.ru')).toEqual(['short_domain'])
    expect(codes('domain', 'ab.co.uk')).toEqual(['short_domain'])
    expect(codes('url', 'https://vk.com/evil')).toEqual(['short_domain'])
  })

  it('does not call a three-character name or a deep short label short', () => {
    expect(codes('domain', 'bbc.co.uk')).toEqual([])
    expect(codes('domain', 'abc.com')).toEqual([])
    expect(codes('domain', 'a.evil-site.com')).toEqual([])
  })

  it('reports a well-known short domain once, as well-known', () => {
    expect(codes('domain', 'x.com')).toEqual(['well_known_domain'])
  })

  it('flags reserved and internal names', () => {
    expect(codes('domain', 'printer.local')).toEqual(['special_use_domain'])
    expect(codes('domain', 'intranet.corp')).toEqual(['special_use_domain'])
    expect(codes('domain', 'www.example.com')).toEqual(['special_use_domain'])
    expect(codes('email', 'a@example.org')).toEqual(['special_use_domain'])
  })

  it('stays quiet for an ordinary malicious-looking domain', () => {
    expect(codes('domain', 'login-micros0ft-support.xyz')).toEqual([])
    expect(codes('url', 'http://evil-domain.com/payload.exe')).toEqual([])
    expect(codes('email', 'boss@corp-mail.com')).toEqual([])
  })
})

describe('sanityWarnings: hashes', () => {
  it('flags the hashes of the empty file', () => {
    expect(sanityWarnings('md5', 'd41d8cd98f00b204e9800998ecf8427e')).toEqual([
      {
        code: 'empty_file_hash',
        message:
          'd41d8cd98f00b204e9800998ecf8427e is the MD5 of an empty file: it matches every empty file',
      },
    ])
    expect(codes('sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toEqual(['empty_file_hash'])
    expect(
      codes('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
    ).toEqual(['empty_file_hash'])
  })

  it('stays quiet for other hashes', () => {
    expect(codes('md5', '44d88612fea8a8f36de82e1278abb02f')).toEqual([])
  })
})
