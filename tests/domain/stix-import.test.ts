import { describe, expect, it } from 'vitest'
import { parseStixBundle, patternValues } from '../../functions/domain/stix-import'
import { indicatorObject, stixBundle, stixPattern, type IndicatorData } from '../../functions/domain/stix'

const indicator = (pattern: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  ...extra,
})

describe('patternValues', () => {
  it('reads every Moat pattern shape back to its type and value', () => {
    const cases: [IndicatorData['type'], string][] = [
      ['ip', '198.51.100.7'],
      ['ip', '198.51.100.0/24'],
      ['ip', '2001:db8::/32'],
      ['domain', 'evil.example'],
      ['url', "http://evil.example/a'b\\c"],
      ['email', 'bad@evil.example'],
      ['md5', '44d88612fea8a8f36de82e1278abb02f'],
      ['sha1', '3395856ce81f2b7382dee72602f798b642f14140'],
      ['sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f'],
    ]
    for (const [type, value] of cases) expect(patternValues(stixPattern(type, value)), value).toEqual([{ type, value }])
  })

  it('takes OR lists inside and across observations, and unquoted hash names', () => {
    expect(patternValues("[domain-name:value = 'a.example' OR domain-name:value = 'b.example'] OR [url:value = 'http://c.example/']")).toEqual([
      { type: 'domain', value: 'a.example' },
      { type: 'domain', value: 'b.example' },
      { type: 'url', value: 'http://c.example/' },
    ])
    expect(patternValues('[file:hashes.MD5 = \'44d88612fea8a8f36de82e1278abb02f\']')).toEqual([{ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }])
    expect(patternValues("[email-message:from_ref.value = 'x@evil.example']")).toEqual([{ type: 'email', value: 'x@evil.example' }])
  })

  it('explains what it cannot take instead of guessing', () => {
    expect(patternValues("[file:name = 'a.exe' AND file:hashes.'SHA-256' = 'ab']")).toMatch(/AND/)
    expect(patternValues("[process:name = 'evil.exe']")).toMatch(/unsupported object path process:name/)
    expect(patternValues("[file:hashes.'SSDEEP' = '3:a:b']")).toMatch(/unsupported hash algorithm SSDEEP/)
    expect(patternValues("[domain-name:value MATCHES '^evil']")).toMatch(/unsupported comparison/)
    expect(patternValues('not a pattern')).toMatch(/unsupported pattern/)
  })
})

describe('parseStixBundle', () => {
  it('returns one row per indicator value with its metadata', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--0b3a5bd4-5c3e-4b0b-9f1f-111111111111',
      objects: [
        { type: 'identity', id: 'identity--x', name: 'ACME CERT' },
        indicator("[ipv4-addr:value = '198.51.100.7']", {
          name: 'C2',
          description: 'stage 2',
          labels: ['apt-x', 7],
          confidence: 80,
          valid_until: '2026-06-01T00:00:00Z',
          external_references: [{ source_name: 'moat-ticket', external_id: 'INC-9' }],
        }),
        indicator("[domain-name:value = 'a.example'] OR [domain-name:value = 'b.example']", { revoked: true }),
        { type: 'malware', id: 'malware--y', name: 'x' },
      ],
    }
    const { rows, notes } = parseStixBundle(JSON.stringify(bundle))
    expect(notes).toEqual([])
    expect(rows).toHaveLength(3)
    expect(rows[0]).toMatchObject({
      type: 'ip',
      value: '198.51.100.7',
      index: 1,
      name: 'C2',
      comment: 'stage 2',
      tags: ['apt-x'],
      confidence: 80,
      validUntil: '2026-06-01T00:00:00Z',
      ticket: 'INC-9',
      revoked: false,
    })
    expect(rows.slice(1).map((r) => [r.value, r.revoked, r.index])).toEqual([
      ['a.example', true, 2],
      ['b.example', true, 2],
    ])
  })

  it('reads back what Moat itself publishes', () => {
    const data: IndicatorData = { type: 'url', value: "http://evil.example/x'y", comment: 'c', tags: ['t'], confidence: 60, ticket: 'INC-1', validFrom: '2026-01-01T00:00:00.000Z', validUntil: null }
    const o = indicatorObject({ id: 'indicator--00000000-0000-5000-8000-000000000001', created: data.validFrom, modified: data.validFrom, revoked: false }, data, 'identity--x')
    const { rows } = parseStixBundle(stixBundle([o]))
    expect(rows[0]).toMatchObject({ type: 'url', value: "http://evil.example/x'y", comment: 'c', tags: ['t'], confidence: 60, ticket: 'INC-1' })
  })

  it('notes skipped indicators by position and refuses what is not a bundle', () => {
    const { rows, notes } = parseStixBundle({
      type: 'bundle',
      objects: [indicator('rule x { condition: true }', { pattern_type: 'yara' }), indicator("[process:pid = '1']"), { type: 'indicator', id: 'indicator--z' }],
    })
    expect(rows).toEqual([])
    expect(notes).toEqual([
      'objects[0]: pattern_type yara skipped (only STIX patterns carry IOC values)',
      'objects[1]: unsupported object path process:pid',
      'objects[2]: no pattern',
    ])
    expect(() => parseStixBundle({ type: 'indicator' })).toThrow(/not a STIX bundle/)
    expect(() => parseStixBundle('[1,2]')).toThrow(/not a STIX bundle/)
    expect(() => parseStixBundle('{nope')).toThrow()
  })
})
