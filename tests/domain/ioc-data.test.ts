import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FILE_EXTENSIONS, FILE_EXTENSION_TLDS } from '../../functions/domain/ioc-domain'
import { isCidr, parseIoc, parseIocLines, type ParseLineItem } from '../../functions/domain/ioc'

// Real third-party data (DESIGN.md: read from ../shared/data, never copied into the repo).
const DATA = '../shared/data'
const read = (path: string) => readFileSync(`${DATA}/${path}`, 'utf8')
const lines = (text: string) => text.split(/\r?\n/).filter((line) => line.trim() !== '')

function tallyTypes(items: ParseLineItem[]): Record<string, number> {
  const tally: Record<string, number> = {}
  for (const item of items) {
    const key = 'error' in item ? `error:${item.error.code}` : item.type
    tally[key] = (tally[key] ?? 0) + 1
  }
  return tally
}

describe('ESET sample hash lists', () => {
  it.each([
    ['agrius', 'md5', 7],
    ['agrius', 'sha1', 7],
    ['agrius', 'sha256', 7],
    ['gamaredon', 'md5', 73],
    ['gamaredon', 'sha1', 73],
    ['gamaredon', 'sha256', 73],
  ] as const)('parses every line of %s/samples.%s as that hash type', (campaign, type, count) => {
    const text = read(`iocs/eset/${campaign}/samples.${type}`)
    const items = parseIocLines(text)
    expect(tallyTypes(items)).toEqual({ [type]: count })
    expect(items.map((item) => ('value' in item ? item.value : ''))).toEqual(
      lines(text).map((line) => line.trim().toLowerCase()),
    )
  })

  it('rejects a hash list read as the wrong hash type, line by line', () => {
    const items = parseIocLines(read('iocs/eset/agrius/samples.sha1'), { type: 'md5' })
    expect(tallyTypes(items)).toEqual({ 'error:type_mismatch': 7 })
  })
})

describe('ESET README reports', () => {
  const campaigns = readdirSync(`${DATA}/iocs/eset`).filter((name) => {
    return readdirSync(`${DATA}/iocs/eset/${name}`).includes('README.adoc')
  })

  it('parses the defanged C&C table of asylum_ambuscade (IP and domain cells)', () => {
    const rows = lines(read('iocs/eset/asylum_ambuscade/README.adoc')).filter((line) =>
      /^\| `\d+\.\d+\.\d+\[\.\]\d+`/.test(line),
    )
    expect(rows).toHaveLength(88)
    const ips = rows.map((row) => parseIoc(row.split('|')[1]))
    expect(ips.every((parsed) => parsed.ok && parsed.type === 'ip')).toBe(true)
    expect(ips[0]).toEqual({ ok: true, type: 'ip', value: '5.39.222.150', warnings: [] })
    const domainCells = rows.map((row) => row.split('|')[2].trim()).filter((cell) => cell !== 'N/A')
    expect(domainCells.length).toBeGreaterThan(0)
    for (const cell of domainCells) {
      expect(parseIoc(cell)).toMatchObject({ ok: true, type: 'domain' })
    }
    const snowzet = parseIoc('`snowzet[.]com`')
    expect(snowzet).toEqual({ ok: true, type: 'domain', value: 'snowzet.com', warnings: [] })
  })

  it('rejects every MITRE ATT&CK technique id in the reports', () => {
    const ids = new Set<string>()
    for (const campaign of campaigns) {
      const text = read(`iocs/eset/${campaign}/README.adoc`)
      for (const match of text.matchAll(/\bT\d{4}(?:\.\d{3})?\b/g)) ids.add(match[0])
    }
    expect(ids.size).toBe(34)
    for (const id of ids) {
      expect(parseIoc(id)).toMatchObject({ ok: false, error: { code: 'unrecognized' } })
    }
  })

  it('rejects every ESET detection name in the reports', () => {
    const names = new Set<string>()
    for (const campaign of campaigns) {
      const text = read(`iocs/eset/${campaign}/README.adoc`)
      const pattern = /\b(?:Win32|Win64|MSIL|PowerShell|Linux|VBS|JS)\/[A-Za-z0-9.!_-]+/g
      for (const match of text.matchAll(pattern)) names.add(match[0])
    }
    expect(names.size).toBe(310)
    const accepted = [...names].filter((name) => parseIoc(name).ok)
    expect(accepted).toEqual([])
  })

  it('refangs and accepts the backtick-wrapped URLs of nukesped_lazarus', () => {
    const parsed = parseIoc('`+http://www.erpmas.co[.]kr/Member/franchise_modify.asp+`')
    expect(parsed).toEqual({
      ok: true,
      type: 'url',
      value: 'http://www.erpmas.co.kr/Member/franchise_modify.asp',
      warnings: [],
    })
  })
})

describe('maltrail blocklists', () => {
  it('parses the nivdort trail as domains, and its 4 odd lines as what they are', () => {
    const items = parseIocLines(read('iocs/blocklists/maltrail-malware-nivdort.txt'))
    expect(tallyTypes(items)).toEqual({ domain: 3979, url: 2, ip: 1, 'error:unrecognized': 1 })
    const odd = items.filter((item) => !('type' in item) || item.type !== 'domain')
    expect(odd.map((item) => ('value' in item ? item.value : item.error.code))).toEqual([
      'http://185.106.120.168',
      'http://185.117.73.77',
      'unrecognized',
      '173.236.150.135',
    ])
    expect(odd[3]).toMatchObject({ warnings: [{ code: 'port_dropped' }] })
  })

  it('parses every mass_scanner address (comment stripped) as an IPv4 or IPv6 ip', () => {
    const entries = lines(read('iocs/blocklists/maltrail-mass_scanner.txt'))
      .filter((line) => !line.startsWith('#'))
      .map((line) => line.replace(/\s*#.*$/, '').trim())
    // Upstream junk: 3 addresses with a stray 'C' (`C91.196.152.28`), 2 paths (`/w00tw00t...`).
    const junk = entries.filter((entry) => /^[C/]/.test(entry))
    expect(junk).toHaveLength(5)
    expect(junk.map((entry) => parseIoc(entry).ok)).toEqual([false, false, false, false, false])
    const addresses = entries.filter((entry) => !junk.includes(entry))
    const parsed = addresses.map((entry) => parseIoc(entry))
    expect(parsed.filter((result) => !(result.ok && result.type === 'ip'))).toEqual([])
    const values = parsed.map((result) => (result.ok ? result.value : ''))
    expect(values.filter((value) => value.includes(':'))).toHaveLength(1981)
    expect(values.filter((value) => !value.includes(':'))).toHaveLength(17234)
    expect(values.filter((value) => value.includes('/'))).toEqual([])
  })

  it('parses the mass_scanner CIDR list as networks through parseIocLines', () => {
    const items = parseIocLines(read('iocs/blocklists/maltrail-mass_scanner_cidr.txt'))
    const tally = tallyTypes(items)
    expect(tally).toEqual({ ip: 1106 })
    const values = items.map((item) => ('value' in item ? item.value : ''))
    expect(values.filter((value) => isCidr(value)).length).toBeGreaterThan(1000)
    expect(values).toContain('5.63.151.0/24')
  })

  it('splits the amadey trail into domains, URLs, IPs and rejected bare paths', () => {
    const items = parseIocLines(read('iocs/blocklists/maltrail-malware-amadey.txt'))
    const tally = tallyTypes(items)
    expect(tally.domain).toBeGreaterThan(400)
    expect(tally.url).toBeGreaterThan(300)
    for (const item of items) {
      if (item.raw.startsWith('/')) expect(item).toMatchObject({ error: { code: 'unrecognized' } })
    }
  })
})

describe('TLD tables against the MISP root-zone list', () => {
  const tlds = new Set(
    (JSON.parse(read('warninglists/second-level-tlds.json')).list as string[])
      .map((entry) => entry.replace(/^\./, ''))
      .filter((entry) => !entry.includes('.')),
  )

  it('lists no delegated TLD as a plain file extension', () => {
    expect(tlds.size).toBeGreaterThan(1400)
    expect([...FILE_EXTENSIONS].filter((ext) => tlds.has(ext))).toEqual([])
  })

  it('warns only for file extensions that are delegated TLDs', () => {
    expect([...FILE_EXTENSION_TLDS].filter((tld) => !tlds.has(tld))).toEqual([])
  })

  it('accepts a domain under every delegated TLD', () => {
    const rejected = [...tlds].filter((tld) => !parseIoc(`example.${tld}`).ok)
    expect(rejected).toEqual([])
  })
})

describe('portability', () => {
  it('keeps the IOC modules free of Node-only APIs', () => {
    const dir = 'functions/domain'
    const files = readdirSync(dir).filter((name) => /^ioc(-[a-z-]+)?\.ts$/.test(name))
    expect(files).toContain('ioc.ts')
    for (const file of files) {
      const source = readFileSync(`${dir}/${file}`, 'utf8')
      expect(source, file).not.toMatch(/from 'node:|require\(|\bprocess\.|\bBuffer\b/)
      expect(source, file).not.toMatch(/from 'punycode'/)
    }
  })
})
