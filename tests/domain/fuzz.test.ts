// Property-based fuzzing (issue 10), seeded and bounded so every run is the same: the IOC parser,
// the TXT/CSV importers, the STIX pattern builder and the CSV formula guard. Each property runs
// RUNS generated cases; a failure prints the seed and the shrunk counterexample.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvCell } from '../../functions/domain/csv'
import { parseImport } from '../../functions/domain/import-parse'
import { IOC_TYPES, parseIoc, type IocType } from '../../functions/domain/ioc'
import { stixPattern } from '../../functions/domain/stix'
import { patternValues } from '../../functions/domain/stix-import'

const SEED = 20261124
const RUNS = 2000
const opts = { seed: SEED, numRuns: RUNS }

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/)
const tld = fc.constantFrom('com', 'net', 'top', 'xyz', 'ru', 'co.uk', 'io', 'xn--p1ai', 'museum')
const domain = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([ls, t]) => `${ls.join('.')}.${t}`)
const ipv4 = fc.ipV4()
const ipv6 = fc.ipV6()
const path = fc.array(fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/), { maxLength: 4 }).map((ps) => ps.join('/'))
const url = fc
  .tuple(fc.constantFrom('http', 'https', 'ftp'), fc.oneof(domain, ipv4), fc.option(fc.integer({ min: 1, max: 65535 })), path)
  .map(([s, h, port, p]) => `${s}://${h}${port ? `:${port}` : ''}/${p}`)
const email = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/), domain).map(([u, d]) => `${u}@${d}`)
const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${n}}$`))
const hash = fc.oneof(hex(32), hex(40), hex(64))
const iocLike = fc.oneof(ipv4, ipv6, domain, url, email, hash)

/** What analysts paste: defanged dots and schemes, brackets, quotes, trailing punctuation, spaces. */
const defanged = fc
  .tuple(iocLike, fc.constantFrom('[.]', '(.)', '[dot]', '.', '.'), fc.constantFrom('hxxp', 'hXXp', 'http'), fc.constantFrom('', ' ', '"', "'", '<', '('), fc.constantFrom('', ' ', ',', '.', '"', ')', '>'))
  .map(([v, dot, scheme, pre, post]) => `${pre}${v.replace(/\./g, dot).replace(/^http/, scheme)}${post}`)

/** Anything at all, biased toward the characters parsers trip on. */
const junk = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.array(fc.constantFrom('[', ']', '.', ':', '/', '@', '%', '\\', '\u0000', '\u202e', '\ufeff', 'hxxp', '::', '0x', '1', 'a', ' ', '\n', '"', ','), { maxLength: 60 }).map((a) => a.join('')),
)

describe('fuzz: the IOC parser', () => {
  it('never throws, and answers ok with a known type or an error with a code', () => {
    fc.assert(
      fc.property(fc.oneof(junk, iocLike, defanged), fc.option(fc.constantFrom(...IOC_TYPES), { nil: undefined }), (raw, type) => {
        const r = parseIoc(raw, { type })
        if (r.ok) expect(IOC_TYPES).toContain(r.type)
        else expect(r.error.code).toMatch(/^[a-z0-9_]+$/)
      }),
      opts,
    )
  })

  it('makes canonical values fixed points: parsing a parsed value gives it back unchanged', () => {
    let parsedOk = 0
    fc.assert(
      fc.property(fc.oneof(iocLike, defanged, junk), (raw) => {
        const first = parseIoc(raw)
        if (!first.ok) return
        parsedOk++
        const again = parseIoc(first.value, { type: first.type })
        expect(again).toMatchObject({ ok: true, type: first.type, value: first.value })
        // Detection alone agrees too: the canonical form is not ambiguous.
        expect(parseIoc(first.value)).toMatchObject({ ok: true, type: first.type, value: first.value })
      }),
      opts,
    )
    // The generators really produce indicators (not only junk the property skips).
    expect(parsedOk).toBeGreaterThan(RUNS / 2)
  })

  it('refangs what it generates: a defanged value parses to the same value as its plain form', () => {
    fc.assert(
      fc.property(iocLike, fc.constantFrom('[.]', '(.)', '[dot]'), (v, dot) => {
        const plain = parseIoc(v)
        if (!plain.ok || plain.type === 'md5' || plain.type === 'sha1' || plain.type === 'sha256') return
        const fanged = parseIoc(v.replace(/\./g, dot).replace(/^http/, 'hxxp'))
        expect(fanged).toMatchObject({ ok: true, type: plain.type, value: plain.value })
      }),
      opts,
    )
  })
})

describe('fuzz: the TXT and CSV importers', () => {
  const lines = fc.array(fc.oneof(junk, iocLike, defanged, fc.constant('# ticket: INC-1'), fc.constant('')), { maxLength: 40 })

  it('never throw, and give every row a line of the input and a value or an error', () => {
    fc.assert(
      fc.property(lines, fc.constantFrom('txt', 'csv', 'auto'), fc.constantFrom('\n', '\r\n'), (ls, format, eol) => {
        const text = ls.join(eol)
        const parsed = parseImport(text, format as 'txt' | 'csv')
        const count = text.split(/\r\n|\r|\n/).length
        for (const row of parsed.rows) {
          expect(row.line).toBeGreaterThanOrEqual(1)
          expect(row.line).toBeLessThanOrEqual(count)
          if ('error' in row) expect(row.error.code).toBeTruthy()
          else expect(parseIoc(row.value, { type: row.type })).toMatchObject({ ok: true, value: row.value })
        }
      }),
      { seed: SEED, numRuns: RUNS / 2 },
    )
  })

  it('finds every generated indicator of a plain list, in order', () => {
    fc.assert(
      fc.property(fc.array(iocLike, { minLength: 1, maxLength: 30 }), (values) => {
        const expected = values.map((v) => parseIoc(v)).filter((r) => r.ok)
        const parsed = parseImport(values.join('\n'), 'txt')
        const got = parsed.rows.filter((r) => !('error' in r)).map((r) => ('value' in r ? r.value : null))
        expect(got).toEqual(expected.map((r) => (r.ok ? r.value : null)))
      }),
      { seed: SEED, numRuns: RUNS / 2 },
    )
  })
})

describe('fuzz: the STIX pattern builder', () => {
  it('builds a pattern that reads back as exactly the IOC it was built from', () => {
    fc.assert(
      fc.property(fc.oneof(iocLike, defanged), (raw) => {
        const r = parseIoc(raw)
        if (!r.ok) return
        const back = patternValues(stixPattern(r.type as IocType, r.value))
        expect(back).toEqual([{ type: r.type, value: r.value }])
      }),
      opts,
    )
  })

  it('escapes quotes and backslashes in any literal', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }).filter((s) => s.trim() !== ''), (s) => {
        const back = patternValues(stixPattern('url', s))
        expect(back).toEqual([{ type: 'url', value: s }])
      }),
      opts,
    )
  })
})

describe('fuzz: the CSV formula guard', () => {
  /** RFC 4180 reading of one cell as written by csvCell. */
  const readCell = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell)

  it('never lets a guarded cell start with = + - @ TAB or CR, and keeps the text otherwise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('=cmd|/c calc!A1', '+1+1', '-2', '@SUM(A1)', '\t=1', '\r=1').chain((p) => fc.string().map((s) => p + s))), (s) => {
        const read = readCell(csvCell(s, true))
        expect(read).not.toMatch(/^[=+\-@\t\r]/)
        expect(read === s || read === `'${s}`).toBe(true)
      }),
      opts,
    )
  })
})
