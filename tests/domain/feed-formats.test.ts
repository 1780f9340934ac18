import { describe, expect, it } from 'vitest'
import { confidenceLabel, cpCsv, panUrlEntry, sliceLines } from '../../functions/domain/feed-formats'
import { feedAllowed, findFeed } from '../../functions/domain/feed-catalogue'

describe('panUrlEntry', () => {
  it.each([
    ['http://evil.xyz', 'evil.xyz/'],
    ['https://evil.xyz?x=1', 'evil.xyz/?x=1'],
    ['https://Evil.xyz:8443/a/b?c=d', 'evil.xyz/a/b?c=d'],
    ['http://user:pw@evil.xyz/a', 'evil.xyz/a'],
    ['http://1.2.3.4:8080/gate.php', '1.2.3.4/gate.php'],
    ['http://evil.xyz/*/x', 'evil.xyz/*/x'],
  ])('turns %s into %s', (url, entry) => {
    expect(panUrlEntry(url)).toEqual({ entry })
  })

  it.each([
    ['http://[2001:db8::1]/x', 'ipv6_host'],
    ['http://evil.xyz/a b', 'bad_characters'],
    ['http://evil.xyz/caf\u00e9', 'bad_characters'],
    ['http://evil.xyz/ab*cd', 'invalid_wildcard'],
    ['http://evil.xyz/a^b', 'invalid_wildcard'],
    [`http://evil.xyz/${'a'.repeat(250)}`, 'too_long'],
    ['http://localhost/x', 'bare_host'],
  ])('drops %s (%s)', (url, reason) => {
    expect(panUrlEntry(url)).toEqual({ drop: reason })
  })
})

describe('cpCsv', () => {
  const row = { id: 7, type: 'ip', value: '10.0.0.0/8', confidence: 50, severity: 'bogus', comment: 'line1\nline2', ticket: '' }
  it('writes networks as IP Range, defaults an unknown severity to high, and keeps comments on one line', () => {
    const body = cpCsv([row], 'x')
    expect(body.lines).toEqual(['moat-7,10.0.0.0-10.255.255.255,IP Range,medium,high,AB,"line1 line2"\n'])
  })
  it('keeps IPv6 when enabled but drops IPv6 networks, which have no range type', () => {
    expect(cpCsv([{ ...row, value: '2001:db8::1' }], 'x', { ipv6: true }).lines[0]).toContain(',2001:db8::1,IP,')
    expect(cpCsv([{ ...row, value: '2001:db8::/32' }], 'x', { ipv6: true }).dropped).toEqual({ ipv6_range: 1 })
  })
})

describe('helpers', () => {
  it('maps confidence to the Check Point scale', () => {
    expect([0, 39, 40, 69, 70, 89, 90, 100].map(confidenceLabel)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical'])
  })
  it('slices lines by offset and count', () => {
    expect(sliceLines(['a', 'b', 'c'], 1, 1)).toEqual(['b'])
    expect(sliceLines(['a', 'b', 'c'], 2)).toEqual(['c'])
  })
  it('matches consumer feed patterns and finds aliases case-insensitively', () => {
    expect(feedAllowed(['/feed/pa/*'], '/feed/pa/url')).toBe(true)
    expect(feedAllowed(['/feed/pa/*'], '/feed/cp/url')).toBe(false)
    expect(feedAllowed([], '/feed/cp/url')).toBe(true)
    expect(findFeed('/feed/CP/IPAddress/')?.aliasOf).toBe('/feed/cp/ip')
  })
})
