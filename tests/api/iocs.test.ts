import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fireScheduled } from '../../bin/scheduler'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

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

describe('parse', () => {
  it('refangs, types and normalizes each line without storing anything', async () => {
    const res = await ana.post('/api/v1/iocs/parse', { text: 'hxxps://Evil[.]example/a?b=1#frag\n# comment\n\n300.1.1.1\n1.2.3.4:443' })
    expect(res.status).toBe(200)
    expect(res.json.items).toEqual([
      { line: 1, raw: 'hxxps://Evil[.]example/a?b=1#frag', type: 'url', value: 'https://evil.example/a?b=1', warnings: [] },
      { line: 4, raw: '300.1.1.1', error: expect.objectContaining({ code: 'invalid_ipv4', message: expect.stringContaining('300') }) },
      { line: 5, raw: '1.2.3.4:443', type: 'ip', value: '1.2.3.4', warnings: [expect.objectContaining({ code: 'port_dropped' })] },
    ])
    const list = await ana.get('/api/v1/iocs?q=evil.example')
    expect(list.json.items).toEqual([])
  })
})

describe('submit', () => {
  it('stores the canonical value with who, when, ticket and expiry, and answers 201', async () => {
    const res = await ana.post('/api/v1/iocs', { value: 'Bad-Domain[.]EVIL-CORP.xyz.', ttl: '1w', comment: 'phishing kit', tags: ['phish', 'kit'], campaign: 'Op Falcon' })
    expect(res.status).toBe(201)
    const ioc = res.json.ioc
    expect(ioc).toMatchObject({ type: 'domain', value: 'bad-domain.evil-corp.xyz', status: 'active', comment: 'phishing kit', tags: ['phish', 'kit'], source: 'ui', incarnation: 1 })
    expect(ioc.createdBy.username).toBe('ana')
    expect(ioc.campaign.name).toBe('Op Falcon')
    expect(ioc.ticket).toMatch(/^AN-\d{8}-\d{4}$/)
    const days = (Date.parse(ioc.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(6.9)
    expect(days).toBeLessThan(7.1)
    const history = await ana.get(`/api/v1/iocs/${ioc.id}/history`)
    expect(history.json.items.map((h: any) => [h.event, h.actor])).toEqual([['created', 'ana']])
  })

  it('answers a duplicate with 409 and the existing IOC, or extends its expiry when asked', async () => {
    const first = await ana.post('/api/v1/iocs', { value: 'dup.badnet.top', ttl: '1w' })
    const dup = await bob.post('/api/v1/iocs', { value: 'DUP.badnet.top' })
    expect(dup.status).toBe(409)
    expect(dup.json.error.code).toBe('duplicate')
    expect(dup.json.error.details.ioc.id).toBe(first.json.ioc.id)
    const ext = await bob.post('/api/v1/iocs', { value: 'dup.badnet.top', ttl: '1y', onDuplicate: 'extend' })
    expect(ext.status).toBe(200)
    expect(ext.json.extended).toBe(true)
    expect(Date.parse(ext.json.ioc.expiresAt)).toBeGreaterThan(Date.parse(first.json.ioc.expiresAt) + 300 * 86_400_000)
    expect(ext.json.ioc.createdBy.username).toBe('ana')
  })

  it('names the field and the rule for invalid values and type mismatches', async () => {
    const bad = await ana.post('/api/v1/iocs', { value: '300.1.1.1' })
    expect(bad.status).toBe(422)
    expect(bad.json.error.code).toBe('invalid_ioc')
    expect(bad.json.error.details.fields[0]).toMatchObject({ field: 'value', code: 'invalid_ipv4' })
    expect(bad.json.error.details.fields[0].reason).toContain('300')
    const mismatch = await ana.post('/api/v1/iocs', { value: 'http://evil.example/x', type: 'domain' })
    expect(mismatch.status).toBe(422)
    expect(mismatch.json.error.message).toMatch(/looks like a URL, not a domain/)
    const cidr = await ana.post('/api/v1/iocs', { value: '10.1.2.3/24' })
    expect(cidr.json.error.details.suggestion).toBe('10.1.2.0/24')
    const missing = await ana.post('/api/v1/iocs', { ttl: '1w' })
    expect(missing.status).toBe(400)
    expect(missing.json.error.details.fields[0]).toMatchObject({ field: 'value', code: 'required' })
    const badTtl = await ana.post('/api/v1/iocs', { value: 'x.malicious.site', ttl: 'forever' })
    expect(badTtl.status).toBe(400)
    expect(badTtl.json.error.details.fields[0].field).toBe('ttl')
  })

  it('requires confirmation for sanity warnings, then stores with confirm', async () => {
    const warned = await ana.post('/api/v1/iocs', { value: '10.20.30.40' })
    expect(warned.status).toBe(422)
    expect(warned.json.error.code).toBe('confirmation_required')
    expect(warned.json.error.details.warnings.map((w: any) => w.code)).toContain('private_ip')
    expect((await ana.get('/api/v1/iocs?q=10.20.30.40&match=exact')).json.items).toEqual([])
    const ok = await ana.post('/api/v1/iocs', { value: '10.20.30.40', confirm: true })
    expect(ok.status).toBe(201)
    expect(ok.json.warnings.map((w: any) => w.code)).toContain('private_ip')
  })

  it('refuses viewers with 403', async () => {
    const res = await viewer.post('/api/v1/iocs', { value: 'viewer.malicious.site' })
    expect(res.status).toBe(403)
  })

  it('stores SQL and HTML text inert', async () => {
    const evil = `'); DROP TABLE iocs; -- <img src=x onerror=alert(1)>`
    const res = await ana.post('/api/v1/iocs', { value: 'inert.malicious.site', comment: evil })
    expect(res.status).toBe(201)
    const got = await ana.get(`/api/v1/iocs/${res.json.ioc.id}`)
    expect(got.json.ioc.comment).toBe(evil)
  })
})

describe('allowlist', () => {
  it('refuses an allowlisted value naming the entry, and removes covered IOCs from the active set at once', async () => {
    const before = await ana.post('/api/v1/iocs', { value: 'cdn.corp-partner.io' })
    expect(before.status).toBe(201)
    const entry = await admin.post('/api/v1/allowlist', { kind: 'suffix', value: '*.corp-partner.io', reason: 'business partner' })
    expect(entry.status).toBe(201)
    expect(entry.json.entry).toMatchObject({ kind: 'suffix', value: 'corp-partner.io', matches: 1 })
    const refused = await ana.post('/api/v1/iocs', { value: 'hxxp://www.corp-partner[.]io/login' })
    expect(refused.status).toBe(422)
    expect(refused.json.error.code).toBe('allowlisted')
    expect(refused.json.error.message).toContain('allowlisted by corp-partner.io (reason: business partner)')
    const now = await ana.get(`/api/v1/iocs/${before.json.ioc.id}`)
    expect(now.json.ioc.status).toBe('allowlisted')
    const active = await ana.get('/api/v1/iocs?status=active&q=corp-partner')
    expect(active.json.items).toEqual([])

    expect((await admin.del(`/api/v1/allowlist/${entry.json.entry.id}`)).status).toBe(204)
    expect((await ana.get(`/api/v1/iocs/${before.json.ioc.id}`)).json.ioc.status).toBe('active')
    const events = (await ana.get(`/api/v1/iocs/${before.json.ioc.id}/history`)).json.items.map((h: any) => h.event)
    expect(events).toEqual(['created', 'allowlisted', 'unallowlisted'])
  })

  it('covers IPs inside a CIDR entry and is admin-only', async () => {
    expect((await ana.post('/api/v1/allowlist', { kind: 'cidr', value: '198.18.0.0/15', reason: 'x' })).status).toBe(403)
    const res = await admin.post('/api/v1/allowlist', { kind: 'cidr', value: '203.0.113.0/24', reason: 'corp LAN' })
    expect(res.status).toBe(201)
    const refused = await ana.post('/api/v1/iocs', { value: '203.0.113.77', confirm: true })
    expect(refused.status).toBe(422)
    expect(refused.json.error.message).toContain('allowlisted by 203.0.113.0/24 (reason: corp LAN)')
    const bad = await admin.post('/api/v1/allowlist', { kind: 'cidr', value: 'not-an-ip', reason: 'x' })
    expect(bad.status).toBe(422)
    expect(bad.json.error.details.fields[0].field).toBe('value')
  })
})

describe('edit, exclude, delete', () => {
  it('lets analysts edit their own IOCs only; admins any', async () => {
    const mine = await ana.post('/api/v1/iocs', { value: 'edit-me.malicious.site' })
    const id = mine.json.ioc.id
    const other = await bob.patch(`/api/v1/iocs/${id}`, { comment: 'bob was here' })
    expect(other.status).toBe(403)
    const own = await ana.patch(`/api/v1/iocs/${id}`, { comment: 'updated', tags: ['x'], ttl: 'permanent' })
    expect(own.status).toBe(200)
    expect(own.json.ioc).toMatchObject({ comment: 'updated', tags: ['x'], expiresAt: null })
    const byAdmin = await admin.patch(`/api/v1/iocs/${id}`, { severity: 'high' })
    expect(byAdmin.json.ioc.severity).toBe('high')
    const unknown = await ana.patch(`/api/v1/iocs/${id}`, { value: 'other.example' })
    expect(unknown.status).toBe(400)
    const hist = (await ana.get(`/api/v1/iocs/${id}/history`)).json.items
    expect(hist.map((h: any) => h.event)).toEqual(['created', 'edited', 'edited'])
    expect(hist[1].diff.comment).toEqual(['', 'updated'])
  })

  it('excludes and unexcludes, recorded in history', async () => {
    const created = await ana.post('/api/v1/iocs', { value: 'fp.malicious.site' })
    const id = created.json.ioc.id
    const ex = await bob.post(`/api/v1/iocs/${id}/exclude`, { reason: 'false positive' })
    expect(ex.status).toBe(200)
    expect(ex.json.ioc).toMatchObject({ status: 'excluded', excludeReason: 'false positive' })
    expect((await bob.post(`/api/v1/iocs/${id}/exclude`, {})).status).toBe(409)
    const un = await bob.post(`/api/v1/iocs/${id}/unexclude`)
    expect(un.json.ioc.status).toBe('active')
    const events = (await ana.get(`/api/v1/iocs/${id}/history`)).json.items.map((h: any) => h.event)
    expect(events).toEqual(['created', 'excluded', 'unexcluded'])
  })

  it('soft-deletes; notes survive and a re-created IOC is a new incarnation', async () => {
    const created = await ana.post('/api/v1/iocs', { value: 'again.malicious.site' })
    const id = created.json.ioc.id
    const note = await ana.post('/api/v1/notes', { type: 'domain', value: 'AGAIN.malicious.site', body: '**seen** in <script>alert(1)</script> INC-7' })
    expect(note.status).toBe(201)
    expect((await bob.del(`/api/v1/iocs/${id}`)).status).toBe(403)
    expect((await ana.del(`/api/v1/iocs/${id}`)).status).toBe(204)
    expect((await ana.get(`/api/v1/iocs/${id}`)).json.ioc.status).toBe('deleted')
    expect((await ana.del(`/api/v1/iocs/${id}`)).status).toBe(404)
    const again = await bob.post('/api/v1/iocs', { value: 'again.malicious.site' })
    expect(again.status).toBe(201)
    expect(again.json.ioc.incarnation).toBe(2)
    const notes = await bob.get('/api/v1/notes?type=domain&value=again.malicious.site')
    expect(notes.json.items.map((n: any) => n.body)).toEqual(['**seen** in <script>alert(1)</script> INC-7'])
  })
})

describe('expiry', () => {
  it('treats an expired IOC as inactive at once and the sweep records one expired event', async () => {
    const created = await ana.post('/api/v1/iocs', { value: 'short-lived.malicious.site', expiresAt: new Date(Date.now() + 1500).toISOString() })
    expect(created.status).toBe(201)
    await new Promise((r) => setTimeout(r, 1700))
    const got = await ana.get(`/api/v1/iocs/${created.json.ioc.id}`)
    expect(got.json.ioc.status).toBe('expired')
    expect((await ana.get('/api/v1/iocs?status=active&q=short-lived')).json.items).toEqual([])
    const worker = await moat.rt.mf.getWorker()
    await fireScheduled(worker as never, 'job:expire', new Date())
    await fireScheduled(worker as never, 'job:expire', new Date())
    const events = (await ana.get(`/api/v1/iocs/${created.json.ioc.id}/history`)).json.items.map((h: any) => [h.event, h.actor])
    expect(events).toEqual([['created', 'ana'], ['expired', 'system']])
    const revived = await ana.patch(`/api/v1/iocs/${created.json.ioc.id}`, { ttl: '1w' })
    expect(revived.json.ioc.status).toBe('active')
    const last = (await ana.get(`/api/v1/iocs/${created.json.ioc.id}/history`)).json.items.at(-1)
    expect(last.event).toBe('reactivated')
  })
})

describe('search', () => {
  it('finds by substring, prefix, exact, type, tag, ticket, user and campaign, with cursor paging', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await bob.post('/api/v1/iocs', { value: `page-${i}.search-test.click`, tags: ['paging'], ticket: 'INC-4242', campaign: 'Paging Op' })
      expect(r.status).toBe(201)
    }
    const sub = await ana.get('/api/v1/iocs?q=search-test&limit=2')
    expect(sub.json.items).toHaveLength(2)
    expect(sub.json.nextCursor).toBeTruthy()
    const seen = new Set(sub.json.items.map((i: any) => i.id))
    let cursor = sub.json.nextCursor
    while (cursor) {
      const next = await ana.get(`/api/v1/iocs?q=search-test&limit=2&cursor=${encodeURIComponent(cursor)}`)
      for (const i of next.json.items) seen.add(i.id)
      cursor = next.json.nextCursor
    }
    expect(seen.size).toBe(5)
    expect((await ana.get('/api/v1/iocs?q=page-3.search&match=prefix')).json.items.map((i: any) => i.value)).toEqual(['page-3.search-test.click'])
    expect((await ana.get('/api/v1/iocs?q=page-4[.]search-test[.]click&match=exact')).json.items).toHaveLength(1)
    expect((await ana.get('/api/v1/iocs?tag=paging')).json.items).toHaveLength(5)
    expect((await ana.get('/api/v1/iocs?ticket=INC-4242&user=bob&type=domain')).json.items).toHaveLength(5)
    const camp = (await ana.get('/api/v1/campaigns')).json.items.find((c: any) => c.name === 'Paging Op')
    expect(camp).toMatchObject({ iocCount: 5, activeCount: 5 })
    expect((await ana.get(`/api/v1/iocs?campaign=${camp.id}&sort=value`)).json.items.map((i: any) => i.value)[0]).toBe('page-0.search-test.click')
    const bad = await ana.get('/api/v1/iocs?limit=9999')
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('limit')
  })
})

describe('campaigns', () => {
  it('creates, renames, links, exports CSV with formula cells neutralised, and deletes', async () => {
    const c = await ana.post('/api/v1/campaigns', { name: 'Op CSV', description: 'test' })
    expect(c.status).toBe(201)
    expect((await bob.post('/api/v1/campaigns', { name: 'op csv' })).status).toBe(409)
    const ioc = await ana.post('/api/v1/iocs', { value: 'csv.malicious.site', comment: '=HYPERLINK("http://x")' })
    const link = await ana.post(`/api/v1/campaigns/${c.json.campaign.id}/iocs`, { iocIds: [ioc.json.ioc.id] })
    expect(link.json.linked).toBe(1)
    const renamed = await ana.patch(`/api/v1/campaigns/${c.json.campaign.id}`, { name: 'Op CSV 2' })
    expect(renamed.json.campaign).toMatchObject({ name: 'Op CSV 2', iocCount: 1 })
    const csv = await ana.get(`/api/v1/campaigns/${c.json.campaign.id}/export.csv`)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect(csv.text.split('\r\n')[0]).toBe('id,type,value,status,expires_at,ticket,comment,tags,created_at')
    expect((await ana.del(`/api/v1/campaigns/${c.json.campaign.id}`)).status).toBe(403)
    expect((await admin.del(`/api/v1/campaigns/${c.json.campaign.id}`)).status).toBe(204)
    expect((await ana.get(`/api/v1/iocs/${ioc.json.ioc.id}`)).json.ioc.campaign).toBeNull()
  })
})

describe('warninglists', () => {
  it('imports a MISP warninglist and warns on its entries', async () => {
    const fd = new FormData()
    const { readFileSync } = await import('node:fs')
    fd.append('file', new Blob([readFileSync('../shared/data/warninglists/url-shortener.json')]), 'url-shortener.json')
    const res = await admin.post('/api/v1/warninglists', fd)
    expect(res.status).toBe(201)
    expect(res.json.warninglist.entryCount).toBeGreaterThan(200)
    const warned = await ana.post('/api/v1/iocs', { value: 'hxxps://bit[.]ly/abc' })
    expect(warned.status).toBe(422)
    expect(warned.json.error.details.warnings.map((w: any) => w.message).join()).toMatch(/warninglist/)
    expect((await ana.post('/api/v1/warninglists', fd)).status).toBe(403)
    const broken = await admin.post('/api/v1/warninglists', '{"name": 1}', { 'content-type': 'application/json' })
    expect(broken.status).toBe(422)
  })
})

describe('export', () => {
  it('exports every match of a search as CSV, JSON or text, past one page', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await ana.post('/api/v1/iocs', { value: `exp-${i}.export-test.click`, comment: i === 0 ? '=SUM(A1)' : 'ok', tags: ['exp'] })).status).toBe(201)
    }
    const csv = await ana.get('/api/v1/iocs/export?tag=exp&format=csv&sort=value')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="moat-iocs-\d{4}-\d{2}-\d{2}\.csv"/)
    const rows = csv.text.trimEnd().split('\r\n')
    expect(rows[0]).toBe('id,type,value,status,expires_at,ticket,campaign,tags,confidence,severity,comment,submitted_by,created_at')
    expect(rows).toHaveLength(4)
    expect(rows[1]).toContain(`"'=SUM(A1)"`)
    const json = await ana.get('/api/v1/iocs/export?tag=exp&format=json&sort=value')
    expect(json.json.map((i: any) => i.value)).toEqual(['exp-0.export-test.click', 'exp-1.export-test.click', 'exp-2.export-test.click'])
    const txt = await ana.get('/api/v1/iocs/export?tag=exp&format=txt&sort=value')
    expect(txt.text).toBe('exp-0.export-test.click\nexp-1.export-test.click\nexp-2.export-test.click\n')
    const all = await ana.get('/api/v1/iocs/export?format=txt&status=all')
    const total = (await ana.get('/api/v1/iocs?status=all&limit=500')).json.items.length
    expect(all.text.trimEnd().split('\n')).toHaveLength(total)
    const user = await moat.db.prepare(`SELECT id FROM users WHERE username = 'ana'`).first<{ id: number }>()
    await moat.db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 1199)
         INSERT INTO iocs (type, value, ticket, created_by, created_at, updated_at, tags)
         SELECT 'md5', printf('%032x', i + 77), 'BULK-EXP', ?1, ?2, ?2, '[]' FROM seq`,
      )
      .bind(user!.id, new Date().toISOString())
      .run()
    const big = await ana.get('/api/v1/iocs/export?ticket=BULK-EXP&format=json')
    expect(big.json).toHaveLength(1200)
    expect(new Set(big.json.map((i: any) => i.id)).size).toBe(1200)
    const empty = await ana.get('/api/v1/iocs/export?tag=none-such&format=json')
    expect(empty.json).toEqual([])
    expect((await ana.get('/api/v1/iocs/export?format=xml')).status).toBe(400)
  })
})
