import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeMisp, type FakeMisp } from '../helpers/fake-misp'
import { freePort } from '../helpers/server'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

const KEY = 'Xq3mZ8rT0vLw5yB2nC7kD1fG4hJ6pS9aE0uI3oR8'

let moat: TestMoat
let misp: FakeMisp
let admin: Client

beforeAll(async () => {
  ;[moat, misp] = await Promise.all([startMoat(), startFakeMisp({ key: KEY, now: 1551000000 })])
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
})

afterAll(async () => {
  await moat?.close()
  await misp?.close()
})

describe('MISP settings', () => {
  it('starts disabled with verification on, email-dst left out and no key', async () => {
    const res = await admin.get('/api/v1/misp/settings')
    expect(res.status).toBe(200)
    const s = res.json.settings
    expect(s).toMatchObject({ enabled: false, url: '', verifyTls: true, toIds: true, published: true, warningPolicy: 'review', intervalMinutes: 60 })
    expect(s.apiKey).toEqual({ set: false, masked: null, updatedAt: null, updatedBy: null })
    expect(s.types).toContain('ip-dst')
    expect(s.types).toContain('filename|sha256')
    expect(s.types).not.toContain('email-dst')
    expect(res.json.state).toMatchObject({ cursor: null, running: false, lastSuccessAt: null, nextDueAt: null })
  })

  it('refuses bad values and names every field', async () => {
    const res = await admin.patch('/api/v1/misp/settings', {
      url: 'ftp://misp.example.org',
      intervalMinutes: 2,
      pageSize: 0,
      types: [],
      caPem: 'not a certificate',
      ttl: { ip: '2w', domain: '3m', url: '3m', email: '3m', hash: 'permanent' },
    })
    expect(res.status).toBe(400)
    const fields = res.json.error.details.fields.map((f: any) => f.field).sort()
    expect(fields).toEqual(['caPem', 'intervalMinutes', 'pageSize', 'ttl.ip', 'types', 'url'])
    const unknown = await admin.patch('/api/v1/misp/settings', { verify_ssl: false })
    expect(unknown.status).toBe(400)
    const creds = await admin.patch('/api/v1/misp/settings', { url: 'https://user:pw@misp.example.org' })
    expect(creds.json.error.details.fields[0]).toMatchObject({ field: 'url' })
  })

  it('will not enable without a URL and a key, naming the missing one', async () => {
    const noUrl = await admin.patch('/api/v1/misp/settings', { enabled: true })
    expect(noUrl.status).toBe(400)
    expect(noUrl.json.error.details.fields[0]).toMatchObject({ field: 'url', code: 'required' })
    const noKey = await admin.patch('/api/v1/misp/settings', { enabled: true, url: misp.url })
    expect(noKey.status).toBe(400)
    expect(noKey.json.error.details.fields[0]).toMatchObject({ field: 'apiKey', code: 'required' })
    const clash = await admin.patch('/api/v1/misp/settings', { tagsInclude: ['tlp:white'], tagsExclude: ['TLP:WHITE'] })
    expect(clash.json.error.details.fields[0]).toMatchObject({ field: 'tagsExclude', code: 'conflict' })
  })

  it('stores the key encrypted, shows only its last four characters and never returns or audits it', async () => {
    const res = await admin.patch('/api/v1/misp/settings', { url: `${misp.url}/`, apiKey: KEY, enabled: true, intervalMinutes: 30 })
    expect(res.status).toBe(200)
    expect(res.text).not.toContain(KEY)
    expect(res.json.settings).toMatchObject({ url: misp.url, enabled: true, intervalMinutes: 30 })
    expect(res.json.settings.apiKey).toMatchObject({ set: true, masked: `••••${KEY.slice(-4)}`, updatedBy: 'admin' })
    expect(res.json.state.nextDueAt).not.toBeNull()
    const rows = await moat.db.prepare(`SELECT key, value FROM settings WHERE key LIKE 'misp.%'`).all<{ key: string; value: string }>()
    expect(rows.results.map((r) => r.key).sort()).toEqual(['misp.apiKey', 'misp.config'])
    for (const r of rows.results) expect(r.value).not.toContain(KEY)
    const audit = await moat.db.prepare(`SELECT details FROM audit_log WHERE action = 'settings.change' AND target = 'misp' ORDER BY id DESC LIMIT 1`).first<{ details: string }>()
    expect(JSON.parse(audit!.details)).toMatchObject({ apiKey: 'set', url: misp.url, enabled: true })
    expect(audit!.details).not.toContain(KEY)
    expect((await admin.get('/api/v1/misp/settings')).text).not.toContain(KEY)
  })

  it('is for administrators only', async () => {
    await moat.addUser('ana', 'analyst')
    const analyst = new Client(moat.base)
    await analyst.login('ana', moat.password)
    expect((await analyst.get('/api/v1/misp/settings')).status).toBe(403)
    expect((await analyst.post('/api/v1/misp/pull', {})).status).toBe(403)
    expect((await analyst.post('/api/v1/misp/test', {})).status).toBe(403)
    expect((await new Client(moat.base).get('/api/v1/misp/runs')).status).toBe(401)
  })
})

describe('MISP connection test', () => {
  it('reaches /servers/getVersion with the key in Authorization (no Bearer) and JSON Accept', async () => {
    const before = misp.requests.length
    const res = await admin.post('/api/v1/misp/test', {})
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ ok: true, version: '2.4.190', url: misp.url })
    const [req] = misp.requests.slice(before)
    expect(req).toMatchObject({ method: 'GET', path: '/servers/getVersion' })
    expect(req.headers.authorization).toBe(KEY)
    expect(req.headers.accept).toBe('application/json')
    expect(req.headers['user-agent']).toMatch(/^Moat\//)
    const audit = await moat.db.prepare(`SELECT outcome, details FROM audit_log WHERE action = 'misp.test' ORDER BY id DESC LIMIT 1`).first<any>()
    expect(audit.outcome).toBe('success')
  })

  it('reports a refused key as auth, with MISP\'s words and without the key', async () => {
    const wrong = 'WRONGkey-0000000000000000000000000000000000'
    const res = await admin.post('/api/v1/misp/test', { apiKey: wrong })
    expect(res.status).toBe(502)
    expect(res.json.error).toMatchObject({ code: 'misp_test_failed', details: { reason: 'auth', status: 403 } })
    expect(res.json.error.message).toContain('Authentication failed')
    expect(res.text).not.toContain(wrong)
    const audit = await moat.db.prepare(`SELECT outcome, details FROM audit_log WHERE action = 'misp.test' ORDER BY id DESC LIMIT 1`).first<any>()
    expect(audit.outcome).toBe('failure')
    expect(audit.details).not.toContain(wrong)
  })

  it('tells a closed port and an unknown path apart', async () => {
    const closed = await admin.post('/api/v1/misp/test', { url: `http://127.0.0.1:${await freePort()}` })
    expect(closed.status).toBe(502)
    expect(closed.json.error.details.reason).toBe('connect')
    const notMisp = await admin.post('/api/v1/misp/test', { url: `${misp.url}/not-misp` })
    expect(notMisp.json.error.details).toMatchObject({ reason: 'http', status: 404 })
    expect(notMisp.json.error.message).toMatch(/^MISP answered 404/)
  })

  it('gives up on a server that does not answer within the timeout', async () => {
    const net = await import('node:net')
    // Accepts the connection and never says a word.
    const silent = net.createServer(() => undefined)
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    try {
      const res = await admin.post('/api/v1/misp/test', { url: `http://127.0.0.1:${port}`, timeoutSeconds: 1 })
      expect(res.status).toBe(502)
      expect(res.json.error.details.reason).toBe('timeout')
      expect(res.json.error.message).toMatch(/within 1 s/)
    } finally {
      silent.close()
    }
  })
})
