import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { extractIocs, isRootZoneTld, type ExtractOptions } from '../../functions/domain/extract'
import { sanityWarnings } from '../../functions/domain/sanity'

// Real third-party data, read in place (never copied into the repo).
const DATA = '../shared/data'
const ESET = `${DATA}/iocs/eset`
const read = (path: string) => readFileSync(path, 'utf8')

/** `type value` per item, so tables read as input -> outcome. */
function found(text: string, opts?: ExtractOptions): string[] {
  return extractIocs(text, opts).items.map((item) => `${item.type} ${item.value}`)
}

function tally(text: string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of extractIocs(text).items) counts[item.type] = (counts[item.type] ?? 0) + 1
  return counts
}

describe('extractIocs: false positives from the predecessor (spec section 7)', () => {
  it.each([
    ['invoice.pdf, payload.exe and gate.php were dropped', []],
    ['reply to boss@corp-mail.com', ['email boss@corp-mail.com']],
    ['hxxp://c2.bad-actor[.]xyz/gate.php', ['url http://c2.bad-actor.xyz/gate.php']],
    ['see x.example-bad.com/a', ['url http://x.example-bad.com/a']],
    ['name,email\nJohn,john.doe@phish-corp.com', ['email john.doe@phish-corp.com']],
    ['W64/BURNTCIGAR.CA!tr', []],
    ['Win32/Pterodo.A and MSIL/Spy.Agent.AES', []],
    ['Trojan.Win32.Agent.xyz', []],
    ['(https://x.com)', ['url https://x.com']],
    ["Invoke-WebRequest('https://x.com/a.ps1');", ['url https://x.com/a.ps1']],
    ['<http://x.io/y>', ['url http://x.io/y']],
    ['`x.com`', ['domain x.com']],
    ['"evil.com", \'evil.net\'; evil.org! evil.info? evil.biz.', [
      'domain evil.com',
      'domain evil.net',
      'domain evil.org',
      'domain evil.info',
      'domain evil.biz',
    ]],
    ['010.1.1.1', []],
    ['T1059.001 and T1027', []],
    ['version 1.2.3.4.5', []],
    ['C:\\Windows\\TEMP\\evil.com and /usr/lib/evil.com', []],
    ['setup.py, install.sh and README.md', []],
    ['document.write(x); document.location.host', []],
    ['Generik.NHOWQNZ, Default.SFX, descript.ion', []],
  ] as const)('%j -> %j', (text, expected) => {
    expect(found(text)).toEqual(expected)
  })

  it('drops the port of 1.2.3.4:443 and [2001:db8::1]:443 with a warning', () => {
    const { items } = extractIocs('C2 1.2.3.4:443 and [2001:db8::1]:443.')
    expect(items.map((item) => [item.value, item.warnings.map((w) => w.code)])).toEqual([
      ['1.2.3.4', ['port_dropped']],
      ['2001:db8::1', ['port_dropped']],
    ])
  })

  it('keeps a real TLD that is also a file extension only when defanged, with a warning', () => {
    const { items } = extractIocs('archive.zip vs evil[.]zip')
    expect(items.map((item) => [item.value, item.warnings.map((w) => w.code)])).toEqual([
      ['evil.zip', ['file_extension_tld']],
    ])
  })
})

describe('extractIocs: refanged forms and layouts', () => {
  it.each([
    ['hxxps[:]//evil(.)com/a?b=1', ['url https://evil.com/a?b=1']],
    ['evil[dot]com and evil{.}net', ['domain evil.com', 'domain evil.net']],
    ['bad[@]evil[.]com, bad2[at]evil[.]com', ['email bad@evil.com', 'email bad2@evil.com']],
    ['185.82.216[.]102 and 5[.]101.6.132', ['ip 185.82.216.102', 'ip 5.101.6.132']],
    ['`+185.82.216[.]102+` `+DF1C0A70E4BDF1F140C4DCA3D2D7738027E07115+`', [
      'ip 185.82.216.102',
      'sha1 df1c0a70e4bdf1f140c4dca3d2d7738027e07115',
    ]],
    ['| evil[.]com | 1.2.3[.]4 | hxxp://x[.]ru/a |', [
      'domain evil.com',
      'ip 1.2.3.4',
      'url http://x.ru/a',
    ]],
    ['evil.com,1.2.3.4,http://x.ru/a,ok', ['domain evil.com', 'ip 1.2.3.4', 'url http://x.ru/a']],
    ['[click](https://evil.com/a) and https://evil.com/b[text]', [
      'url https://evil.com/a',
      'url https://evil.com/b',
    ]],
    ['\\https://www.youtube.com/watch?v=kS1jXg99WiM', [
      'url https://www.youtube.com/watch?v=kS1jXg99WiM',
    ]],
    ['net 2001:db8::/32 and 10.0.0.0/8 and 1.2.3.0/24', ['ip 2001:db8::/32', 'ip 1.2.3.0/24']],
    ['пример.рф', ['domain xn--e1afmkfd.xn--p1ai']],
    ['c2.example.com:8443', ['domain c2.example.com']],
  ] as const)('%j -> %j', (text, expected) => {
    expect(found(text)).toEqual(expected)
  })

  it('takes md5, sha1 and sha256 only as whole hex tokens, in any case', () => {
    const md5 = 'D41D8CD98F00B204E9800998ECF8427E'
    const sha256 = 'ab'.repeat(32)
    const sha512 = 'cd'.repeat(64)
    const text = `${md5} ${sha512} x${'e'.repeat(40)} ${sha256}\n${md5.toLowerCase()}.exe`
    expect(found(text)).toEqual([`md5 ${md5.toLowerCase()}`, `sha256 ${sha256}`])
  })

  it('skips private, loopback and reserved addresses, also as a URL host', () => {
    const text = '10.1.2.3 127.0.0.1 169.254.1.1 0.1.2.3 fe80::1 http://192.168.1.1/x 8.8.4.4'
    expect(found(text)).toEqual(['ip 8.8.4.4'])
  })

  it('ignores colon runs without a digit and times that are no IPv6 address', () => {
    expect(found('std::vector a::b 12:30:45 dead::beef')).toEqual([])
  })
})

describe('extractIocs: results', () => {
  it('reports canonical values in order of appearance, the first of each repeated value', () => {
    const result = extractIocs('EVIL.com then 1.2.3.4\nevil.com, Evil[.]COM and 1.2.3[.]4')
    const rows = result.items.map((i) => [i.type, i.value, i.raw, i.line, i.column])
    expect(rows).toEqual([
      ['domain', 'evil.com', 'EVIL.com', 1, 1],
      ['ip', '1.2.3.4', '1.2.3.4', 1, 15],
    ])
    expect(result.duplicates).toBe(3)
  })

  it('gives line and column of the raw text after CRLF and LF line ends', () => {
    const { items } = extractIocs('a\r\nb\n  see hxxp://x[.]ru/a).')
    expect(items).toEqual([
      {
        type: 'url',
        value: 'http://x.ru/a',
        raw: 'hxxp://x[.]ru/a',
        line: 3,
        column: 7,
        warnings: [],
      },
    ])
  })

  it('emits a URL host and an email domain only when asked', () => {
    const text = 'hxxps://c2.evil[.]com/gate and ops@mail.evil.net'
    expect(found(text)).toEqual(['url https://c2.evil.com/gate', 'email ops@mail.evil.net'])
    expect(found(text, { urlHosts: true, emailDomains: true })).toEqual([
      'url https://c2.evil.com/gate',
      'domain c2.evil.com',
      'email ops@mail.evil.net',
      'domain mail.evil.net',
    ])
  })

  it('returns nothing for empty text', () => {
    expect(extractIocs('')).toEqual({ items: [], duplicates: 0 })
  })
})

describe('extractIocs on ESET reports', () => {
  const readmes = readdirSync(ESET, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => readdirSync(`${ESET}/${name}`).includes('README.adoc'))

  it('finds every README.adoc the data README lists', () => {
    expect(readmes).toHaveLength(21)
  })

  const SPECIAL = new Set([
    ...['private_ip', 'cgnat_ip', 'loopback_ip', 'link_local_ip', 'multicast_ip'],
    ...['broadcast_ip', 'unspecified_ip', 'reserved_ip'],
  ])
  it.each(readmes)('%s: no private or reserved IP, ATT&CK id or detection name', (name) => {
    const text = read(`${ESET}/${name}/README.adoc`)
    const { items } = extractIocs(text)
    expect(items.length).toBeGreaterThan(0)
    // What the report names as detections (`Win32/Spy.Agent.PZL`): none of their parts is an IOC.
    const detections = new Set(
      [...text.matchAll(/\b[A-Za-z0-9]+\/([A-Za-z0-9_.!-]+\.[A-Za-z0-9!]+)/g)].map((m) =>
        m[1].replace(/!.*/, '').toLowerCase(),
      ),
    )
    for (const item of items) {
      const codes = sanityWarnings(item.type, item.value).map((warning) => warning.code)
      expect(codes.filter((code) => SPECIAL.has(code)), item.raw).toEqual([])
      expect(item.raw, 'ATT&CK technique id').not.toMatch(/^T\d{4}(?:\.\d{3})?$/)
      if (item.type === 'domain') expect(detections.has(item.value), item.raw).toBe(false)
    }
  })

  // Unique hashes per file, as the data README's table gives them (sha1, sha256, md5). Ours agree
  // for sha1 and sha256 everywhere; the table also counts unique values, and our duplicates are
  // counted apart. The md5 column differs twice because the table's regex took 32-hex substrings:
  // dukes' one "md5" is the last path segment of an evernote URL (part of the URL IOC, not an IOC
  // of its own) and oceanlotus' five are the tails of registry key names (`AppXc52346ec...`), glued
  // to letters, which the whole-token rule rejects.
  it.each([
    ['asylum_ambuscade', 29, 0, 0],
    ['bandook', 136, 0, 0],
    ['cosmicbeetle', 21, 0, 0],
    ['donot', 57, 0, 0],
    ['dukes', 18, 0, 0], // table: md5 1
    ['evilnum', 134, 0, 0],
    ['gamaredon', 73, 0, 0],
    ['glupteba', 6, 0, 0],
    ['hamkombat', 19, 0, 0],
    ['interception', 8, 0, 0],
    ['invisimole', 94, 0, 0],
    ['janeleiro', 48, 0, 0],
    ['king_tut', 54, 0, 0],
    ['nukesped_lazarus', 40, 515, 1],
    ['oceanlotus', 34, 2, 0], // table: md5 5
    ['okrum_ke3chang', 47, 0, 0],
    ['polonium', 105, 0, 0],
    ['spalax', 62, 0, 0],
    ['stantinko', 127, 0, 0],
    ['swc-candiru', 3, 0, 0],
    ['xdspy', 13, 0, 0],
  ] as const)('%s: %i sha1, %i sha256, %i md5', (name, sha1, sha256, md5) => {
    const counts = tally(read(`${ESET}/${name}/README.adoc`))
    expect([counts.sha1 ?? 0, counts.sha256 ?? 0, counts.md5 ?? 0]).toEqual([sha1, sha256, md5])
  })

  it('keeps IPs inside URLs, the typo 195.226.218.[.]234 and code samples out of the IPs', () => {
    const values = found(read(`${ESET}/stantinko/README.adoc`))
    const url = 'url http://79.170.44.132/nn-projects.co.uk/images/banners/b1/index.php'
    expect(values).toContain(url)
    expect(values).not.toContain('ip 79.170.44.132')
    // Only the well-formed 195.226.218[.]234 of the IP list; the typo adds nothing.
    const hosts = values.filter((value) => value.startsWith('ip 195.226.218.'))
    expect(hosts).toEqual(['ip 195.226.218.234'])
    expect(values).not.toContain('ip 10.150.0.104')
  })

  it.each([
    ['agrius', 7],
    ['gamaredon', 73],
  ] as const)('%s/samples.*: exactly %i hashes of each type', (name, count) => {
    for (const type of ['md5', 'sha1', 'sha256']) {
      const text = read(`${ESET}/${name}/samples.${type}`)
      expect(tally(text), type).toEqual({ [type]: count })
      expect(extractIocs(text).duplicates).toBe(0)
    }
  })
})

describe('extractIocs safety bound', () => {
  const SIZE = 5_000_000
  it.each([
    ['dots', '.'],
    ['brackets', '['],
    ['hex', '0123456789abcdef'],
    ['labels', 'a.'],
    ['defanged labels', 'a[.]'],
    ['mixed', '.[0a.f[.]1:@/-'],
  ])('finishes 5 MB of repeated %s in under 2 s', (_name, unit) => {
    const text = unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE)
    const started = performance.now()
    const result = extractIocs(text, { urlHosts: true, emailDomains: true })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(result.items).toEqual([])
  })
})

describe('root-zone TLD table', () => {
  it('matches the single-label entries of the MISP second-level-tlds warninglist', () => {
    const list = JSON.parse(read(`${DATA}/warninglists/second-level-tlds.json`)).list as string[]
    const roots = list.filter((entry) => !entry.includes('.'))
    expect(roots.length).toBeGreaterThan(1000)
    expect(roots.filter((tld) => !isRootZoneTld(tld))).toEqual([])
    expect(['pdf', 'exe', 'ion', 'sdb', 'sve'].filter(isRootZoneTld)).toEqual([])
  })
})
