import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  decodeUpload,
  detectFormat,
  parseImport,
  type ParsedImport,
  type StagedRow,
} from '../../functions/domain/import-parse'

// Real third-party data, read in place (never copied into the repo).
const IOCS = '../shared/data/iocs'
const read = (path: string) => readFileSync(`${IOCS}/${path}`, 'utf8')
const bytes = (...values: number[]) => new Uint8Array(values)
const utf8 = (text: string) => new TextEncoder().encode(text)

/** `line type value` or `line error:code`, so tables read as input -> outcome. */
function outcome(rows: StagedRow[]): string[] {
  return rows.map((row) =>
    'type' in row ? `${row.line} ${row.type} ${row.value}` : `${row.line} error:${row.error.code}`,
  )
}

function tally(parsed: ParsedImport): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const row of parsed.rows) {
    const key = 'type' in row ? row.type : `error:${row.error.code}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  return counts
}

describe('decodeUpload', () => {
  it('refuses a PNG as binary, naming what it is', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48)
    expect(decodeUpload(png)).toMatchObject({ ok: false, code: 'binary' })
    expect(decodeUpload(png)).toMatchObject({ message: expect.stringContaining('PNG') })
  })

  it('refuses NUL bytes and text full of control characters as binary', () => {
    expect(decodeUpload(bytes(0x31, 0x2e, 0x32, 0x00, 0x33))).toMatchObject({ code: 'binary' })
    const noisy = utf8('evil.com\n\x01\x02\x03\x04 1.2.3.4\n')
    expect(decodeUpload(noisy)).toMatchObject({ ok: false, code: 'binary' })
  })

  it('refuses Latin-1 (0xE9 for é) as not UTF-8, naming the line', () => {
    const latin1 = bytes(...utf8('evil.com\ncaf'), 0xe9, 0x0a)
    const result = decodeUpload(latin1)
    expect(result).toMatchObject({ ok: false, code: 'not_utf8' })
    expect(result).toMatchObject({ message: expect.stringContaining('line 2') })
  })

  it('refuses UTF-16 (with a BOM or without) and says to save as UTF-8', () => {
    const le = bytes(0xff, 0xfe, 0x31, 0, 0x2e, 0, 0x32, 0)
    const be = bytes(0xfe, 0xff, 0, 0x31, 0, 0x2e, 0, 0x32)
    const bare = bytes(0x31, 0, 0x2e, 0, 0x32, 0, 0x2e, 0, 0x33, 0, 0x0a, 0)
    for (const input of [le, be, bare]) {
      const result = decodeUpload(input)
      expect(result).toMatchObject({ ok: false, code: 'not_utf8' })
      expect(result).toMatchObject({ message: expect.stringMatching(/save .*as UTF-8/) })
    }
  })

  it('accepts UTF-8 and drops its BOM', () => {
    expect(decodeUpload(bytes(0xef, 0xbb, 0xbf, ...utf8('ioc\nevil.com')))).toEqual({
      ok: true,
      text: 'ioc\nevil.com',
    })
    expect(decodeUpload(utf8('בדיקה.קום\t# tab ok\r\n'))).toEqual({
      ok: true,
      text: 'בדיקה.קום\t# tab ok\r\n',
    })
  })
})

describe('detectFormat', () => {
  it('trusts .csv, and .txt unless the text is prose', () => {
    expect(detectFormat('1.2.3.4\nevil.com\n', 'IOCS.CSV')).toBe('csv')
    expect(detectFormat('1.2.3.4\nevil.com # c2\n', 'list.txt')).toBe('txt')
    const report = 'The actor used evil[.]com for staging.\nLater it moved to 1.2.3.4 as well.\n'
    expect(detectFormat(report, 'report.txt')).toBe('text')
  })

  it('sniffs delimiter-separated records with a consistent column count as csv', () => {
    expect(detectFormat('indicator;comment\n1.2.3.4;scanner\nevil.com;c2\n')).toBe('csv')
    expect(detectFormat('1.2.3.4,scanner,5\nevil.com,c2,7\n')).toBe('csv')
    expect(detectFormat('ioc\n1.2.3.4\nevil.com\n')).toBe('csv')
  })

  it('sniffs one token per line as txt, and anything else as text', () => {
    expect(detectFormat(read('blocklists/maltrail-mass_scanner.txt'))).toBe('txt')
    expect(detectFormat(read('eset/agrius/samples.sha256'))).toBe('txt')
    expect(detectFormat('We saw evil.com, and then 1.2.3.4.\nNothing else, really.\n')).toBe('text')
    expect(detectFormat('Beaconing to hxxp://bad[.]example/gate every 60s\n')).toBe('text')
  })
})

describe('parseImport csv', () => {
  it('maps synonym headers in any position, case and separator', () => {
    const csv = [
      'Ticket_ID,Description,Campaign,IOC Value,Labels',
      'INC-1,seen in phish,Op Lure,hxxp://evil[.]com/a,"mail, lure"',
      'INC-2,,,1.2.3.4,',
    ].join('\n')
    const parsed = parseImport(csv, 'csv')
    expect(parsed.columns).toEqual({
      ioc: ['IOC Value'],
      meta: { ticket: 'Ticket_ID', comment: 'Description', campaign: 'Campaign', tags: 'Labels' },
    })
    expect(outcome(parsed.rows)).toEqual(['2 url http://evil.com/a', '3 ip 1.2.3.4'])
    expect(parsed.rows[0].meta).toEqual({
      ticket: 'INC-1',
      comment: 'seen in phish',
      campaign: 'Op Lure',
      tags: ['mail', 'lure'],
    })
    expect(parsed.rows[1].meta).toEqual({ ticket: 'INC-2' })
  })

  it('reads ; delimiters, a BOM and CRLF', () => {
    const csv = '\ufeffIP;Case;Notes\r\n1.2.3.4;INC-7;a, b\r\n5.6.7.8;INC-8;c\r\n'
    const parsed = parseImport(csv, 'csv')
    expect(parsed.columns?.ioc).toEqual(['IP'])
    expect(outcome(parsed.rows)).toEqual(['2 ip 1.2.3.4', '3 ip 5.6.7.8'])
    expect(parsed.rows.map((row) => row.meta)).toEqual([
      { ticket: 'INC-7', comment: 'a, b' },
      { ticket: 'INC-8', comment: 'c' },
    ])
  })

  it('reads quoted delimiters, quotes and line breaks, keeping file line numbers', () => {
    const csv = [
      'domain,comment',
      '"evil.com","says ""hi"", twice"',
      '',
      'bad.net,"line one',
      'line two"',
      'worse.org,after',
    ].join('\r\n')
    const parsed = parseImport(csv, 'csv')
    expect(outcome(parsed.rows)).toEqual([
      '2 domain evil.com',
      '4 domain bad.net',
      '6 domain worse.org',
    ])
    expect(parsed.rows.map((row) => row.meta.comment)).toEqual([
      'says "hi", twice',
      'line one\r\nline two',
      'after',
    ])
  })

  it('finds the IOC column by content when there is no header', () => {
    const parsed = parseImport('scanner,1.2.3.4,5\nc2,evil.com,7\nc2,,8\n', 'csv')
    expect(parsed.columns).toEqual({ ioc: ['column 2'], meta: {} })
    expect(outcome(parsed.rows)).toEqual(['1 ip 1.2.3.4', '2 domain evil.com'])
    expect(parsed.notes).toContain('1 records without an indicator skipped')
  })

  it('finds the IOC column by content under a header whose names do not match', () => {
    const csv = '# exported by a vendor\nUNIQ NAME,Observed thing,Severity\na-1,evil.com,high\n'
    const parsed = parseImport(csv, 'csv')
    expect(parsed.columns?.ioc).toEqual(['Observed thing'])
    expect(outcome(parsed.rows)).toEqual(['3 domain evil.com'])
  })

  it('makes every IOC cell its own row, errors included', () => {
    const csv = 'ip,domain,sha256\n1.2.3.4,evil.com,\n10.1.2.3/24,,\n'
    const parsed = parseImport(csv, 'csv')
    expect(outcome(parsed.rows)).toEqual([
      '2 ip 1.2.3.4',
      '2 domain evil.com',
      '3 error:cidr_host_bits',
    ])
    expect(parsed.rows[2]).toMatchObject({
      raw: '10.1.2.3/24',
      error: { field: 'value', suggestion: '10.1.2.0/24' },
    })
  })

  it('splits tags on , ; | or reads a JSON array, trimmed and deduplicated', () => {
    const csv = [
      'ioc\ttags',
      'a.com\t"apt, phish;Phish | c2"',
      'b.com\t["x", "y ", "x"]',
      'c.com\t[not json',
    ].join('\n')
    const rows = parseImport(csv, 'csv').rows
    expect(rows[0].meta.tags).toEqual(['apt', 'phish', 'c2'])
    expect(rows[1].meta.tags).toEqual(['x', 'y'])
    expect(rows[2]).toMatchObject({ error: { code: 'invalid_tags', field: 'tags' } })
  })

  it('accepts TTL presets and predecessor labels; an unknown TTL is an error row', () => {
    const ttls = ['1w', '1 Week', '1M', '1 Month', '3 months', '1y', '1 Year', 'Permanent', '']
    const csv = ['ioc,ttl', ...ttls.map((ttl, i) => `h${i}.example.com,${ttl}`), 'x.com,forever']
    const rows = parseImport(csv.join('\n'), 'csv').rows
    expect(rows.slice(0, 9).map((row) => row.meta.ttl)).toEqual([
      '1w', '1w', '1m', '1m', '3m', '1y', '1y', 'permanent', undefined,
    ])
    expect(rows[9]).toMatchObject({ line: 11, error: { code: 'invalid_ttl', field: 'ttl' } })
    expect(rows[9].meta.ttl).toBeUndefined()
  })

  it('reads expiry dates as the end of that UTC day, date-times as UTC, never as permanent', () => {
    const csv = [
      'value,expiration_date,ttl',
      'a.com,2026-12-31,',
      'b.com,2026-12-31T10:00:00+02:00,',
      'c.com,2026-12-31 10:00,1w',
      'd.com,NEVER,',
      'e.com,2026-02-30,',
      'f.com,12/31/2026,',
    ].join('\n')
    const rows = parseImport(csv, 'csv').rows
    expect(rows.slice(0, 4).map((row) => row.meta)).toEqual([
      { expiresAt: '2026-12-31T23:59:59.999Z' },
      { expiresAt: '2026-12-31T08:00:00.000Z' },
      { expiresAt: '2026-12-31T10:00:00.000Z' },
      { ttl: 'permanent' },
    ])
    expect(outcome(rows.slice(4))).toEqual(['6 error:invalid_expiry', '7 error:invalid_expiry'])
  })

  it('applies an explicit type to every row', () => {
    const rows = parseImport('ioc\n1.2.3.4\nevil.com\n', 'csv', { type: 'domain' }).rows
    expect(outcome(rows)).toEqual(['2 error:type_mismatch', '3 domain evil.com'])
  })
})

describe('parseImport txt', () => {
  it('sets, changes and clears metadata with # key: value directives', () => {
    const txt = [
      '# Ticket: INC-1',
      '# campaign: Op Lure',
      '# tags: a, b',
      '# TTL: 3 Months',
      '1.2.3.4',
      '# ticket: INC-2',
      '# expiry: 2027-01-15',
      'evil.com',
      '# ticket:',
      '# campaign:',
      '# tags:',
      '# expiry:',
      'bad.net',
    ].join('\n')
    const rows = parseImport(txt, 'txt').rows
    expect(outcome(rows)).toEqual(['5 ip 1.2.3.4', '8 domain evil.com', '13 domain bad.net'])
    expect(rows.map((row) => row.meta)).toEqual([
      { ticket: 'INC-1', campaign: 'Op Lure', tags: ['a', 'b'], ttl: '3m' },
      {
        ticket: 'INC-2',
        campaign: 'Op Lure',
        tags: ['a', 'b'],
        expiresAt: '2027-01-15T23:59:59.999Z',
      },
      {},
    ])
  })

  it('keeps an inline comment, after the comment directive when one is active', () => {
    const txt = '1.2.3.4 # scanner\n# comment: from maltrail\n5.6.7.8 # probe\nhttp://x.com/#frag\n'
    const rows = parseImport(txt, 'txt').rows
    expect(outcome(rows)).toEqual(['1 ip 1.2.3.4', '3 ip 5.6.7.8', '4 url http://x.com/'])
    expect(rows.map((row) => row.meta.comment)).toEqual([
      'scanner',
      'from maltrail; probe',
      'from maltrail',
    ])
  })

  it('turns the rows below a bad directive into errors until it is fixed, and notes it', () => {
    const txt = '# ttl: forever\na.com\nb.com\n# ttl: 1w\nc.com\n# ttl: ever\nd.com\n# ttl:\ne.com'
    const parsed = parseImport(txt, 'txt')
    expect(outcome(parsed.rows)).toEqual([
      '2 error:invalid_ttl',
      '3 error:invalid_ttl',
      '5 domain c.com',
      '7 error:invalid_ttl',
      '9 domain e.com',
    ])
    expect(parsed.rows[0]).toMatchObject({
      error: { field: 'ttl', message: expect.stringContaining('line 1') },
    })
    expect(parsed.rows[4].meta).toEqual({})
    expect(parsed.notes).toHaveLength(2)
  })

  it('treats unknown keys and plain # lines as comments, and numbers CRLF lines', () => {
    const txt = '# Reference: https://example.org/a\r\n#\r\n\r\n# no colon\r\nevil.com\r\n'
    const parsed = parseImport(txt, 'txt')
    expect(outcome(parsed.rows)).toEqual(['5 domain evil.com'])
    expect(parsed.rows[0].meta).toEqual({})
  })

  it('reads maltrail mass_scanner: one ip row per entry, 5 upstream junk lines as errors', () => {
    const text = read('blocklists/maltrail-mass_scanner.txt')
    const content = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    // 19,220 entries; 5 are junk (2 `/w00tw00t...` paths, 3 `C91.x.x.x` with a stray C).
    expect(content).toHaveLength(19220)
    const parsed = parseImport(text, 'txt')
    expect(tally(parsed)).toEqual({ ip: 19215, 'error:unrecognized': 5 })
    const junk = parsed.rows.filter((row) => 'error' in row).map((row) => row.line)
    expect(junk).toEqual([16343, 16347, 17474, 17484, 18235])
    // The list repeats 380 addresses; staging reports them, the commit deduplicates.
    expect(parsed.notes).toEqual(['380 values appear more than once in the file'])
    expect(parsed.rows[0]).toMatchObject({
      line: 16,
      meta: { comment: 'pinger1a.netsec.colostate.edu' },
    })
  })

  it('reads the maltrail nivdort trail as 3979 domains and its 4 odd lines as such', () => {
    const parsed = parseImport(read('blocklists/maltrail-malware-nivdort.txt'), 'txt')
    expect(tally(parsed)).toEqual({ domain: 3979, url: 2, ip: 1, 'error:unrecognized': 1 })
    // 3983 entries: the error is a bare path, `/index.php?method=validate&mode=sox`.
    expect(parsed.rows).toHaveLength(3983)
    expect(parsed.rows.find((row) => 'error' in row)?.line).toBe(3889)
  })

  it('reads ESET sample hash lists', () => {
    expect(tally(parseImport(read('eset/agrius/samples.sha256'), 'txt'))).toEqual({ sha256: 7 })
    expect(tally(parseImport(read('eset/agrius/samples.md5'), 'txt'))).toEqual({ md5: 7 })
    expect(tally(parseImport(read('eset/gamaredon/samples.sha256'), 'txt'))).toEqual({ sha256: 73 })
  })

  it('parses 100k lines within a generous safety bound', () => {
    const ip = (i: number) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`
    const ips = Array.from({ length: 100_000 }, (_, i) => ip(i))
    const started = performance.now()
    const parsed = parseImport(`# ticket: INC-1\n${ips.join('\n')}\n`, 'txt')
    expect(performance.now() - started).toBeLessThan(5000)
    expect(parsed.rows).toHaveLength(100_000)
    expect(parsed.rows[99_999]).toMatchObject({ line: 100_001, value: '10.1.134.159' })
  })
})

describe('parseImport text', () => {
  it('extracts indicators from prose without file names or sub-matches', () => {
    const prose = [
      'The dropper invoice.pdf mailed by boss@corp-mail.com fetched',
      'hxxp://c2.bad-actor[.]xyz/gate.php and then beaconed to 203.0.113.7.',
    ].join('\n')
    const parsed = parseImport(prose, 'text')
    expect(outcome(parsed.rows)).toEqual([
      '1 email boss@corp-mail.com',
      '2 url http://c2.bad-actor.xyz/gate.php',
      '2 ip 203.0.113.7',
    ])
    expect(parsed.rows.every((row) => Object.keys(row.meta).length === 0)).toBe(true)
  })

  it('marks other types as mismatches when a type is named', () => {
    const rows = parseImport('Seen: evil.com and 1.2.3.4', 'text', { type: 'ip' }).rows
    expect(outcome(rows)).toEqual(['1 error:type_mismatch', '1 ip 1.2.3.4'])
  })
})
