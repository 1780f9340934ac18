import { describe, expect, it } from 'vitest'
import { parseIoc } from '../../functions/domain/ioc'
import { sanityWarnings } from '../../functions/domain/sanity'
import { CRITICAL_CODES, criticalBlocks, criticalRefusal, criticalWarnings, sanityModeOf } from '../../functions/domain/sanity-policy'
import { cleanTtlByType, defaultTtlFor, ttlGroupOf } from '../../functions/domain/ttl-policy'

/** The critical codes a raw value raises, through the parser and the built-in checks. */
function critical(raw: string): string[] {
  const parsed = parseIoc(raw)
  if (!parsed.ok) throw new Error(`${raw}: ${parsed.error.message}`)
  return criticalWarnings([...parsed.warnings, ...sanityWarnings(parsed.type, parsed.value)]).map((w) => w.code)
}

describe('the critical set', () => {
  it('is the documented fixed set of codes', () => {
    expect([...CRITICAL_CODES].sort()).toEqual(['broadcast_ip', 'empty_file_hash', 'loopback_ip', 'public_resolver', 'public_suffix', 'unspecified_ip'])
  })

  it.each([
    ['8.8.8.8', ['public_resolver']],
    ['1.1.1.1', ['public_resolver']],
    ['2606:4700:4700::1111', ['public_resolver']],
    ['8.8.8.0/24', ['public_resolver']],
    ['co.uk', ['public_suffix']],
    ['gov.il', ['public_suffix']],
    ['http://co.uk/login', ['public_suffix']],
    ['0.0.0.0', ['unspecified_ip']],
    ['::', ['unspecified_ip']],
    ['127.0.0.1', ['loopback_ip']],
    ['::1', ['loopback_ip']],
    ['http://127.0.0.1:8080/x', ['loopback_ip']],
    ['255.255.255.255', ['broadcast_ip']],
    ['d41d8cd98f00b204e9800998ecf8427e', ['empty_file_hash']],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', ['empty_file_hash']],
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', ['empty_file_hash']],
  ])('%s is critical (%j)', (raw, codes) => {
    expect(critical(raw)).toEqual(codes)
  })

  it.each(['10.1.2.3', '192.168.1.1', '100.64.0.1', '169.254.1.1', '224.0.0.1', '192.0.2.7', '10.0.0.0/8', 'google.com', 'sites.google.com', 'ok.ru', 't.co', 'printer.local', 'evil.example.com', '45.9.148.12', 'login.evil.co.uk'])(
    '%s only warns (not critical)',
    (raw) => expect(critical(raw)).toEqual([]),
  )

  it('a bare TLD never reaches the checks: the parser refuses it for everyone', () => {
    for (const raw of ['com', '.com', 'il', 'http://com/']) expect(parseIoc(raw).ok).toBe(false)
  })
})

describe('the sanity mode', () => {
  it('blocks by role as the spec says', () => {
    expect(['admin', 'analyst', 'viewer'].map((r) => criticalBlocks('block_all', r as never))).toEqual([true, true, true])
    expect(['admin', 'analyst', 'viewer'].map((r) => criticalBlocks('block_non_admin', r as never))).toEqual([false, true, true])
    expect(['admin', 'analyst', 'viewer'].map((r) => criticalBlocks('warn_all', r as never))).toEqual([false, false, false])
  })

  it('refuses with the first critical hit as a field error of value, and ignores ordinary warnings', () => {
    const warnings = [
      { code: 'wide_cidr', message: 'wide' },
      { code: 'public_resolver', message: '8.0.0.0/8 contains 8.8.8.8' },
    ]
    expect(criticalRefusal(warnings, 'block_non_admin', 'analyst')).toEqual({
      code: 'critical_blocked',
      field: 'value',
      part: 'public_resolver',
      message: '8.0.0.0/8 contains 8.8.8.8 (a critical sanity hit, public_resolver: only an admin may confirm it)',
    })
    expect(criticalRefusal(warnings, 'block_all', 'admin')?.message).toMatch(/nobody may confirm it/)
    expect(criticalRefusal(warnings, 'block_non_admin', 'admin')).toBeNull()
    expect(criticalRefusal(warnings.slice(0, 1), 'block_all', 'analyst')).toBeNull()
  })

  it('reads a stored mode, and anything else as the default (never silently off)', () => {
    expect(sanityModeOf('warn_all')).toBe('warn_all')
    expect(sanityModeOf('off')).toBe('block_non_admin')
    expect(sanityModeOf(undefined)).toBe('block_non_admin')
  })
})

describe('default lifetime per type', () => {
  it('groups the hashes and falls back to the default', () => {
    expect(['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'].map((t) => ttlGroupOf(t as never))).toEqual(['ip', 'domain', 'url', 'email', 'hash', 'hash', 'hash'])
    const byType = cleanTtlByType({ ip: '1w', hash: 'permanent', md5: '1y', url: '2w', bogus: '1m' })
    expect(byType).toEqual({ ip: '1w', hash: 'permanent' })
    expect(defaultTtlFor('sha1', byType, '3m')).toBe('permanent')
    expect(defaultTtlFor('ip', byType, '3m')).toBe('1w')
    expect(defaultTtlFor('url', byType, '3m')).toBe('3m')
    expect(cleanTtlByType(null)).toEqual({})
    expect(cleanTtlByType(['1w'])).toEqual({})
  })
})
