import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeMisp, type FakeMisp } from '../helpers/fake-misp'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'
import { makeTestPki, type TestPki } from '../helpers/test-ca'

// A self-signed MISP, end to end: the worker asks the launcher, which checks the certificate
// against the CA the admin pasted (workerd's own fetch could not).

const KEY = 'Tls0Key1For2A3Self4Signed5Misp6Server7xyz'
let moat: TestMoat
let misp: FakeMisp
let admin: Client
let pki: TestPki

beforeAll(async () => {
  pki = makeTestPki()
  ;[moat, misp] = await Promise.all([startMoat(), startFakeMisp({ key: KEY, now: 1551000000, tls: { key: pki.key, cert: pki.cert } })])
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
  expect((await admin.patch('/api/v1/misp/settings', { url: misp.url, apiKey: KEY, pageSize: 100 })).status).toBe(200)
})

afterAll(async () => {
  await moat?.close()
  await misp?.close()
})

describe('MISP behind a private CA', () => {
  it('fails verification until the CA is given, and says it is a TLS problem', async () => {
    const res = await admin.post('/api/v1/misp/test', {})
    expect(res.status).toBe(502)
    expect(res.json.error.details.reason).toBe('tls')
    expect(res.json.error.message).toMatch(/certificate/i)
    const pull = await admin.post('/api/v1/misp/pull', {})
    expect(pull.status).toBe(502)
    expect(pull.json.error.details.code).toBe('tls')
  })

  it('tests an unsaved CA from the form, then pulls with the saved one', async () => {
    const tested = await admin.post('/api/v1/misp/test', { caPem: pki.caPem })
    expect(tested.status, tested.text).toBe(200)
    expect(tested.json.version).toBe('2.4.190')
    const wrong = await admin.post('/api/v1/misp/test', { caPem: pki.otherCaPem })
    expect(wrong.json.error.details.reason).toBe('tls')
    const saved = await admin.patch('/api/v1/misp/settings', { caPem: pki.caPem })
    expect(saved.json.settings.caPem).toBe(pki.caPem)
    const pull = await admin.post('/api/v1/misp/pull', {})
    expect(pull.status, pull.text).toBe(200)
    expect(pull.json.run.result.created).toBeGreaterThan(100)
  })

  it('connects with verification off (and the CA is then not needed)', async () => {
    expect((await admin.patch('/api/v1/misp/settings', { caPem: '', verifyTls: false })).status).toBe(200)
    const res = await admin.post('/api/v1/misp/test', {})
    expect(res.status).toBe(200)
    const audit = await moat.db.prepare(`SELECT details FROM audit_log WHERE action = 'misp.test' ORDER BY id DESC LIMIT 1`).first<{ details: string }>()
    expect(JSON.parse(audit!.details)).toMatchObject({ verifyTls: false, customCa: false })
  })
})
