import { describe, expect, it } from 'vitest'
import {
  allowlistMatch,
  iocHost,
  iocIpRange,
  normalizeAllowlistEntry,
  type AllowlistEntry,
  type AllowlistKind,
} from '../../functions/domain/allowlist'
import { ipRange } from '../../functions/domain/ip-range'

const V4 = '00000000000000000000ffff'

let nextId = 1
/** An entry as the database would hold it, built through the normalizer. */
function entry(kind: AllowlistKind, raw: string, reason = 'test'): AllowlistEntry {
  const norm = normalizeAllowlistEntry(kind, raw)
  if (!norm.ok) throw new Error(norm.reason)
  return {
    id: nextId++,
    kind,
    value: norm.value,
    ipStart: norm.ipStart ?? null,
    ipEnd: norm.ipEnd ?? null,
    reason,
  }
}

describe('normalizeAllowlistEntry', () => {
  it('canonicalizes an exact entry of any IOC type', () => {
    expect(normalizeAllowlistEntry('exact', 'hxxps://Evil[.]COM:443/a?b=1')).toEqual({
      ok: true,
      kind: 'exact',
      value: 'https://evil.com/a?b=1',
    })
    expect(normalizeAllowlistEntry('exact', 'D41D8CD98F00B204E9800998ECF8427E')).toEqual({
      ok: true,
      kind: 'exact',
      value: 'd41d8cd98f00b204e9800998ecf8427e',
    })
  })

  it('refuses an exact entry that is no IOC, with the parser reason', () => {
    const result = normalizeAllowlistEntry('exact', '1.2.3.300')
    expect(result).toEqual({ ok: false, reason: 'not a valid IPv4 address: octet 300 > 255' })
  })

  it('strips a wildcard or leading dot from a suffix and normalizes the domain', () => {
    for (const raw of ['*.Example.COM', '.example.com', 'example[.]com', ' example.com. ']) {
      expect(normalizeAllowlistEntry('suffix', raw), raw).toEqual({
        ok: true,
        kind: 'suffix',
        value: 'example.com',
      })
    }
  })

  it('turns an internationalized suffix into punycode', () => {
    expect(normalizeAllowlistEntry('suffix', 'bücher.de')).toEqual({
      ok: true,
      kind: 'suffix',
      value: 'xn--bcher-kva.de',
    })
  })

  it('accepts a bare TLD as a suffix', () => {
    const gov = normalizeAllowlistEntry('suffix', 'gov')
    expect(gov).toEqual({ ok: true, kind: 'suffix', value: 'gov' })
    const mil = normalizeAllowlistEntry('suffix', '*.mil')
    expect(mil).toEqual({ ok: true, kind: 'suffix', value: 'mil' })
  })

  it('refuses a suffix that is a URL or an IP address', () => {
    expect(normalizeAllowlistEntry('suffix', 'https://example.com/')).toEqual({
      ok: false,
      reason: 'looks like a URL, not a domain',
    })
    expect(normalizeAllowlistEntry('suffix', '10.0.0.1').ok).toBe(false)
    expect(normalizeAllowlistEntry('suffix', '*.').ok).toBe(false)
  })

  it('gives a CIDR entry its canonical network and range', () => {
    expect(normalizeAllowlistEntry('cidr', '10.0.0.0/8')).toEqual({
      ok: true,
      kind: 'cidr',
      value: '10.0.0.0/8',
      ipStart: `${V4}0a000000`,
      ipEnd: `${V4}0affffff`,
    })
    expect(normalizeAllowlistEntry('cidr', '2001:DB8::/32')).toEqual({
      ok: true,
      kind: 'cidr',
      value: '2001:db8::/32',
      ipStart: '20010db8000000000000000000000000',
      ipEnd: '20010db8ffffffffffffffffffffffff',
    })
  })

  it('accepts a single address as a CIDR entry, /32 included', () => {
    expect(normalizeAllowlistEntry('cidr', '8.8.8.8/32')).toEqual({
      ok: true,
      kind: 'cidr',
      value: '8.8.8.8',
      ipStart: `${V4}08080808`,
      ipEnd: `${V4}08080808`,
    })
  })

  it('refuses a CIDR with host bits set and names the network', () => {
    expect(normalizeAllowlistEntry('cidr', '10.1.2.3/8')).toEqual({
      ok: false,
      reason: 'host bits set in 10.1.2.3/8: the network is 10.0.0.0/8',
    })
  })

  it('refuses a CIDR entry that is a domain', () => {
    expect(normalizeAllowlistEntry('cidr', 'example.com')).toEqual({
      ok: false,
      reason: 'looks like a domain, not an IP address',
    })
  })
})

describe('iocHost', () => {
  it('is the domain itself, a URL host without port or brackets, an email domain', () => {
    expect(iocHost('domain', 'evil.com')).toBe('evil.com')
    expect(iocHost('url', 'http://user:pw@evil.com:8080/a?b@c')).toBe('evil.com')
    expect(iocHost('url', 'http://[2001:db8::1]:8080/x')).toBe('2001:db8::1')
    expect(iocHost('url', 'https://1.2.3.4/')).toBe('1.2.3.4')
    expect(iocHost('email', 'boss@corp-mail.com')).toBe('corp-mail.com')
  })

  it('is null for IPs and hashes', () => {
    expect(iocHost('ip', '1.2.3.4')).toBeNull()
    expect(iocHost('md5', 'd41d8cd98f00b204e9800998ecf8427e')).toBeNull()
  })
})

describe('iocIpRange', () => {
  it('is the range of an IP or network, or of a URL on an IP host', () => {
    expect(iocIpRange('ip', '10.0.0.0/8')).toEqual(ipRange('10.0.0.0/8'))
    expect(iocIpRange('url', 'http://10.1.2.3:8080/x')).toEqual(ipRange('10.1.2.3'))
    expect(iocIpRange('url', 'http://[2001:db8::1]/x')).toEqual(ipRange('2001:db8::1'))
  })

  it('is null for a URL on a domain, a domain, an email or a hash', () => {
    expect(iocIpRange('url', 'http://evil.com/x')).toBeNull()
    expect(iocIpRange('domain', 'evil.com')).toBeNull()
    expect(iocIpRange('email', 'a@1.2.3.4')).toBeNull()
    expect(iocIpRange('sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBeNull()
  })
})

describe('allowlistMatch', () => {
  it('matches an exact entry on the same canonical value only', () => {
    const e = entry('exact', 'https://evil.com/a')
    expect(allowlistMatch({ type: 'url', value: 'https://evil.com/a' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'url', value: 'https://evil.com/b' }, [e])).toBeNull()
    expect(allowlistMatch({ type: 'domain', value: 'evil.com' }, [e])).toBeNull()
  })

  it('matches an exact hash entry', () => {
    const e = entry('exact', 'D41D8CD98F00B204E9800998ECF8427E')
    expect(allowlistMatch({ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }, [e])).toBe(e)
  })

  it('matches a suffix on the domain itself and on its subdomains', () => {
    const e = entry('suffix', 'example.com')
    expect(allowlistMatch({ type: 'domain', value: 'example.com' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'domain', value: 'a.b.example.com' }, [e])).toBe(e)
  })

  it('does not match a suffix on a look-alike', () => {
    const e = entry('suffix', 'example.com')
    expect(allowlistMatch({ type: 'domain', value: 'badexample.com' }, [e])).toBeNull()
    expect(allowlistMatch({ type: 'domain', value: 'example.com.evil.ru' }, [e])).toBeNull()
  })

  it('matches a suffix on URL hosts and email domains', () => {
    const e = entry('suffix', 'example.com')
    expect(allowlistMatch({ type: 'url', value: 'https://www.example.com:8443/x' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'email', value: 'ceo@mail.example.com' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'url', value: 'https://evil.com/example.com' }, [e])).toBeNull()
  })

  it('matches a bare-TLD suffix on any host under it', () => {
    const e = entry('suffix', 'gov')
    expect(allowlistMatch({ type: 'domain', value: 'irs.gov' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'domain', value: 'gov.uk' }, [e])).toBeNull()
  })

  it('matches a CIDR entry on an address it contains', () => {
    const e = entry('cidr', '10.0.0.0/8')
    expect(allowlistMatch({ type: 'ip', value: '10.200.3.4' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'ip', value: '11.0.0.1' }, [e])).toBeNull()
  })

  it('matches a CIDR entry on a network that overlaps it, wider or narrower', () => {
    const e = entry('cidr', '10.1.0.0/16')
    expect(allowlistMatch({ type: 'ip', value: '10.1.2.0/24' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'ip', value: '10.0.0.0/8' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'ip', value: '10.2.0.0/16' }, [e])).toBeNull()
  })

  it('matches a CIDR entry on a URL whose host is an IP in the range', () => {
    const e = entry('cidr', '192.168.0.0/16')
    expect(allowlistMatch({ type: 'url', value: 'http://192.168.1.10:8080/login' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'url', value: 'http://193.0.0.1/login' }, [e])).toBeNull()
  })

  it('matches IPv6 ranges', () => {
    const e = entry('cidr', '2001:db8::/32')
    expect(allowlistMatch({ type: 'ip', value: '2001:db8:1::5' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'url', value: 'http://[2001:db8::1]/x' }, [e])).toBe(e)
    expect(allowlistMatch({ type: 'ip', value: '2001:db9::1' }, [e])).toBeNull()
  })

  it('computes the range itself when an entry carries none', () => {
    const e: AllowlistEntry = {
      id: 99,
      kind: 'cidr',
      value: '172.16.0.0/12',
      ipStart: null,
      ipEnd: null,
      reason: 'legacy row',
    }
    expect(allowlistMatch({ type: 'ip', value: '172.20.1.1' }, [e])).toBe(e)
  })

  it('never matches a suffix against a URL whose host is an IP', () => {
    // The normalizer refuses such a suffix; a hand-written row must not match either.
    const e: AllowlistEntry = { ...entry('suffix', 'example.com'), value: '3.4' }
    expect(allowlistMatch({ type: 'url', value: 'http://1.2.3.4/x' }, [e])).toBeNull()
  })

  it('returns the first entry that matches, in the order given', () => {
    const wide = entry('cidr', '10.0.0.0/8', 'corporate')
    const exact = entry('exact', '10.1.1.1', 'gateway')
    const ioc = { type: 'ip', value: '10.1.1.1' } as const
    expect(allowlistMatch(ioc, [wide, exact])?.reason).toBe('corporate')
    expect(allowlistMatch(ioc, [exact, wide])?.reason).toBe('gateway')
  })

  it('returns null with no entries', () => {
    expect(allowlistMatch({ type: 'domain', value: 'evil.com' }, [])).toBeNull()
  })
})
