import { get } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fireScheduled } from '../../bin/scheduler'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client
let ana: Client
const ids: Record<string, number> = {}

/** Raw GET: no automatic decompression, so the bytes are what a firewall receives. */
async function feed(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(moat.base + path, { headers: { 'accept-encoding': 'identity', ...headers } })
  const bytes = Buffer.from(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') }
}

async function add(value: string, extra: Record<string, unknown> = {}) {
  const res = await ana.post('/api/v1/iocs', { value, confirm: true, ...extra })
  expect(res.status, `${value}: ${res.text}`).toBe(201)
  ids[value] = res.json.ioc.id
  return res.json.ioc
}

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
})
afterAll(() => moat.close())

describe('empty feeds', () => {
  it('are one comment line, never zero bytes; Check Point keeps its header; ESA is empty and flagged', async () => {
    const plain = await feed('/feed/ip')
    expect(plain.status).toBe(200)
    expect(plain.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(plain.text).toBe('# moat: no active entries\n')
    expect((await feed('/feed/pa/url')).text).toBe('# moat: no active entries\n')
    expect((await feed('/feed/cp/ip')).text).toBe('#! DESCRIPTION = Moat ip indicators\n# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT\n')
    const esa = await feed('/feed/esa/email')
    expect(esa.text).toBe('')
    expect(esa.headers.get('x-moat-empty')).toBe('1')
  })
})

describe('formats', () => {
  beforeAll(async () => {
    await add('45.9.148.12', { comment: 'C2, "stage 2"', ticket: 'INC-1', confidence: 95, severity: 'critical' })
    await add('45.9.148.0/24', { ticket: 'INC-2' })
    await add('2a0e:1c80::1', { ticket: 'INC-3' })
    await add('c2.evil-corp.xyz', { ticket: 'INC-4', comment: '=cmd|calc' })
    await add('bücher-böse.xyz', { ticket: 'INC-5' })
    await add('hxxps://shop.bad-site[.]xyz:8443/login?next=a,b', { ticket: 'INC-6' })
    await add('http://host-only.bad.xyz', { ticket: 'INC-7' })
    await add('http://[2a0e:1c80::5]/x', { ticket: 'INC-8' })
    await add(`http://long.bad.xyz/${'a'.repeat(260)}`, { ticket: 'INC-9' })
    await add('Phish@Bad-Mail.xyz', { ticket: 'INC-10' })
    await add('two@bad-mail.xyz', { ticket: 'INC-10' })
    await add('44d88612fea8a8f36de82e1278abb02f', { ticket: 'INC-11', confidence: 30, severity: 'low' })
    await add('3395856ce81f2b7382dee72602f798b642f14140', { ticket: 'INC-11' })
  })

  it('serves one canonical value per line, sorted, with a trailing newline', async () => {
    expect((await feed('/feed/ip')).text).toBe('2a0e:1c80::1\n45.9.148.0/24\n45.9.148.12\n')
    expect((await feed('/feed/domain')).text).toBe('c2.evil-corp.xyz\nxn--bcher-bse-67a3d.xyz\n')
    expect((await feed('/feed/email')).text).toBe('phish@bad-mail.xyz\ntwo@bad-mail.xyz\n')
    expect((await feed('/feed/hash')).text).toBe('3395856ce81f2b7382dee72602f798b642f14140\n44d88612fea8a8f36de82e1278abb02f\n')
    expect((await feed('/feed/md5')).text).toBe('44d88612fea8a8f36de82e1278abb02f\n')
    expect((await feed('/feed/ipaddress')).text).toBe((await feed('/feed/ip')).text)
  })

  it('writes PAN-OS EDLs: IPs as is, domains with optional wildcard, URLs without scheme or port', async () => {
    expect((await feed('/feed/pa/ip')).text).toBe('2a0e:1c80::1\n45.9.148.0/24\n45.9.148.12\n')
    expect((await feed('/feed/pa/domain')).text).toBe('c2.evil-corp.xyz\nxn--bcher-bse-67a3d.xyz\n')
    expect((await feed('/feed/pa/domain?wild=1')).text).toBe('*.c2.evil-corp.xyz\nc2.evil-corp.xyz\n*.xn--bcher-bse-67a3d.xyz\nxn--bcher-bse-67a3d.xyz\n')
    const url = await feed('/feed/pa/url')
    expect(url.text).toBe('host-only.bad.xyz/\nshop.bad-site.xyz/login?next=a,b\n')
    expect(url.headers.get('x-moat-dropped')).toBe('2')
    expect(url.headers.get('x-moat-dropped-reasons')).toBe('ipv6_host=1, too_long=1')
    for (const line of url.text.trim().split('\n')) {
      expect(line.length).toBeLessThanOrEqual(255)
      expect(line).toMatch(/^[\x21-\x7e]+$/)
      expect(line).not.toMatch(/^[a-z]+:\/\//)
    }
  })

  it('writes the Check Point IoC CSV with stable names, types, quoting and no IPv6', async () => {
    const ip = await feed('/feed/cp/ip')
    expect(ip.text).toBe(
      '#! DESCRIPTION = Moat ip indicators\n# UNIQ-NAME,VALUE,TYPE,CONFIDENCE,SEVERITY,PRODUCT,COMMENT\n' +
        `moat-${ids['45.9.148.0/24']},45.9.148.0-45.9.148.255,IP Range,high,medium,AB,"INC-2"\n` +
        `moat-${ids['45.9.148.12']},45.9.148.12,IP,critical,critical,AB,"C2, ""stage 2"", INC-1"\n`,
    )
    expect(ip.headers.get('x-moat-dropped-reasons')).toBe('ipv6=1')
    const url = await feed('/feed/cp/url')
    expect(url.text).toContain(`moat-${ids['hxxps://shop.bad-site[.]xyz:8443/login?next=a,b']},"shop.bad-site.xyz/login?next=a,b",URL,high,medium,AB,"INC-6"\n`)
    const domain = await feed('/feed/cp/domain')
    expect(domain.text).toContain(`moat-${ids['c2.evil-corp.xyz']},c2.evil-corp.xyz,Domain,high,medium,AB,"'=cmd|calc, INC-4"\n`)
    const hash = await feed('/feed/cp/hash')
    expect(hash.text).toContain(`moat-${ids['44d88612fea8a8f36de82e1278abb02f']},44d88612fea8a8f36de82e1278abb02f,MD5,low,low,AV,"INC-11"\n`)
    expect(hash.text).toContain(',SHA1,high,medium,AV,')
    const email = await feed('/feed/cp/email')
    expect(email.text).toContain(',phish@bad-mail.xyz,Mail-from,')
    const all = await feed('/feed/cp/all')
    for (const line of all.text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      // 7 fields per record (the comment is the only field that may hold commas inside quotes).
      const fields = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.filter((f) => f !== '')
      expect(fields.length, line).toBe(7)
    }
  })

  it('writes the Check Point Network Feed, the ESA list and the ePO files', async () => {
    expect((await feed('/feed/cp/network/ip')).text).toBe('2a0e:1c80::1\n45.9.148.0/24\n45.9.148.12\n')
    expect((await feed('/feed/esa/email')).text).toBe('phish@bad-mail.xyz,two@bad-mail.xyz')
    expect((await feed('/feed/epo/files-list')).text).toBe('INC-11\n')
    expect((await feed('/feed/epo/inc-11')).text).toBe(
      'All File Names,MD5 Hash,SHA-1 Hash,SHA-256 Hash\r\n' +
        'INC-11,44d88612fea8a8f36de82e1278abb02f,,\r\n' +
        'INC-11,,3395856ce81f2b7382dee72602f798b642f14140,\r\n',
    )
    expect((await feed('/feed/epo/bad%20ticket')).status).toBe(400)
    expect((await feed('/feed/nope')).status).toBe(404)
  })

  it('slices with n and s, counting lines, and says so in headers', async () => {
    const res = await feed('/feed/pa/domain?wild=1&s=1&n=2')
    expect(res.text).toBe('c2.evil-corp.xyz\n*.xn--bcher-bse-67a3d.xyz\n')
    expect(res.headers.get('x-moat-total')).toBe('4')
    expect(res.headers.get('x-moat-returned')).toBe('2')
    expect((await feed('/feed/ip?n=-1')).status).toBe(400)
  })
})

describe('what is served', () => {
  it('never serves expired, excluded, allowlisted or deleted IOCs', async () => {
    const excluded = await add('excluded.bad-zone.xyz')
    await ana.post(`/api/v1/iocs/${excluded.id}/exclude`, { reason: 'fp' })
    const deleted = await add('deleted.bad-zone.xyz')
    await ana.del(`/api/v1/iocs/${deleted.id}`)
    await add('kept.bad-zone.xyz')
    await add('partner.allowed-zone.xyz')
    await admin.post('/api/v1/allowlist', { kind: 'suffix', value: 'allowed-zone.xyz', reason: 'partner' })
    await add('soon.bad-zone.xyz', { expiresAt: new Date(Date.now() + 1500).toISOString() })
    const before = (await feed('/feed/domain')).text
    expect(before).toContain('soon.bad-zone.xyz\n')
    expect(before).toContain('kept.bad-zone.xyz\n')
    for (const gone of ['excluded', 'deleted', 'partner.allowed']) expect(before).not.toContain(gone)
    await new Promise((r) => setTimeout(r, 1700))
    // No write happened: the cached body itself knows its earliest expiry.
    const after = (await feed('/feed/domain')).text
    expect(after).not.toContain('soon.bad-zone.xyz')
    expect(after).toContain('kept.bad-zone.xyz\n')
    expect((await feed('/feed/pa/domain')).text).not.toContain('soon.bad-zone.xyz')
  })
})

describe('caching', () => {
  it('answers 304 to a matching If-None-Match, gzips when asked, and changes the ETag after a write', async () => {
    const first = await feed('/feed/url')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/)
    expect(first.headers.get('last-modified')).toBeTruthy()
    const again = await feed('/feed/url', { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.bytes.length).toBe(0)
    // An unrelated write bumps the generation; the rebuilt body is identical, so the ETag holds.
    await add('unrelated.bad-zone.xyz')
    expect((await feed('/feed/url', { 'if-none-match': etag })).status).toBe(304)
    await add('http://new-url.bad-zone.xyz/x')
    const changed = await feed('/feed/url', { 'if-none-match': etag })
    expect(changed.status).toBe(200)
    expect(changed.text).toContain('http://new-url.bad-zone.xyz/x\n')
    // node:http, not fetch: fetch would decompress, hiding the bytes on the wire.
    const zipped = await new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
      get(moat.base + '/feed/cp/all', { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (d) => chunks.push(d))
        res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }))
      }).on('error', reject)
    })
    const plain = await feed('/feed/cp/all')
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.bytes.length).toBeLessThan(plain.bytes.length)
    expect(gunzipSync(zipped.bytes).toString('utf8')).toBe(plain.text)
  })

  it('sends plain bytes to a client that does not ask for gzip (as PAN-OS polls)', async () => {
    const raw = await new Promise<{ headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      get(moat.base + '/feed/cp/all', (res) => {
        const chunks: Buffer[] = []
        res.on('data', (d) => chunks.push(d))
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      }).on('error', reject)
    })
    expect(raw.headers['content-encoding']).toBeUndefined()
    expect(raw.body).toBe((await feed('/feed/cp/all')).text)
  })

  it('answers 503 with Retry-After when the database fails, never a partial 200', async () => {
    await moat.db.prepare('ALTER TABLE iocs RENAME TO iocs_broken').run()
    try {
      const res = await feed('/feed/sha256?n=7')
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('30')
      expect(res.text).toMatch(/^# moat: feed temporarily unavailable/)
    } finally {
      await moat.db.prepare('ALTER TABLE iocs_broken RENAME TO iocs').run()
    }
    expect((await feed('/feed/sha256?n=7')).status).toBe(200)
  })

  it('records a shrink alert when a feed loses more than half its entries', async () => {
    for (let i = 0; i < 4; i++) await add(`shrink-${i}.bad-zone.xyz`, { tags: ['shrink'] })
    const big = await feed('/feed/cp/domain')
    expect(big.status).toBe(200)
    await new Promise((r) => setTimeout(r, 100))
    const list = (await ana.get('/api/v1/iocs?q=bad-zone.xyz&limit=100')).json.items
    for (const ioc of list) await ana.del(`/api/v1/iocs/${ioc.id}`)
    await feed('/feed/cp/domain')
    await new Promise((r) => setTimeout(r, 200))
    const alerts = await moat.db.prepare(`SELECT feed, kind FROM feed_alerts WHERE feed LIKE '/feed/cp/domain%'`).all()
    expect(alerts.results).toEqual([{ feed: '/feed/cp/domain?n=&s=&v6=0', kind: 'shrink' }])
  })
})

describe('consumers', () => {
  it('accepts a consumer token as Basic password or ?token=, refuses wrong ones, and records polls', async () => {
    const created = await admin.post('/api/v1/feed-consumers', { name: 'PA-5220 HQ', allowedFeeds: ['/feed/pa/*'] })
    expect(created.status).toBe(201)
    const token = created.json.token
    expect(token).toMatch(/^moatf_/)
    expect(created.json.consumer).not.toHaveProperty('tokenHash')
    const basic = 'Basic ' + Buffer.from(`pa-hq:${token}`).toString('base64')
    expect((await feed('/feed/pa/ip', { authorization: basic })).status).toBe(200)
    expect((await feed(`/feed/pa/ip?token=${token}`)).status).toBe(200)
    const wrong = await feed('/feed/pa/ip?token=moatf_wrong')
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm="Moat feeds"/)
    expect((await feed('/feed/cp/ip', { authorization: basic })).status).toBe(403)

    const worker = await moat.rt.mf.getWorker()
    await fireScheduled(worker as never, 'job:housekeeping', new Date())
    const list = await admin.get('/api/v1/feed-consumers')
    const me = list.json.items.find((c: any) => c.name === 'PA-5220 HQ')
    expect(me.lastFeed).toMatch(/^\/feed\/(pa|cp)\/ip$/)
    expect(me.lastSeenAt).toBeTruthy()
    const polls = await moat.db.prepare(`SELECT status, sum(count) AS n FROM feed_polls WHERE consumer_id = ? GROUP BY status ORDER BY status`).bind(me.id).all()
    expect(polls.results).toEqual([{ status: 200, n: 2 }, { status: 403, n: 1 }])
    const audit = await moat.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'feed.auth_failure'`).first<{ n: number }>()
    expect(audit!.n).toBeGreaterThanOrEqual(2)
  })

  it('requires a token in token mode and keeps the old token valid after rotation', async () => {
    const set = await admin.patch('/api/v1/feed-catalogue/settings', { access: 'token' })
    expect(set.json.settings.access).toBe('token')
    try {
      expect((await feed('/feed/ip')).status).toBe(401)
      const created = await admin.post('/api/v1/feed-consumers', { name: 'CP gateway', allowedSources: ['127.0.0.0/8', '::1/128'] })
      const old = created.json.token
      expect((await feed(`/feed/ip?token=${old}`)).status).toBe(200)
      const rotated = await admin.post(`/api/v1/feed-consumers/${created.json.consumer.id}/rotate`)
      expect(rotated.json.token).not.toBe(old)
      expect((await feed(`/feed/ip?token=${old}`)).status).toBe(200)
      expect((await feed(`/feed/ip?token=${rotated.json.token}`)).status).toBe(200)
      await admin.patch(`/api/v1/feed-consumers/${created.json.consumer.id}`, { active: false })
      expect((await feed(`/feed/ip?token=${rotated.json.token}`)).status).toBe(401)
      expect((await ana.get('/api/v1/feed-consumers')).status).toBe(403)
      const bad = await admin.post('/api/v1/feed-consumers', { name: 'x', allowedSources: ['not-a-cidr'] })
      expect(bad.status).toBe(400)
      expect(bad.json.error.details.fields[0].field).toBe('allowedSources.0')
    } finally {
      await admin.patch('/api/v1/feed-catalogue/settings', { access: 'public' })
    }
  })

  it('lists every feed in the catalogue with its last published size', async () => {
    const res = await ana.get('/api/v1/feed-catalogue')
    expect(res.status).toBe(200)
    const pa = res.json.items.find((i: any) => i.path === '/feed/pa/ip')
    expect(pa.format).toBe('pa-ip')
    expect(pa.entries).toBe(3)
    expect(res.json.items.find((i: any) => i.path === '/feed/ipaddress')).toMatchObject({ deprecated: true, aliasOf: '/feed/ip' })
  })
})

describe('per-feed maximum', () => {
  it('serves at most the configured lines, says so, and the catalogue warns', async () => {
    const set = await admin.patch('/api/v1/feed-catalogue/settings', { limits: { '/feed/ip': 2 } })
    expect(set.status).toBe(200)
    try {
      const res = await feed('/feed/ip')
      expect(res.text).toBe('2a0e:1c80::1\n45.9.148.0/24\n')
      expect(res.headers.get('x-moat-over-limit')).toBe('3 entries > limit 2')
      await new Promise((r) => setTimeout(r, 100))
      const cat = await ana.get('/api/v1/feed-catalogue')
      expect(cat.json.items.find((i: any) => i.path === '/feed/ip')).toMatchObject({ limit: 2, overLimit: true, entries: 3 })
      const bad = await admin.patch('/api/v1/feed-catalogue/settings', { limits: { '/feed/nope': 5 } })
      expect(bad.status).toBe(400)
      expect(bad.json.error.details.fields[0].field).toBe('limits./feed/nope')
    } finally {
      await admin.patch('/api/v1/feed-catalogue/settings', { limits: {} })
    }
    expect((await feed('/feed/ip')).text).toBe('2a0e:1c80::1\n45.9.148.0/24\n45.9.148.12\n')
  })
})

describe('large feeds', () => {
  it('assembles big bodies in chunks, in order, and splits chunks that hit the database string limit', async () => {
    const user = await moat.db.prepare(`SELECT id FROM users WHERE username = 'ana'`).first<{ id: number }>()
    const now = new Date().toISOString()
    await moat.db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 44999)
         INSERT INTO iocs (type, value, ticket, created_by, created_at, updated_at, tags)
         SELECT 'sha256', printf('%064x', i * 7919 + 1), 'BULK', ?1, ?2, ?2, '[]' FROM seq`,
      )
      .bind(user!.id, now)
      .run()
    await moat.db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 1999)
         INSERT INTO iocs (type, value, ticket, created_by, created_at, updated_at, tags)
         SELECT 'url', printf('http://long-%04d.bad.xyz/%s', i, substr(hex(zeroblob(2500)), 1, 5000)), 'BULK', ?1, ?2, ?2, '[]' FROM seq`,
      )
      .bind(user!.id, now)
      .run()
    await moat.db.prepare('UPDATE generation SET value = value + 1 WHERE id = 1').run()
    // The generation is remembered for a second by the feed worker.
    await new Promise((r) => setTimeout(r, 1100))
    const hashes = await feed('/feed/sha256')
    const lines = hashes.text.trimEnd().split('\n')
    expect(lines.length).toBe(45_000)
    expect([...lines].sort()).toEqual(lines)
    expect(hashes.headers.get('x-moat-total')).toBe('45000')
    const slice = await feed('/feed/sha256?s=19999&n=3')
    expect(slice.text).toBe(lines.slice(19_999, 20_002).join('\n') + '\n')
    const urls = await feed('/feed/url')
    expect(urls.status).toBe(200)
    expect(urls.text.split('\n').filter((l) => l.startsWith('http://long-')).length).toBe(2000)
  }, 60_000)
})
