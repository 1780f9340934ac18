import { describe, expect, it } from 'vitest'
import { ipRange, isIpv4Space, rangeContains, rangesOverlap } from '../../functions/domain/ip-range'

const V4 = '00000000000000000000ffff'
const v4 = (start: string, end = start) => ({
  start: `${V4}${start}`,
  end: `${V4}${end}`,
  version: 4,
})

describe('ipRange', () => {
  it('maps a bare IPv4 address into the IPv6 space as one 32-digit key', () => {
    expect(ipRange('10.1.2.3')).toEqual(v4('0a010203'))
  })

  it('spans an IPv4 network from its first to its last address', () => {
    expect(ipRange('10.0.0.0/8')).toEqual(v4('0a000000', '0affffff'))
    expect(ipRange('192.168.1.0/24')).toEqual(v4('c0a80100', 'c0a801ff'))
  })

  it('covers the whole IPv4 space for /0 and a single address for /32', () => {
    expect(ipRange('0.0.0.0/0')).toEqual(v4('00000000', 'ffffffff'))
    expect(ipRange('8.8.8.8/32')).toEqual(ipRange('8.8.8.8'))
  })

  it('handles IPv6 addresses and networks, whatever the case', () => {
    expect(ipRange('2001:db8::1')).toEqual({
      start: '20010db8000000000000000000000001',
      end: '20010db8000000000000000000000001',
      version: 6,
    })
    expect(ipRange('FE80::/10')).toEqual({
      start: 'fe800000000000000000000000000000',
      end: 'febfffffffffffffffffffffffffffff',
      version: 6,
    })
    expect(ipRange('2001:DB8::/32')).toEqual(ipRange('2001:db8::/32'))
  })

  it('covers the whole IPv6 space for ::/0', () => {
    expect(ipRange('::/0')).toEqual({ start: '0'.repeat(32), end: 'f'.repeat(32), version: 6 })
  })

  it('gives an IPv4-mapped IPv6 address the same key as the IPv4 address', () => {
    const mapped = ipRange('::ffff:10.0.0.1')
    expect(mapped?.start).toBe(ipRange('10.0.0.1')?.start)
    expect(mapped?.version).toBe(6)
  })

  it('ignores host bits below the prefix, as warninglists are not always strict', () => {
    expect(ipRange('10.1.2.3/8')).toEqual(ipRange('10.0.0.0/8'))
  })

  it('handles prefixes that do not fall on a byte boundary', () => {
    expect(ipRange('172.16.0.0/12')).toEqual(v4('ac100000', 'ac1fffff'))
  })

  it('returns null on garbage', () => {
    for (const bad of [
      '',
      'evil.com',
      '1.2.3',
      '256.1.1.1',
      '010.1.1.1',
      '0x7f.0.0.1',
      '1.2.3.4/33',
      '1.2.3.4/',
      '1.2.3.4/x',
      '::1/129',
      'fe80::1%eth0',
      '1::2::3',
      '10.0.0.0/8/8',
    ]) {
      expect(ipRange(bad), bad).toBeNull()
    }
  })

  it('orders keys so that plain string comparison is numeric comparison', () => {
    const ips = ['1.2.3.4', '9.0.0.0', '10.0.0.0', '255.255.255.255', '::1', '2001:db8::', 'ff::1']
    const keys = ips.map((ip) => ipRange(ip)!.start).sort()
    expect(keys.map((k) => k.length)).toEqual([32, 32, 32, 32, 32, 32, 32])
    expect(keys[0]).toBe(ipRange('::1')!.start)
    expect(keys[1]).toBe(ipRange('1.2.3.4')!.start)
    expect(keys[2]).toBe(ipRange('9.0.0.0')!.start)
    expect(keys[3]).toBe(ipRange('10.0.0.0')!.start)
  })
})

describe('rangeContains and rangesOverlap', () => {
  const r = (text: string) => ipRange(text)!

  it('contains an address inside the network and not one outside', () => {
    expect(rangeContains(r('10.0.0.0/8'), r('10.255.0.1'))).toBe(true)
    expect(rangeContains(r('10.0.0.0/8'), r('11.0.0.0'))).toBe(false)
  })

  it('contains a smaller network but is not contained by it', () => {
    expect(rangeContains(r('10.0.0.0/8'), r('10.1.0.0/16'))).toBe(true)
    expect(rangeContains(r('10.1.0.0/16'), r('10.0.0.0/8'))).toBe(false)
  })

  it('overlaps in both directions when one network holds the other', () => {
    expect(rangesOverlap(r('10.1.0.0/16'), r('10.0.0.0/8'))).toBe(true)
    expect(rangesOverlap(r('10.0.0.0/8'), r('10.1.0.0/16'))).toBe(true)
  })

  it('does not overlap adjacent networks', () => {
    expect(rangesOverlap(r('10.0.0.0/9'), r('10.128.0.0/9'))).toBe(false)
  })

  it('never mixes IPv4 and unrelated IPv6 ranges', () => {
    expect(rangesOverlap(r('0.0.0.0/0'), r('2000::/3'))).toBe(false)
    expect(rangesOverlap(r('::/0'), r('10.0.0.1'))).toBe(true)
  })
})

describe('isIpv4Space', () => {
  it('is true for IPv4 and IPv4-mapped values only', () => {
    expect(isIpv4Space(ipRange('1.2.3.4')!)).toBe(true)
    expect(isIpv4Space(ipRange('::ffff:1.2.3.4')!)).toBe(true)
    expect(isIpv4Space(ipRange('2001:db8::1')!)).toBe(false)
    expect(isIpv4Space(ipRange('::/0')!)).toBe(false)
  })
})
