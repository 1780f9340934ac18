import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  bodySnippet,
  candidatesOf,
  confidenceFromTags,
  mispComment,
  mispTicket,
  moatTag,
  moatTags,
  MispShapeError,
  parseCandidate,
  readAttributes,
  reconcileBody,
  restSearchBody,
  splitComposite,
  type MispAttribute,
} from '../../functions/domain/misp'
import { MISP_MAPPED_TYPES } from '../../functions/domain/misp-types'
import { DEFAULT_MISP_TYPES, MISP_DEFAULTS } from '../../schema/contracts/misp'
import { loadAttributes } from '../helpers/fake-misp'

const DATA = '../shared/data/misp'
const demisto = JSON.parse(readFileSync(`${DATA}/restsearch/demisto-search_attribute_by_type.json`, 'utf8'))
const describeTypes = JSON.parse(readFileSync(`${DATA}/describeTypes.json`, 'utf8')).result

const attr = (type: string, value: string, patch: Partial<MispAttribute> = {}): MispAttribute => ({
  uuid: '5a3c2fda-78f4-44b7-8366-46da02de0b81',
  type,
  value,
  toIds: true,
  deleted: false,
  timestamp: 1513893921,
  comment: '',
  eventId: '9747',
  eventUuid: '5a3c2fcd-8328-42bb-a95e-4f4402de0b81',
  eventInfo: 'OSINT - Sednit update',
  tags: [],
  ...patch,
})
const ALL = { allowed: new Set<string>(MISP_MAPPED_TYPES), domainIpBoth: false, requireToIds: true }

describe('reading restSearch answers', () => {
  it('reads the PyMISP-unwrapped demisto fixture and the same list wrapped in response', () => {
    const plain = readAttributes(demisto)
    expect(readAttributes({ response: demisto })).toEqual(plain)
    expect(plain).toHaveLength(2)
    expect(plain[0]).toEqual({
      uuid: '56d769fd-c228-4b8a-b1c7-5126c0a8ab16',
      type: 'md5',
      value: '71a868cdcc6b79b7d274e3b558cd4596',
      toIds: true,
      deleted: false,
      timestamp: 1456957949,
      comment: 'Imported via the freetext import.',
      eventId: '145',
      eventUuid: '56d76936-0d34-44ff-a8c5-5280c0a8ab16',
      eventInfo: 'DDOS.TF = (new) ELF & Win32 DDoS service with ASP + PHP/MySQL MOF webshells - MMD-0048-2016',
      tags: [],
    })
  })

  it('accepts old "1"/"0" flags, an empty answer, and merges event tags after the attribute\'s own', () => {
    const [a] = readAttributes({
      response: { Attribute: [{ ...demisto.Attribute[0], to_ids: '0', deleted: '1', Tag: [{ name: 'tlp:green' }], Event: { ...demisto.Attribute[0].Event, Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }] } }] },
    })
    expect(a).toMatchObject({ toIds: false, deleted: true, tags: ['tlp:green', 'type:OSINT'] })
    expect(readAttributes({ response: [] })).toEqual([])
    expect(readAttributes({ response: { Attribute: [] } })).toEqual([])
  })

  it('refuses answers that are not an attribute list, saying what is missing', () => {
    expect(() => readAttributes({ response: [{ Event: {} }] })).toThrow(MispShapeError)
    expect(() => readAttributes({ name: 'Not Found' })).toThrow(/response.Attribute/)
    expect(() => readAttributes({ Attribute: [{ type: 'md5', value: 'x' }] })).toThrow(/Attribute\[0\] has no uuid/)
  })
})

describe('MISP type -> Moat type', () => {
  it('maps only types MISP defines (describeTypes.json), and pulls every mapped type but email-dst by default', () => {
    for (const t of MISP_MAPPED_TYPES) expect(describeTypes.types).toContain(t)
    expect(DEFAULT_MISP_TYPES).toEqual(MISP_MAPPED_TYPES.filter((t) => t !== 'email-dst'))
    expect(MISP_DEFAULTS.types).toEqual(DEFAULT_MISP_TYPES)
  })

  it('skips every other MISP type, including hex look-alikes that are no file hash', () => {
    const others = (describeTypes.types as string[]).filter((t) => !(MISP_MAPPED_TYPES as string[]).includes(t))
    expect(others.length).toBe(describeTypes.types.length - MISP_MAPPED_TYPES.length)
    for (const t of others) expect(candidatesOf(attr(t, '71a868cdcc6b79b7d274e3b558cd4596'), ALL)).toEqual({ skip: 'unsupported_type' })
    for (const t of ['imphash', 'authentihash', 'x509-fingerprint-sha256', 'ja3-fingerprint-md5', 'sha512', 'ssdeep', 'link', 'filename|sha512']) {
      expect(others).toContain(t)
    }
  })

  it('takes the IP of ip|port (the port noted), the domain of hostname|port and domain|ip', () => {
    const ip = candidatesOf(attr('ip-dst|port', '198.51.100.7|8443'), ALL)
    expect(ip).toEqual({ items: [{ type: 'ip', text: '198.51.100.7', notes: [{ code: 'port_dropped', message: 'port 8443 dropped (MISP ip-dst|port)' }] }] })
    const v6 = candidatesOf(attr('ip-src|port', '2001:db8::1|53'), ALL)
    expect('items' in v6 && parseCandidate(v6.items[0])).toMatchObject({ ok: true, type: 'ip', value: '2001:db8::1' })
    expect(candidatesOf(attr('hostname|port', 'c2.example.org|443'), ALL)).toMatchObject({ items: [{ type: 'domain', text: 'c2.example.org' }] })
    expect(candidatesOf(attr('domain|ip', 'evil.example.org|203.0.113.9'), ALL)).toMatchObject({ items: [{ type: 'domain', text: 'evil.example.org' }] })
    const both = candidatesOf(attr('domain|ip', 'evil.example.org|203.0.113.9'), { ...ALL, domainIpBoth: true })
    expect('items' in both && both.items.map((c) => [c.type, c.text])).toEqual([['domain', 'evil.example.org'], ['ip', '203.0.113.9']])
  })

  it('takes the hash of filename|hash, splitting on the last | (file names may hold one)', () => {
    expect(splitComposite('a|b.exe|86ebcbb3bdd8af257b52daa869ddd6c1')).toEqual(['a|b.exe', '86ebcbb3bdd8af257b52daa869ddd6c1'])
    const c = candidatesOf(attr('filename|sha1', 'a|b.exe|D63FF86F05B6F2FB86ABF0DCD16CD2008FA3C158'), ALL)
    expect(c).toEqual({ items: [{ type: 'sha1', text: 'D63FF86F05B6F2FB86ABF0DCD16CD2008FA3C158', notes: [], filename: 'a|b.exe' }] })
    expect('items' in c && parseCandidate(c.items[0])).toMatchObject({ ok: true, value: 'd63ff86f05b6f2fb86abf0dcd16cd2008fa3c158' })
  })

  it('takes a uri only when it is an absolute URL with a host', () => {
    expect(candidatesOf(attr('uri', '/gate.php'), ALL)).toEqual({ skip: 'uri_not_absolute' })
    expect(candidatesOf(attr('uri', 'evil.example.org/gate.php'), ALL)).toEqual({ skip: 'uri_not_absolute' })
    expect(candidatesOf(attr('uri', 'hxxp://evil.example.org/gate.php'), ALL)).toMatchObject({ items: [{ type: 'url' }] })
  })

  it('skips deleted attributes, attributes not for IDS when required, and types the admin left out', () => {
    expect(candidatesOf(attr('md5', 'x', { deleted: true }), ALL)).toEqual({ skip: 'deleted' })
    expect(candidatesOf(attr('md5', 'x', { toIds: false }), ALL)).toEqual({ skip: 'not_to_ids' })
    expect(candidatesOf(attr('md5', '71a868cdcc6b79b7d274e3b558cd4596', { toIds: false }), { ...ALL, requireToIds: false })).toMatchObject({ items: [{ type: 'md5' }] })
    expect(candidatesOf(attr('email-dst', 'victim@example.org'), { ...ALL, allowed: new Set(DEFAULT_MISP_TYPES) })).toEqual({ skip: 'filtered_type' })
  })

  it('names the MISP type to the parser, so a value of another kind is refused, not retyped', () => {
    const sha1AsMd5 = parseCandidate({ type: 'md5', text: 'd63ff86f05b6f2fb86abf0dcd16cd2008fa3c158', notes: [] })
    expect(sha1AsMd5).toMatchObject({ ok: false, error: { code: 'type_mismatch' } })
    expect(parseCandidate({ type: 'domain', text: 'http://evil.example.org/x', notes: [] })).toMatchObject({ ok: false, error: { code: 'type_mismatch' } })
    expect(parseCandidate({ type: 'url', text: 'hxxp://evil[.]example[.]org/x', notes: [] })).toMatchObject({ ok: true, value: 'http://evil.example.org/x' })
  })

  it('parses every file hash of the real event files as the type MISP gave it', () => {
    const hashes = loadAttributes().filter((a) => ['md5', 'sha1', 'sha256', 'filename|md5', 'filename|sha1', 'filename|sha256'].includes(a.type))
    expect(hashes.length).toBeGreaterThan(300)
    for (const a of readAttributes({ response: { Attribute: hashes.map(({ _event, ...rest }) => rest) } })) {
      const c = candidatesOf(a, { ...ALL, requireToIds: false })
      if (!('items' in c)) throw new Error(`${a.type} skipped`)
      const p = parseCandidate(c.items[0])
      expect(p.ok && p.type, `${a.type} ${a.value}`).toBe(a.type.replace('filename|', ''))
    }
  })
})

describe('metadata', () => {
  it("rewrites MISP tags into Moat's tag alphabet and drops what cannot fit", () => {
    expect(moatTag('tlp:white')).toBe('tlp:white')
    expect(moatTag('misp-galaxy:threat-actor="Sofacy"')).toBe('misp-galaxy:threat-actor:Sofacy')
    expect(moatTag('osint:certainty="93"')).toBe('osint:certainty:93')
    expect(moatTag('PasteBin: MALWAREMESSIAGH')).toBe('PasteBin: MALWAREMESSIAGH')
    expect(moatTag('workflow:todo="create-missing-misp-galaxy-cluster-values"')).toBeNull()
    expect(moatTag('"#"')).toBeNull()
    const many = Array.from({ length: 30 }, (_, i) => `tag:${i}`)
    expect(moatTags(['TLP:WHITE', 'tlp:white', ...many])).toHaveLength(20)
    expect(moatTags(['TLP:WHITE', 'tlp:white'])).toEqual(['TLP:WHITE'])
  })

  it('reads confidence from estimative language, admiralty scale or osint certainty, first tag first', () => {
    expect(confidenceFromTags(['tlp:white', 'estimative-language:likelihood-probability="very-likely"'])).toBe(88)
    expect(confidenceFromTags(['admiralty-scale:information-credibility="2"'])).toBe(80)
    expect(confidenceFromTags(['admiralty-scale:information-credibility="6"'])).toBeNull()
    expect(confidenceFromTags(['osint:certainty="93"', 'admiralty-scale:information-credibility="5"'])).toBe(93)
    expect(confidenceFromTags(['osint:certainty="130"', 'tlp:amber'])).toBeNull()
  })

  it('builds the ZIoCHub ticket and comment, cut where the spec says', () => {
    expect(mispTicket('145')).toBe('MISP-145')
    expect(mispTicket(null)).toBe('MISP')
    expect(mispComment('Ursnif, MALWAREMESSIAGH', 'Ursnif')).toBe('[MISP] Ursnif, MALWAREMESSIAGH | Ursnif')
    expect(mispComment('E', '', 'B412.tmp')).toBe('[MISP] E | file: B412.tmp')
    const long = mispComment('i'.repeat(500), 'c'.repeat(900))
    expect(long).toBe(`[MISP] ${'i'.repeat(200)} | ${'c'.repeat(500)}`)
    const withFile = mispComment('i'.repeat(200), 'c'.repeat(500), 'f'.repeat(400))
    expect(withFile.endsWith(` | file: ${'f'.repeat(255)}`)).toBe(true)
    expect(withFile.length).toBeLessThanOrEqual(1000)
  })

  it('shortens error bodies to their text', () => {
    expect(bodySnippet('<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>')).toBe('502 Bad Gateway nginx')
    expect(bodySnippet('x'.repeat(500))).toHaveLength(200)
  })
})

describe('request bodies', () => {
  const f = { ...MISP_DEFAULTS, tagsInclude: ['tlp:white', 'tlp:green'], tagsExclude: ['tlp:red'] }

  it('asks for the window first, then for changes since the cursor or recent publishing', () => {
    const first = restSearchBody(f, 1, 1000, { window: 30 })
    expect(first).toEqual({
      returnFormat: 'json', page: 1, limit: 1000, type: f.types, includeEventTags: true, includeEventUuid: true,
      enforceWarninglist: true, to_ids: true, published: true, tags: { OR: ['tlp:white', 'tlp:green'], NOT: ['tlp:red'] }, last: '30d',
    })
    expect(restSearchBody(f, 2, 1000, { cursor: 1551000000 })).toMatchObject({ page: 2, timestamp: 1551000000 })
    expect(restSearchBody(f, 1, 1000, { cursor: 1 }).last).toBeUndefined()
    expect(restSearchBody(f, 1, 1000, { publishedMinutes: 75 })).toMatchObject({ publish_timestamp: '75m' })
    const loose = restSearchBody({ ...MISP_DEFAULTS, toIds: false, published: false }, 1, 10, { window: 1 })
    expect(loose).not.toHaveProperty('to_ids')
    expect(loose).not.toHaveProperty('published')
    expect(loose).not.toHaveProperty('tags')
  })

  it('re-checks known attributes by uuid, without a to_ids filter', () => {
    const body = reconcileBody(MISP_DEFAULTS, ['a', 'b'], 1, 500)
    expect(body).toEqual({ returnFormat: 'json', page: 1, limit: 500, uuid: ['a', 'b'], includeEventUuid: true, enforceWarninglist: true, published: true })
  })
})
