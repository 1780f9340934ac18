import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fireScheduled } from '../../bin/scheduler'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

const MMDB_DIR = 'node_modules/@ip-location-db/geo-whois-asn-country-mmdb'

let moat: TestMoat
let admin: Client
let ana: Client
let viewer: Client
let anaId: number

const job = async (name: string, at = new Date()) => fireScheduled((await moat.rt.mf.getWorker()) as never, `job:${name}`, at)
const one = async <T>(q: string, ...args: unknown[]) => (await moat.db.prepare(q).bind(...args).first<T>())!
const submit = (c: Client, value: string, extra: Record<string, unknown> = {}) => c.post('/api/v1/iocs', { value, confirm: true, ...extra })

beforeAll(async () => {
  moat = await startMoat()
  // These tests are about GeoIP / reports / the graph and use real resolver addresses (known countries): critical
  // sanity hits stay confirmable by analysts here (iocs.sanityMode = warn_all; the modes are tested in ioc-policy.test.ts).
  await moat.db.prepare(`INSERT INTO settings (key, value) VALUES ('iocs.sanityMode', '"warn_all"')`).run()
  await moat.addUser('boss', 'admin')
  anaId = await moat.addUser('ana', 'analyst')
  await moat.addUser('val', 'viewer')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  viewer = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await viewer.login('val', moat.password)
})
afterAll(() => moat.close())

describe('GeoIP at write time', () => {
  it('stores the country of a single ip IOC with the row, and none for a private address', async () => {
    expect((await submit(ana, '8.8.8.8')).status).toBe(201)
    expect((await submit(ana, '193.0.0.1')).status).toBe(201)
    expect((await submit(ana, '10.1.2.3')).status).toBe(201)
    expect((await submit(ana, 'evil.example.com')).status).toBe(201)
    const rows = await moat.db.prepare(`SELECT value, country FROM iocs WHERE type IN ('ip', 'domain') ORDER BY id`).all()
    expect(rows.results).toEqual([
      { value: '8.8.8.8', country: 'US' },
      { value: '193.0.0.1', country: 'NL' },
      { value: '10.1.2.3', country: '' },
      { value: 'evil.example.com', country: null },
    ])
  })

  it('fills countries of a bulk import right after its commit', async () => {
    const staged = await ana.post('/api/v1/imports', { text: '1.1.1.1\n2001:4860:4860::8888\nbad-host.evil-corp.org\n', format: 'txt' })
    expect(staged.status).toBe(201)
    // Public resolvers are warning rows: the analyst selects them knowingly.
    expect((await ana.post(`/api/v1/imports/${staged.json.id}/select`, { statuses: ['warning'], selected: true })).status).toBe(200)
    const commit = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, {})
    expect(commit.status).toBe(200)
    expect(commit.json.created).toBe(3)
    const rows = await moat.db.prepare(`SELECT value, country FROM iocs WHERE import_batch_id = ? ORDER BY value`).bind(staged.json.id).all()
    expect(rows.results).toEqual([
      { value: '1.1.1.1', country: 'AU' },
      { value: '2001:4860:4860::8888', country: 'US' },
      { value: 'bad-host.evil-corp.org', country: null },
    ])
  })

  it('lets the geoip job fill rows written without a lookup', async () => {
    await moat.db
      .prepare(`INSERT INTO iocs (type, value, ip_start, ip_end, ticket, created_by) VALUES ('ip', '9.9.9.9', '00000000000000000000ffff09090909', '00000000000000000000ffff09090909', 'T-1', ?)`)
      .bind(anaId)
      .run()
    await job('geoip')
    expect(await one<{ country: string }>(`SELECT country FROM iocs WHERE value = '9.9.9.9'`)).toEqual({ country: 'US' })
  })
})

describe('GeoIP database administration', () => {
  it('reports the bundled database with its attribution', async () => {
    const res = await viewer.get('/api/v1/geoip')
    expect(res.status).toBe(200)
    expect(res.json.database).toMatchObject({ source: 'bundled', ipVersion: 6 })
    expect(res.json.attribution).toMatch(/CC BY 4\.0/)
    expect(res.json.pendingLookups).toBe(0)
  })

  it('refuses a file that is not a country database, naming the field', async () => {
    const form = new FormData()
    form.append('file', new File(['not an mmdb at all'], 'x.mmdb'))
    const res = await admin.post('/api/v1/geoip', form)
    expect(res.status).toBe(422)
    expect(res.json.error.details.fields[0]).toMatchObject({ field: 'file', code: 'invalid_mmdb' })
    const none = await admin.post('/api/v1/geoip', new FormData())
    expect(none.status).toBe(400)
    expect(none.json.error.details.fields[0].field).toBe('file')
  })

  it('lets only admins replace it', async () => {
    // The role is checked before the body is read (a small body keeps the connection alive).
    const form = new FormData()
    form.append('file', new File(['not read'], 'v4.mmdb'))
    expect((await ana.post('/api/v1/geoip', form)).status).toBe(403)
    expect((await ana.del('/api/v1/geoip')).status).toBe(403)
  })

  it('replaces the database without a rebuild, looks every ip IOC up again, and goes back to the bundled one', async () => {
    const form = new FormData()
    form.append('file', new File([readFileSync(`${MMDB_DIR}/geo-whois-asn-country-ipv4.mmdb`)], 'GeoLite-like.mmdb'))
    const res = await admin.post('/api/v1/geoip', form)
    expect(res.status).toBe(201)
    expect(res.json.database).toMatchObject({ source: 'custom', ipVersion: 4 })
    expect(res.json.attribution).toBeNull()
    expect(res.json.relookup).toBe(6)
    expect(res.json.pendingLookups).toBe(6)
    await job('geoip')
    expect((await admin.get('/api/v1/geoip')).json.pendingLookups).toBe(0)
    const rows = await moat.db.prepare(`SELECT value, country FROM iocs WHERE type = 'ip' ORDER BY value`).all()
    expect(rows.results).toEqual([
      { value: '1.1.1.1', country: 'AU' },
      { value: '10.1.2.3', country: '' },
      { value: '193.0.0.1', country: 'NL' },
      { value: '2001:4860:4860::8888', country: 'US' },
      { value: '8.8.8.8', country: 'US' },
      { value: '9.9.9.9', country: 'US' },
    ])
    const back = await admin.del('/api/v1/geoip')
    expect(back.status).toBe(200)
    expect(back.json.database.source).toBe('bundled')
    expect(back.json.pendingLookups).toBe(6)
    await job('geoip')
    expect(await one(`SELECT count(*) AS n FROM iocs WHERE type = 'ip' AND country IS NULL`)).toEqual({ n: 0 })
  })
})

describe('Live Stats', () => {
  it('counts active IOCs per type and ranks countries, TLDs and email domains', async () => {
    await submit(ana, 'phish@bad-mail.net')
    await submit(ana, 'ops@bad-mail.net')
    await submit(ana, 'x@other.org')
    await submit(ana, 'http://dl.evil.com/a.exe')
    const res = await viewer.get('/api/v1/stats/live')
    expect(res.status).toBe(200)
    expect(res.json.byType).toEqual({ ip: 6, domain: 2, url: 1, email: 3, md5: 0, sha1: 0, sha256: 0 })
    expect(res.json.total).toBe(12)
    expect(res.json.topCountries).toEqual([
      { key: 'US', n: 3 },
      { key: 'AU', n: 1 },
      { key: 'NL', n: 1 },
    ])
    expect(res.json.topTlds).toEqual([
      { key: 'com', n: 2 },
      { key: 'org', n: 1 },
    ])
    expect(res.json.topEmailDomains).toEqual([
      { key: 'bad-mail.net', n: 2 },
      { key: 'other.org', n: 1 },
    ])
    expect(res.json.latest).toHaveLength(12)
    expect(res.json.latest[0]).toMatchObject({ type: 'url', value: 'http://dl.evil.com/a.exe', username: 'ana' })
  })

  it('leaves deleted, excluded and allowlisted IOCs out at once, and expired ones before the sweep runs', async () => {
    const id = async (v: string) => (await one<{ id: number }>(`SELECT id FROM iocs WHERE value = ? AND deleted_at IS NULL`, v)).id
    expect((await ana.del(`/api/v1/iocs/${await id('x@other.org')}`)).status).toBe(204)
    expect((await ana.post(`/api/v1/iocs/${await id('193.0.0.1')}/exclude`, { reason: 'false positive' })).status).toBe(200)
    expect((await admin.post('/api/v1/allowlist', { kind: 'exact', value: '1.1.1.1', reason: 'resolver' })).status).toBe(201)
    // Expired a minute ago; the sweep has not logged it yet.
    await moat.db.prepare(`UPDATE iocs SET expires_at = ? WHERE value = 'ops@bad-mail.net'`).bind(new Date(Date.now() - 60_000).toISOString()).run()
    const before = (await viewer.get('/api/v1/stats/live')).json
    expect(before.byType).toMatchObject({ ip: 4, email: 1 })
    expect(before.topCountries).toEqual([{ key: 'US', n: 3 }])
    expect(before.topEmailDomains).toEqual([{ key: 'bad-mail.net', n: 1 }])
    await job('expire')
    const after = (await viewer.get('/api/v1/stats/live')).json
    expect(after.byType).toEqual(before.byType)
    expect(after.topEmailDomains).toEqual(before.topEmailDomains)
    // The roll-up agrees with a full count of served IOCs.
    const full = await moat.db
      .prepare(`SELECT type, count(*) AS n FROM iocs WHERE deleted_at IS NULL AND excluded_at IS NULL AND allowlisted_by IS NULL AND (expires_at IS NULL OR expires_at > ?) GROUP BY type`)
      .bind(new Date().toISOString())
      .all<{ type: string; n: number }>()
    for (const r of full.results) expect(after.byType[r.type]).toBe(r.n)
  })

  it('needs a session', async () => {
    expect((await new Client(moat.base).get('/api/v1/stats/live')).status).toBe(401)
  })
})
