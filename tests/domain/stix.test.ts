import { describe, expect, it } from 'vitest'
import {
  identityObject,
  indicatorId,
  indicatorObject,
  microsToIso,
  MOAT_NAMESPACE,
  parseTimestamp,
  patternLiteral,
  stixBundle,
  stixPattern,
  uuidV5,
  type IndicatorData,
} from '../../functions/domain/stix'
import { COLLECTIONS } from '../../functions/domain/taxii2'

// STIX 2.1 rules (OASIS STIX 2.1 OS, sections 2 and 9; STIXPattern.g4) the output must pass.
const ID = /^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const MS_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
// One comparison expression: [object-type:path = 'literal'] with only \' and \\ escapes.
const COMPARISON = /^\[([a-z0-9-]+):(value|hashes\.'(MD5|SHA-1|SHA-256)') = '((?:[^'\\]|\\['\\])*)'\]$/
const HASH_LEN: Record<string, number> = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64 }

/** Checks a pattern the way cti-pattern-validator would for Moat's shapes; returns the literal. */
function checkPattern(pattern: string): { objectType: string; hash?: string; value: string } {
  const m = COMPARISON.exec(pattern)
  if (!m) throw new Error(`not a valid comparison pattern: ${pattern}`)
  const value = m[4].replace(/\\(['\\])/g, '$1')
  if (m[3]) expect(value).toMatch(new RegExp(`^[0-9a-f]{${HASH_LEN[m[3]]}}$`))
  return { objectType: m[1], hash: m[3], value }
}

const data = (over: Partial<IndicatorData> = {}): IndicatorData => ({
  type: 'ip',
  value: '198.51.100.7',
  comment: '',
  tags: [],
  confidence: 70,
  ticket: '',
  validFrom: '2026-03-01T10:00:00.123Z',
  validUntil: null,
  ...over,
})

describe('UUIDv5', () => {
  it('matches the RFC 4122 name-based algorithm (Python uuid.uuid5 vectors)', async () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8'
    expect(await uuidV5(dns, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
    expect(await uuidV5(dns, 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d')
  })

  it('gives each IOC incarnation a stable, hyphenated indicator id, new after a revocation', async () => {
    const a = await indicatorId('domain', 'evil.example', 1)
    expect(a).toMatch(ID)
    expect(a).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5/)
    expect(await indicatorId('domain', 'evil.example', 1)).toBe(a)
    expect(a).toBe(`indicator--${await uuidV5(MOAT_NAMESPACE, 'domain|evil.example|1')}`)
    const ids = new Set([a, await indicatorId('domain', 'evil.example', 2), await indicatorId('domain', 'evil.example', 1, 1), await indicatorId('url', 'evil.example', 1)])
    expect(ids.size).toBe(4)
  })

  it('keeps the collection ids equal to UUIDv5 of their alias', async () => {
    for (const col of COLLECTIONS) expect(col.id).toBe(await uuidV5(MOAT_NAMESPACE, `collection|${col.alias}`))
  })
})

describe('timestamps', () => {
  it('parses RFC 3339 with any fraction and zone into microseconds', () => {
    expect(parseTimestamp('2026-11-23T20:28:29.123456Z')).toBe(Date.UTC(2026, 10, 23, 20, 28, 29) * 1000 + 123456)
    expect(parseTimestamp('2026-11-23T20:28:29Z')).toBe(Date.UTC(2026, 10, 23, 20, 28, 29) * 1000)
    expect(parseTimestamp('2026-11-23T22:28:29.5+02:00')).toBe(Date.UTC(2026, 10, 23, 20, 28, 29) * 1000 + 500000)
    for (const bad of ['2026-11-23', '2026-02-30T00:00:00Z', '2026-11-23T20:28:29', 'yesterday', '2026-11-23T25:00:00Z']) {
      expect(parseTimestamp(bad), bad).toBeNull()
    }
  })

  it('writes date_added with six fraction digits and round-trips', () => {
    const micros = Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 + 6007
    expect(microsToIso(micros)).toBe('2026-01-02T03:04:05.006007Z')
    expect(parseTimestamp(microsToIso(micros))).toBe(micros)
    // Text order is time order, which keyset pages rely on.
    expect(microsToIso(micros) < microsToIso(micros + 1)).toBe(true)
  })
})

describe('patterns', () => {
  const cases: [IndicatorData['type'], string, string][] = [
    ['ip', '198.51.100.7', "[ipv4-addr:value = '198.51.100.7']"],
    ['ip', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['ip', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['ip', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'evil.example', "[domain-name:value = 'evil.example']"],
    ['url', 'http://evil.example/path?q=1', "[url:value = 'http://evil.example/path?q=1']"],
    ['email', 'bad@evil.example', "[email-addr:value = 'bad@evil.example']"],
    ['md5', '44d88612fea8a8f36de82e1278abb02f', "[file:hashes.'MD5' = '44d88612fea8a8f36de82e1278abb02f']"],
    ['sha1', '3395856ce81f2b7382dee72602f798b642f14140', "[file:hashes.'SHA-1' = '3395856ce81f2b7382dee72602f798b642f14140']"],
    ['sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', "[file:hashes.'SHA-256' = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']"],
  ]
  it.each(cases)('writes the canonical pattern for %s %s', (type, value, pattern) => {
    expect(stixPattern(type, value)).toBe(pattern)
    expect(checkPattern(pattern).value).toBe(value)
  })

  it("escapes backslashes first, then quotes, so the literal reads back exactly", () => {
    const value = "http://evil.example/a'b\\c\\'d"
    expect(patternLiteral(value)).toBe("'http://evil.example/a\\'b\\\\c\\\\\\'d'")
    const p = stixPattern('url', value)
    expect(checkPattern(p).value).toBe(value)
  })
})

describe('indicator objects', () => {
  const identity = 'identity--00000000-0000-5000-8000-000000000000'
  it('carries every required STIX 2.1 property, with millisecond UTC timestamps', async () => {
    const id = await indicatorId('sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', 1)
    const o = indicatorObject(
      { id, created: '2026-03-01T10:00:00.123Z', modified: '2026-03-02T11:00:00Z', revoked: false },
      data({ type: 'sha256', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', comment: 'dropper', tags: ['apt-x'], ticket: 'INC-1001', confidence: 95, validUntil: '2026-06-01T00:00:00.000Z', tlp: 'amber' }),
      identity,
    )
    expect(o).toMatchObject({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created_by_ref: identity,
      pattern_type: 'stix',
      pattern_version: '2.1',
      indicator_types: ['malicious-activity'],
      description: 'dropper',
      labels: ['apt-x'],
      confidence: 95,
      external_references: [{ source_name: 'moat-ticket', external_id: 'INC-1001' }],
      object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
    })
    for (const k of ['created', 'modified', 'valid_from', 'valid_until']) expect(o[k], k).toMatch(MS_TIME)
    expect(o.modified).toBe('2026-03-02T11:00:00.000Z')
    expect((o.valid_until as string) > (o.valid_from as string)).toBe(true)
    expect(o.name).toBe('Moat sha256: 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f')
    expect('revoked' in o).toBe(false)
    checkPattern(o.pattern as string)
  })

  it('omits an empty description (never null), empty labels, and a valid_until not after valid_from', () => {
    const o = indicatorObject({ id: 'indicator--x', created: '2026-03-01T10:00:00.000Z', modified: '2026-03-01T10:00:00.000Z', revoked: true }, data({ validUntil: '2026-03-01T10:00:00.000Z' }), identity)
    expect(o).not.toHaveProperty('description')
    expect(o).not.toHaveProperty('labels')
    expect(o).not.toHaveProperty('valid_until')
    expect(o).not.toHaveProperty('external_references')
    expect(o.revoked).toBe(true)
  })

  it('cuts long values in the name to 80 characters', () => {
    const long = `http://evil.example/${'a'.repeat(200)}`
    const o = indicatorObject({ id: 'indicator--x', created: '2026-03-01T10:00:00.000Z', modified: '2026-03-01T10:00:00.000Z', revoked: false }, data({ type: 'url', value: long }), identity)
    expect((o.name as string).length).toBe('Moat url: '.length + 80)
    expect((o.name as string).endsWith('…')).toBe(true)
    expect(checkPattern(o.pattern as string).value).toBe(long)
  })

  it('describes Moat as one system identity, and bundles without spec_version', () => {
    const o = identityObject({ id: identity, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', revoked: false })
    expect(o).toMatchObject({ type: 'identity', spec_version: '2.1', identity_class: 'system', name: 'Moat' })
    const b = stixBundle([o])
    expect(b.id).toMatch(/^bundle--[0-9a-f-]{36}$/)
    expect(b).not.toHaveProperty('spec_version')
  })
})
