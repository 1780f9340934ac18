import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

// General defaults of the Settings screen: validated per field, admin only, audited, and used by
// the next submission.

let moat: TestMoat
let admin: Client

beforeAll(async () => {
  moat = await startMoat()
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
  await moat.addUser('ana', 'analyst')
})

afterAll(async () => {
  await moat?.close()
})

describe('general defaults', () => {
  it('start at the built-in defaults', async () => {
    const res = await admin.get('/api/v1/settings/defaults')
    expect(res.status).toBe(200)
    expect(res.json.settings).toEqual({ defaultTtl: '3m', ttlByType: {}, sanityMode: 'block_non_admin', defaultConfidence: 70, defaultSeverity: 'medium', timezone: 'UTC' })
  })

  it('refuse bad values and name every field', async () => {
    const res = await admin.patch('/api/v1/settings/defaults', { defaultTtl: '2w', defaultConfidence: 101, defaultSeverity: 'huge', timezone: 'Mars/Olympus' })
    expect(res.status).toBe(400)
    expect(res.json.error.details.fields.map((f: any) => f.field).sort()).toEqual(['defaultConfidence', 'defaultSeverity', 'defaultTtl', 'timezone'])
    expect((await admin.patch('/api/v1/settings/defaults', { ttl: '1w' })).status).toBe(400)
  })

  it('are admin-only', async () => {
    const ana = new Client(moat.base, '198.51.100.7')
    await ana.login('ana', moat.password)
    expect((await ana.get('/api/v1/settings/defaults')).status).toBe(403)
    expect((await ana.patch('/api/v1/settings/defaults', { defaultTtl: '1w' })).status).toBe(403)
  })

  it('change, audit old and new values, and apply to the next submission', async () => {
    const res = await admin.patch('/api/v1/settings/defaults', { defaultTtl: 'permanent', defaultConfidence: 40, defaultSeverity: 'high', timezone: 'Asia/Jerusalem' })
    expect(res.status).toBe(200)
    expect(res.json.settings).toEqual({ defaultTtl: 'permanent', ttlByType: {}, sanityMode: 'block_non_admin', defaultConfidence: 40, defaultSeverity: 'high', timezone: 'Asia/Jerusalem' })
    const audit = await moat.db.prepare(`SELECT details FROM audit_log WHERE action = 'settings.change' AND target = 'defaults' ORDER BY id DESC LIMIT 1`).first<{ details: string }>()
    expect(JSON.parse(audit!.details)).toMatchObject({ defaultTtl: { from: '3m', to: 'permanent' }, defaultConfidence: { from: 70, to: 40 } })
    const ioc = await admin.post('/api/v1/iocs', { value: 'defaults-check.evil-example.xyz' })
    expect(ioc.status).toBe(201)
    expect(ioc.json.ioc).toMatchObject({ expiresAt: null, confidence: 40, severity: 'high' })
    // Unchanged values write nothing new.
    const before = await moat.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'settings.change'`).first<number>('n')
    await admin.patch('/api/v1/settings/defaults', { defaultTtl: 'permanent' })
    expect(await moat.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'settings.change'`).first<number>('n')).toBe(before)
  })
})
