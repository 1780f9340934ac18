import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { detectFormat, parseImport } from '../../functions/domain/import-parse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

const BLOCKLISTS = '../shared/data/iocs/blocklists'

let moat: TestMoat
let admin: Client
let ana: Client
let bob: Client
let viewer: Client

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  await moat.addUser('bob', 'analyst')
  await moat.addUser('val', 'viewer')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  bob = new Client(moat.base)
  viewer = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await bob.login('bob', moat.password)
  await viewer.login('val', moat.password)
})
afterAll(() => moat.close())

function upload(client: Client, name: string, content: BlobPart, fields: Record<string, string> = {}) {
  const form = new FormData()
  form.append('file', new File([content], name))
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  return client.post('/api/v1/imports', form)
}

async function allRows(client: Client, id: number, query = '') {
  const rows: any[] = []
  let cursor: number | null = -1
  while (cursor !== null) {
    const res = await client.get(`/api/v1/imports/${id}/rows?limit=1000&cursor=${cursor}${query}`)
    expect(res.status).toBe(200)
    rows.push(...res.json.items)
    cursor = res.json.nextCursor
  }
  return rows
}

describe('staging', () => {
  it('classifies every line of a paste: new, warning, duplicate (live and in-batch), allowlisted, invalid', async () => {
    const existing = await admin.post('/api/v1/iocs', { value: 'already.badnet.top' })
    expect(existing.status).toBe(201)
    const entry = await admin.post('/api/v1/allowlist', { kind: 'suffix', value: 'corp.example', reason: 'our own domain' })
    expect(entry.status).toBe(201)
    const text = [
      '# ticket: INC-77',
      'evil[.]stage-one.top',
      'hxxp://stage-one.top/payload.bin',
      '10.1.2.3',
      'already.badnet.top',
      'mail.corp.example',
      '300.1.1.1',
      'EVIL.stage-one.top',
    ].join('\n')
    const res = await ana.post('/api/v1/imports', { text, format: 'txt' })
    expect(res.status).toBe(201)
    expect(res.json.batch).toMatchObject({ status: 'staged', format: 'txt', source: 'paste', rowCount: 7 })
    expect(res.json.counts).toEqual({ total: 7, selected: 2, new: 2, warning: 1, duplicate: 2, allowlisted: 1, invalid: 1 })
    const rows = res.json.rows.map((r: any) => [r.line, r.type, r.value, r.status, r.selected])
    expect(rows).toEqual([
      [2, 'domain', 'evil.stage-one.top', 'new', true],
      [3, 'url', 'http://stage-one.top/payload.bin', 'new', true],
      [4, 'ip', '10.1.2.3', 'warning', false],
      [5, 'domain', 'already.badnet.top', 'duplicate', false],
      [6, 'domain', 'mail.corp.example', 'allowlisted', false],
      [7, null, null, 'invalid', false],
      [8, 'domain', 'evil.stage-one.top', 'duplicate', false],
    ])
    const byLine = Object.fromEntries(res.json.rows.map((r: any) => [r.line, r]))
    expect(byLine[2].meta.ticket).toBe('INC-77')
    expect(byLine[4].reason).toMatch(/private/i)
    expect(byLine[5].reason).toBe(`duplicate of IOC #${existing.json.ioc.id}`)
    expect(byLine[6].reason).toBe('allowlisted by corp.example (reason: our own domain)')
    expect(byLine[7].reason).toMatch(/300/)
    expect(byLine[8].reason).toBe('duplicate of line 2')
  })

  it('reads a CSV upload with metadata columns in any order, with a BOM, ; delimiter and CRLF', async () => {
    const csv = '\ufeffComment;Indicator;Ticket;Tags;TTL\r\n"first; quoted";198.51.100.7;INC-1;"apt,c2";1w\r\nsecond;bad-csv.example.top;INC-2;;Permanent\r\n'
    const res = await upload(ana, 'export.csv', csv)
    expect(res.status).toBe(201)
    expect(res.json.batch).toMatchObject({ format: 'csv', filename: 'export.csv', source: 'upload' })
    expect(res.json.rows.map((r: any) => [r.type, r.value, r.meta])).toEqual([
      ['ip', '198.51.100.7', { ticket: 'INC-1', comment: 'first; quoted', campaign: null, tags: ['apt', 'c2'], ttl: '1w', expiresAt: null }],
      ['domain', 'bad-csv.example.top', { ticket: 'INC-2', comment: 'second', campaign: null, tags: null, ttl: 'permanent', expiresAt: null }],
    ])
  })

  it('refuses binary, non-UTF-8, empty and oversized files with a 4xx naming the file', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
    const bin = await upload(ana, 'iocs.csv', png)
    expect(bin.status).toBe(422)
    expect(bin.json.error).toMatchObject({ code: "binary", details: { fields: [{ field: "file", code: "binary" }] } })
    expect(bin.json.error.message).toMatch(/PNG/)
    const latin1 = await upload(ana, 'iocs.txt', new Uint8Array([...Buffer.from('caf'), 0xe9, 0x0a, ...Buffer.from('1.2.3.4\n')]))
    expect(latin1.status).toBe(422)
    expect(latin1.json.error.code).toBe('not_utf8')
    expect(latin1.json.error.message).toMatch(/line 1/)
    const empty = await upload(ana, 'empty.txt', '')
    expect(empty.status).toBe(422)
    const prose = await ana.post('/api/v1/imports', { text: 'nothing to see here', format: 'text' })
    expect(prose.status).toBe(422)
    expect(prose.json.error.code).toBe('no_indicators')
    const big = await upload(ana, 'big.txt', new Uint8Array(50 * 1024 * 1024 + 1).fill(0x61))
    expect(big.status).toBe(413)
    expect(big.json.error.message).toMatch(/50 MB/)
    const list = await ana.get('/api/v1/imports')
    expect(list.json.items.every((b: any) => b.rowCount > 0)).toBe(true)
  })

  it('keeps batches private to their author (admins see all) and viewers out', async () => {
    const res = await ana.post('/api/v1/imports', { text: 'private.badnet.top', format: 'txt' })
    expect((await bob.get(`/api/v1/imports/${res.json.id}`)).status).toBe(404)
    expect((await bob.post(`/api/v1/imports/${res.json.id}/commit`, {})).status).toBe(404)
    expect((await admin.get(`/api/v1/imports/${res.json.id}`)).status).toBe(200)
    expect((await viewer.post('/api/v1/imports', { text: 'x.badnet.top' })).status).toBe(403)
    expect((await new Client(moat.base).get('/api/v1/imports')).status).toBe(401)
  })
})

describe('editing the preview', () => {
  it('re-parses an edited row, re-classifies it, and refuses to select rows that cannot be imported', async () => {
    const res = await ana.post('/api/v1/imports', { text: 'fix-me[.]badnet\n300.2.2.2\n192.168.7.7', format: 'txt' })
    const id = res.json.id
    const [first, second, third] = res.json.rows
    const fixed = await ana.patch(`/api/v1/imports/${id}/rows/${second.idx}`, { value: '45.33.32.156' })
    expect(fixed.status).toBe(200)
    expect(fixed.json.row).toMatchObject({ type: 'ip', value: '45.33.32.156', status: 'new', selected: true, edited: true })
    const broken = await ana.patch(`/api/v1/imports/${id}/rows/${first.idx}`, { value: 'still bad value', selected: true })
    expect(broken.json.row).toMatchObject({ status: 'invalid', selected: false, reason: expect.stringMatching(/not an IOC/) })
    const nope = await ana.patch(`/api/v1/imports/${id}/rows/${first.idx}`, { selected: true })
    expect(nope.status).toBe(422)
    expect(nope.json.error.details.fields[0]).toMatchObject({ field: 'selected', code: 'not_selectable' })
    const confirm = await ana.patch(`/api/v1/imports/${id}/rows/${third.idx}`, { selected: true, comment: 'lab box, on purpose' })
    expect(confirm.json.row).toMatchObject({ status: 'warning', selected: true, meta: expect.objectContaining({ comment: 'lab box, on purpose' }) })
    const badMeta = await ana.patch(`/api/v1/imports/${id}/rows/${third.idx}`, { tags: ['x'.repeat(41)] })
    expect(badMeta.status).toBe(400)
    expect(badMeta.json.error.details.fields[0].field).toMatch(/^tags/)
    const desel = await ana.post(`/api/v1/imports/${id}/select`, { statuses: ['new', 'warning'], selected: false })
    expect(desel.json.counts.selected).toBe(0)
    const resel = await ana.post(`/api/v1/imports/${id}/select`, { statuses: ['new'], selected: true })
    expect(resel.json.counts.selected).toBe(1)
    const rows = await allRows(ana, id, '&status=invalid')
    expect(rows.map((r) => [r.raw, r.value, r.edited])).toEqual([['fix-me[.]badnet', null, true]])
  })
})

describe('commit', () => {
  it('writes every selected row with batch-level values filling the gaps, history and audit, all at once', async () => {
    const text = ['# campaign: Op Lantern', 'c2.lantern-op.top', '# campaign:', 'drop.lantern-op.top', '198.51.100.200', '10.9.9.9'].join('\n')
    const staged = await ana.post('/api/v1/imports', { text, format: 'txt' })
    const id = staged.json.id
    const deselect = staged.json.rows.find((r: any) => r.value === '198.51.100.200')
    await ana.patch(`/api/v1/imports/${id}/rows/${deselect.idx}`, { selected: false })
    const res = await ana.post(`/api/v1/imports/${id}/commit`, { ttl: '1w', campaign: 'Batch Campaign', ticket: 'INC-900' })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ created: 2, skipped: 2, batch: { status: 'committed', result: { created: 2 } } })
    const c2 = (await ana.get('/api/v1/iocs?q=c2.lantern-op.top&match=exact')).json.items[0]
    expect(c2).toMatchObject({ source: 'import', ticket: 'INC-900', campaign: { name: 'Op Lantern' }, status: 'active' })
    const days = (Date.parse(c2.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(6.9)
    expect(days).toBeLessThan(7.1)
    const drop = (await ana.get('/api/v1/iocs?q=drop.lantern-op.top&match=exact')).json.items[0]
    expect(drop.campaign.name).toBe('Batch Campaign')
    expect((await ana.get('/api/v1/iocs?q=198.51.100.200&match=exact')).json.items).toEqual([])
    expect((await ana.get('/api/v1/iocs?q=10.9.9.9&match=exact')).json.items).toEqual([])
    const history = await ana.get(`/api/v1/iocs/${c2.id}/history`)
    expect(history.json.items).toEqual([expect.objectContaining({ event: 'created', actor: 'ana', diff: expect.objectContaining({ importBatch: id, source: 'import' }) })])
    const audit = await admin.get('/api/v1/audit?action=import.commit')
    expect(audit.json.items[0]).toMatchObject({ actor: 'ana', target: `import:${id}`, details: expect.objectContaining({ created: 2 }) })
    const feed = await admin.get('/feed/domain')
    expect(feed.text.split('\n')).toEqual(expect.arrayContaining(['c2.lantern-op.top', 'drop.lantern-op.top']))
    const again = await ana.post(`/api/v1/imports/${id}/commit`, {})
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('already_committed')
    expect((await ana.patch(`/api/v1/imports/${id}/rows/0`, { selected: false })).status).toBe(409)
  })

  it('classifies again at commit: a value added meanwhile is skipped, not duplicated', async () => {
    const staged = await ana.post('/api/v1/imports', { text: 'race-a.badnet.top\nrace-b.badnet.top', format: 'txt' })
    await bob.post('/api/v1/iocs', { value: 'race-b.badnet.top' })
    const res = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, { exclude: [] })
    expect(res.json).toMatchObject({ created: 1, skipped: 1, counts: expect.objectContaining({ duplicate: 1 }) })
  })

  it('classifies again at commit: an allowlist entry added or removed meanwhile counts', async () => {
    const staged = await ana.post('/api/v1/imports', { text: 'a.allow-race.top\nb.keep-race.top', format: 'txt' })
    expect(staged.json.counts).toMatchObject({ new: 2 })
    const entry = await admin.post('/api/v1/allowlist', { kind: 'suffix', value: 'allow-race.top', reason: 'ours' })
    const res = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, {})
    expect(res.json).toMatchObject({ created: 1, counts: expect.objectContaining({ allowlisted: 1, new: 1 }) })
    const again = await ana.post('/api/v1/imports', { text: 'c.allow-race.top', format: 'txt' })
    expect(again.json.counts).toMatchObject({ allowlisted: 1 })
    expect((await admin.del(`/api/v1/allowlist/${entry.json.entry.id}`)).status).toBe(204)
    // Classified again (now new), but the commit only takes what the analyst had selected.
    const done = await ana.post(`/api/v1/imports/${again.json.id}/commit`, {})
    expect(done.json).toMatchObject({ created: 0, counts: expect.objectContaining({ new: 1, allowlisted: 0 }) })
  })

  it('classifies again at commit after an edit: the later line of an edited value is no longer its duplicate', async () => {
    const staged = await ana.post('/api/v1/imports', { text: 'twice.edit-race.top\ntwice.edit-race.top', format: 'txt' })
    expect(staged.json.counts).toMatchObject({ new: 1, duplicate: 1 })
    const [first] = await allRows(ana, staged.json.id)
    expect((await ana.patch(`/api/v1/imports/${staged.json.id}/rows/${first.idx}`, { value: 'once.edit-race.top' })).status).toBe(200)
    // The preview shows it at once: the second line is new and selected now.
    const [, second] = await allRows(ana, staged.json.id)
    expect(second).toMatchObject({ status: 'new', selected: true, dupOfLine: null })
    const res = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, {})
    expect(res.json.created).toBe(2)
    expect((await ana.get('/api/v1/iocs?q=twice.edit-race.top&match=exact')).json.items).toHaveLength(1)
  })

  it('leaves out the lines named in exclude', async () => {
    const staged = await ana.post('/api/v1/imports', { text: 'ex-1.badnet.top\nex-2.badnet.top\nex-3.badnet.top', format: 'txt' })
    const res = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, { exclude: [2] })
    expect(res.json.created).toBe(2)
    expect((await ana.get('/api/v1/iocs?q=ex-2.badnet.top&match=exact')).json.items).toEqual([])
  })

  it('discards a batch: its rows go, it cannot be committed', async () => {
    const staged = await ana.post('/api/v1/imports', { text: 'gone.badnet.top', format: 'txt' })
    expect((await ana.del(`/api/v1/imports/${staged.json.id}`)).status).toBe(204)
    expect((await ana.post(`/api/v1/imports/${staged.json.id}/commit`, {})).status).toBe(409)
    expect((await ana.get(`/api/v1/imports/${staged.json.id}`)).json.counts.total).toBe(0)
  })
})

describe('STIX bundles', () => {
  it('stages the values of a STIX 2.1 bundle with its metadata, skipping revoked and compound indicators with a note', async () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
      objects: [
        { type: 'identity', id: 'identity--1', name: 'Vendor' },
        {
          type: 'indicator', spec_version: '2.1', id: 'indicator--a1', pattern_type: 'stix',
          pattern: "[domain-name:value = 'stix-one.bad-cdn.top']", name: 'C2 domain', description: 'seen in the wild',
          labels: ['c2', 'has a label moat keeps'], valid_until: '2099-01-01T00:00:00.000Z',
          external_references: [{ source_name: 'moat-ticket', external_id: 'INC-STIX' }],
        },
        { type: 'indicator', id: 'indicator--a2', pattern_type: 'stix', pattern: "[ipv4-addr:value = '45.33.32.10'] OR [url:value = 'http://stix-two.bad-cdn.top/x']" },
        { type: 'indicator', id: 'indicator--a3', pattern_type: 'stix', pattern: "[domain-name:value = 'revoked.bad-cdn.top']", revoked: true },
        { type: 'indicator', id: 'indicator--a4', pattern_type: 'stix', pattern: "[file:name = 'x.exe' AND file:size = 10]" },
        { type: 'indicator', id: 'indicator--a5', pattern_type: 'yara', pattern: 'rule x { condition: true }' },
      ],
    }
    const res = await upload(ana, 'vendor.json', JSON.stringify(bundle))
    expect(res.status).toBe(201)
    expect(res.json.batch).toMatchObject({ format: 'stix', source: 'stix', filename: 'vendor.json' })
    expect(res.json.rows.map((r: any) => [r.line, r.type, r.value, r.status])).toEqual([
      [2, 'domain', 'stix-one.bad-cdn.top', 'new'],
      [3, 'ip', '45.33.32.10', 'new'],
      [3, 'url', 'http://stix-two.bad-cdn.top/x', 'new'],
    ])
    expect(res.json.rows[0].meta).toMatchObject({ ticket: 'INC-STIX', comment: 'C2 domain — seen in the wild', tags: ['c2', 'has a label moat keeps'], expiresAt: '2099-01-01T00:00:00.000Z' })
    expect(res.json.batch.notes.join('\n')).toMatch(/objects\[3\]: revoked/)
    expect(res.json.batch.notes.join('\n')).toMatch(/objects\[4\]: AND/)
    expect(res.json.batch.notes.join('\n')).toMatch(/objects\[5\]: pattern_type yara/)
    const bad = await ana.post('/api/v1/imports', { text: '{"type":"bundle"}', format: 'stix' })
    expect(bad.status).toBe(422)
    expect(bad.json.error.code).toBe('invalid_stix')
  })

  it("round-trips Moat's own STIX export through a staging batch", async () => {
    await ana.post('/api/v1/iocs', { value: 'roundtrip.stix-moat.top', ticket: 'INC-RT', tags: ['rt'] })
    const exported = await admin.get('/api/v1/export/stix')
    expect(exported.status).toBe(200)
    const res = await admin.post('/api/v1/imports', { text: exported.text, format: 'stix' })
    expect(res.status).toBe(201)
    const rows = await allRows(admin, res.json.id)
    const mine = rows.find((r) => r.value === 'roundtrip.stix-moat.top')
    expect(mine).toMatchObject({ type: 'domain', status: 'duplicate', meta: expect.objectContaining({ ticket: 'INC-RT' }) })
    expect(rows.filter((r) => r.status === 'invalid')).toEqual([])
  })
})

describe('real blocklists', () => {
  it('imports maltrail mass_scanner (IPv4 and IPv6 with inline comments), then finds every line a duplicate', async () => {
    const file = readFileSync(`${BLOCKLISTS}/maltrail-mass_scanner.txt`)
    const values = new Set<string>()
    for (const line of file.toString('utf8').split('\n')) {
      const v = line.replace(/\s#.*$/, '').trim()
      if (v && !v.startsWith('#')) values.add(v.toLowerCase())
    }
    const staged = await upload(admin, 'maltrail-mass_scanner.txt', file)
    expect(staged.status).toBe(201)
    const c = staged.json.counts
    // 19,220 content lines: 19,215 addresses (v4 + v6) and 5 junk lines (`/w00tw00t...`, `C91.196.152.28`).
    expect(c.total).toBe(19_220)
    expect(c.invalid).toBe(5)
    expect(c.new + c.warning + c.duplicate).toBe(19_215)
    expect(c.new + c.warning).toBe(values.size - 5)
    await admin.post(`/api/v1/imports/${staged.json.id}/select`, { statuses: ['warning'], selected: true })
    const res = await admin.post(`/api/v1/imports/${staged.json.id}/commit`, {})
    expect(res.json.created).toBe(c.new + c.warning)
    const v6 = (await admin.get('/api/v1/iocs?q=2400:6180:0:d0::1008:2001&match=exact')).json.items[0]
    expect(v6).toMatchObject({ type: 'ip', comment: 'binaryedge.ninja' })
    const again = await upload(admin, 'maltrail-mass_scanner.txt', file)
    expect(again.json.counts).toMatchObject({ total: 19_220, new: 0, warning: 0, duplicate: 19_215, invalid: 5 })
  })

  it('imports a domain list whose stray lines (URLs, IP:port) get their own types', async () => {
    const staged = await upload(admin, 'nivdort.txt', readFileSync(`${BLOCKLISTS}/maltrail-malware-nivdort.txt`))
    const rows = await allRows(admin, staged.json.id)
    const types: Record<string, number> = {}
    for (const r of rows) types[r.type ?? 'invalid'] = (types[r.type ?? 'invalid'] ?? 0) + 1
    expect(rows.length).toBe(3983)
    expect(types.domain).toBe(3979)
    expect(types.url).toBeGreaterThanOrEqual(2)
    expect(rows.length).toBe(staged.json.counts.total)
  })
})

describe('every real IOC file in ../shared/data/iocs', () => {
  const ROOT = '../shared/data/iocs'
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = path.join(dir, name)
      return statSync(p).isDirectory() ? files(p) : name.startsWith('LICENSE') ? [] : [p]
    })
  const all = files(ROOT)
  const histogram = (rows: { type?: string | null; error?: unknown }[]) => {
    const out: Record<string, number> = {}
    for (const r of rows) {
      const k = r.type ?? 'invalid'
      out[k] = (out[k] ?? 0) + 1
    }
    return out
  }
  // Fixed expectations, counted by hand from the files (see the data README): the rest is checked
  // against the pure parser, so the HTTP upload, staging and classification lose and change nothing.
  const KNOWN: Record<string, { format: string; types: Record<string, number> }> = {
    'blocklists/maltrail-malware-amadey.txt': { format: 'txt', types: { domain: 461, url: 359, ip: 9, invalid: 4789 } },
    'blocklists/maltrail-mass_scanner_cidr.txt': { format: 'txt', types: { ip: 1106 } },
    'blocklists/maltrail-malware-nivdort.txt': { format: 'txt', types: { domain: 3979, url: 2, ip: 1, invalid: 1 } },
    'eset/agrius/samples.sha1': { format: 'txt', types: { sha1: 7 } },
    'eset/gamaredon/samples.md5': { format: 'txt', types: { md5: 73 } },
  }

  it('finds the 31 files the data README lists', () => {
    expect(all).toHaveLength(31)
  })

  it.each(all.map((f) => path.relative(ROOT, f)))('%s: staged through the API exactly as parsed', async (name) => {
    const body = readFileSync(path.join(ROOT, name))
    const staged = await upload(admin, path.basename(name), body)
    expect(staged.status).toBe(201)
    const text = body.toString('utf8')
    const format = detectFormat(text, path.basename(name))
    expect(staged.json.batch.format).toBe(format)
    // Reports are read as documents to extract from; spalax's README is over 90% bare indicator
    // lines (hash and domain lists between a few headings), so it reads as a list.
    if (name.endsWith('README.adoc') && !name.includes('spalax')) expect(format).toBe('text')
    else expect(format).toBe('txt')
    const rows = await allRows(admin, staged.json.id)
    const expected = histogram(parseImport(text, format).rows as never)
    expect(histogram(rows)).toEqual(expected)
    if (KNOWN[name]) expect(histogram(rows)).toEqual(KNOWN[name].types)
    expect(staged.json.counts.total).toBe(rows.length)
    // Every row has a status and every non-new row says why.
    for (const r of rows) if (r.status !== 'new') expect(r.reason, `${name} line ${r.line}`).toBeTruthy()
    await admin.del(`/api/v1/imports/${staged.json.id}`)
  })
})
