import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// Issue 9: the default lifetime per IOC type and the sanity mode for critical hits, on every
// write path: single submit (cookie and API token), bulk import commit, and the settings that
// drive them. The MISP pull's side is in misp-pull.test.ts.

let moat: TestMoat
let admin: Client
let ana: Client
let viewer: Client

const DAY = 86_400_000
const daysFromNow = (iso: string | null) => (iso === null ? null : Math.round((Date.parse(iso) - Date.now()) / DAY))
const expiryOf = async (value: string) =>
  (await moat.db.prepare(`SELECT expires_at FROM iocs WHERE value = ? AND deleted_at IS NULL`).bind(value).first<{ expires_at: string | null }>())?.expires_at
const exists = async (value: string) => Boolean(await moat.db.prepare(`SELECT 1 AS x FROM iocs WHERE value = ? AND deleted_at IS NULL`).bind(value).first())
const setDefaults = async (body: Record<string, unknown>) => {
  const res = await admin.patch('/api/v1/settings/defaults', body)
  expect(res.status, res.text).toBe(200)
  return res.json.settings
}

/** A bare HTTP client that authenticates with a bearer token only. */
function bearer(secret: string) {
  const c = new Client(moat.base, '198.51.100.9')
  return { post: (p: string, body?: unknown) => c.post(p, body, { authorization: `Bearer ${secret}` }) }
}

async function stage(c: Client, text: string) {
  const res = await c.post('/api/v1/imports', { text, format: 'txt' })
  expect(res.status, res.text).toBe(201)
  const rows = await c.get(`/api/v1/imports/${res.json.id}/rows?limit=100`)
  expect(rows.status, rows.text).toBe(200)
  const byValue = Object.fromEntries(rows.json.items.map((r: any) => [r.value ?? r.raw, r]))
  return { id: res.json.id as number, counts: res.json.counts, byValue }
}

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  await moat.addUser('val', 'viewer')
  ;[admin, ana, viewer] = [new Client(moat.base), new Client(moat.base, '198.51.100.20'), new Client(moat.base, '198.51.100.21')]
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await viewer.login('val', moat.password)
})
afterAll(() => moat?.close())

describe('settings', () => {
  it('start with no per-type lifetimes and block_non_admin, as the spec says', async () => {
    const res = await admin.get('/api/v1/settings/defaults')
    expect(res.status).toBe(200)
    expect(res.json.settings).toMatchObject({ defaultTtl: '3m', ttlByType: {}, sanityMode: 'block_non_admin' })
  })

  it('refuse an unknown type, a bad lifetime and a bad mode, naming each field', async () => {
    const res = await admin.patch('/api/v1/settings/defaults', { ttlByType: { ip: '2w', md5: '1m', domain: '1y', hash: 7 }, sanityMode: 'block_some' })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('validation_failed')
    const fields = Object.fromEntries(res.json.error.details.fields.map((f: any) => [f.field, f.reason]))
    expect(Object.keys(fields).sort()).toEqual(['sanityMode', 'ttlByType.hash', 'ttlByType.ip', 'ttlByType.md5'])
    expect(fields['ttlByType.ip']).toMatch(/1w, 1m, 3m, 1y, permanent/)
    expect(fields['ttlByType.md5']).toMatch(/not an IOC type \(expected ip, domain, url, email, hash\)/)
    expect(fields.sanityMode).toMatch(/block_all, block_non_admin, warn_all/)
    expect((await admin.patch('/api/v1/settings/defaults', { ttlByType: ['1w'] })).json.error.details.fields[0].field).toBe('ttlByType')
    // Nothing of a refused change was stored.
    expect((await admin.get('/api/v1/settings/defaults')).json.settings).toMatchObject({ ttlByType: {}, sanityMode: 'block_non_admin' })
  })

  it('are changed by admins only and audited; every signed-in user reads what a submission gets', async () => {
    expect((await ana.patch('/api/v1/settings/defaults', { sanityMode: 'warn_all' })).status).toBe(403)
    const saved = await setDefaults({ ttlByType: { ip: '1w', hash: 'permanent', url: '1m' } })
    expect(saved.ttlByType).toEqual({ ip: '1w', url: '1m', hash: 'permanent' })
    const audit = await moat.db.prepare(`SELECT details FROM audit_log WHERE action = 'settings.change' ORDER BY id DESC LIMIT 1`).first<{ details: string }>()
    expect(JSON.parse(audit!.details)).toMatchObject({ fields: ['ttlByType'], ttlByType: { from: {}, to: { ip: '1w', hash: 'permanent', url: '1m' } } })
    for (const c of [ana, viewer]) {
      const res = await c.get('/api/v1/settings/submission')
      expect(res.status).toBe(200)
      expect(res.json.settings).toEqual({ defaultTtl: '3m', ttlByType: { ip: '1w', url: '1m', hash: 'permanent' }, sanityMode: 'block_non_admin', defaultConfidence: 70, defaultSeverity: 'medium' })
    }
    expect((await new Client(moat.base).get('/api/v1/settings/submission')).status).toBe(401)
  })
})

describe('default lifetime per type', () => {
  it('applies to a single submission of each type, and an explicit lifetime wins', async () => {
    for (const value of ['45.9.148.77', 'ttl-domain.evil-example.xyz', 'http://ttl-url.evil-example.xyz/a', 'x@ttl.evil-example.xyz', 'aa'.repeat(16), 'bb'.repeat(32)]) {
      expect((await ana.post('/api/v1/iocs', { value })).status).toBe(201)
    }
    expect(daysFromNow((await expiryOf('45.9.148.77'))!)).toBe(7)
    expect(daysFromNow((await expiryOf('ttl-domain.evil-example.xyz'))!)).toBeGreaterThanOrEqual(89)
    expect(daysFromNow((await expiryOf('ttl-domain.evil-example.xyz'))!)).toBeLessThanOrEqual(92)
    expect(daysFromNow((await expiryOf('http://ttl-url.evil-example.xyz/a'))!)).toBeLessThanOrEqual(31)
    expect(daysFromNow((await expiryOf('x@ttl.evil-example.xyz'))!)).toBeGreaterThanOrEqual(89)
    // `hash` covers MD5 and SHA-256 alike.
    expect(await expiryOf('aa'.repeat(16))).toBeNull()
    expect(await expiryOf('bb'.repeat(32))).toBeNull()
    expect((await ana.post('/api/v1/iocs', { value: '45.9.148.78', ttl: '1y' })).status).toBe(201)
    expect(daysFromNow((await expiryOf('45.9.148.78'))!)).toBeGreaterThanOrEqual(364)
    expect((await ana.post('/api/v1/iocs', { value: 'cc'.repeat(20), ttl: '1w' })).status).toBe(201)
    expect(daysFromNow((await expiryOf('cc'.repeat(20)))!)).toBe(7)
  })

  it('applies to API token submissions', async () => {
    const made = await ana.post('/api/v1/tokens', { name: 'SOAR', scopes: ['write'] })
    expect(made.status, made.text).toBe(201)
    const api = bearer(made.json.secret)
    const res = await api.post('/api/v1/iocs', { value: '45.9.148.79' })
    expect(res.status, res.text).toBe(201)
    expect(res.json.ioc.source).toBe('api')
    expect(daysFromNow(res.json.ioc.expiresAt)).toBe(7)
  })

  it('extending a duplicate uses the type default', async () => {
    await moat.db.prepare(`UPDATE iocs SET expires_at = ? WHERE value = '45.9.148.77'`).bind(new Date(Date.now() + DAY).toISOString()).run()
    const res = await ana.post('/api/v1/iocs', { value: '45.9.148.77', onDuplicate: 'extend' })
    expect(res.status, res.text).toBe(200)
    expect(daysFromNow(res.json.ioc.expiresAt)).toBe(7)
  })

  it('applies in a bulk import commit, per row type; a row or batch lifetime wins', async () => {
    const text = ['45.9.148.80', 'bulk-ttl.evil-example.xyz', 'dd'.repeat(32), 'http://bulk-ttl.evil-example.xyz/p'].join('\n')
    const a = await stage(ana, text)
    const done = await ana.post(`/api/v1/imports/${a.id}/commit`, {})
    expect(done.status, done.text).toBe(200)
    expect(done.json.created).toBe(4)
    expect(daysFromNow((await expiryOf('45.9.148.80'))!)).toBe(7)
    expect(daysFromNow((await expiryOf('bulk-ttl.evil-example.xyz'))!)).toBeGreaterThanOrEqual(89)
    expect(await expiryOf('dd'.repeat(32))).toBeNull()
    expect(daysFromNow((await expiryOf('http://bulk-ttl.evil-example.xyz/p'))!)).toBeLessThanOrEqual(31)
    // A lifetime chosen for the batch beats every type default; a row's own `# ttl:` beats the batch.
    const b = await stage(ana, ['45.9.148.81', 'ee'.repeat(32)].join('\n'))
    expect((await ana.post(`/api/v1/imports/${b.id}/commit`, { ttl: '1y' })).json.created).toBe(2)
    expect(daysFromNow((await expiryOf('45.9.148.81'))!)).toBeGreaterThanOrEqual(364)
    expect(daysFromNow((await expiryOf('ee'.repeat(32)))!)).toBeGreaterThanOrEqual(364)
    const c = await stage(ana, ['45.9.148.82', '# ttl: 1m', '45.9.148.83'].join('\n'))
    expect((await ana.post(`/api/v1/imports/${c.id}/commit`, {})).json.created).toBe(2)
    expect(daysFromNow((await expiryOf('45.9.148.82'))!)).toBe(7)
    expect(daysFromNow((await expiryOf('45.9.148.83'))!)).toBeGreaterThanOrEqual(28)
  })

  it('a type without an override follows defaultTtl', async () => {
    await setDefaults({ defaultTtl: '1y', ttlByType: { ip: '1w' } })
    expect((await ana.post('/api/v1/iocs', { value: 'later.evil-example.xyz' })).status).toBe(201)
    expect(daysFromNow((await expiryOf('later.evil-example.xyz'))!)).toBeGreaterThanOrEqual(364)
    expect((await ana.post('/api/v1/iocs', { value: '45.9.148.84' })).status).toBe(201)
    expect(daysFromNow((await expiryOf('45.9.148.84'))!)).toBe(7)
    await setDefaults({ defaultTtl: '3m', ttlByType: {} })
  })
})

describe('sanity mode for critical hits', () => {
  it('block_non_admin: an analyst is refused with the check named, not asked to confirm', async () => {
    const res = await ana.post('/api/v1/iocs', { value: '8.8.8.8', confirm: true })
    expect(res.status).toBe(422)
    expect(res.json.error.code).toBe('critical_blocked')
    expect(res.json.error.details.fields).toEqual([{ field: 'value', reason: expect.stringMatching(/public DNS resolver.*only an admin may confirm it/), code: 'critical_blocked' }])
    expect(res.json.error.details.check).toBe('public_resolver')
    for (const [value, check] of [['co.uk', 'public_suffix'], ['0.0.0.0', 'unspecified_ip'], ['127.0.0.1', 'loopback_ip'], ['255.255.255.255', 'broadcast_ip'], ['d41d8cd98f00b204e9800998ecf8427e', 'empty_file_hash'], ['8.0.0.0/8', 'public_resolver']]) {
      const r = await ana.post('/api/v1/iocs', { value, confirm: true })
      expect([r.status, r.json.error?.details?.check], value).toEqual([422, check])
    }
    expect(await exists('8.8.8.8')).toBe(false)
    // Ordinary warnings stay confirmable by analysts.
    expect((await ana.post('/api/v1/iocs', { value: '10.77.1.2' })).json.error.code).toBe('confirmation_required')
    expect((await ana.post('/api/v1/iocs', { value: '10.77.1.2', confirm: true })).status).toBe(201)
  })

  it('block_non_admin: an analyst API token is refused too; an admin confirms', async () => {
    const made = await ana.post('/api/v1/tokens', { name: 'SOAR 2', scopes: ['write'] })
    const res = await bearer(made.json.secret).post('/api/v1/iocs', { value: '1.1.1.1', confirm: true })
    expect([res.status, res.json.error.code]).toEqual([422, 'critical_blocked'])
    const ask = await admin.post('/api/v1/iocs', { value: '1.1.1.1' })
    expect([ask.status, ask.json.error.code]).toEqual([422, 'confirmation_required'])
    expect(ask.json.error.details.warnings.map((w: any) => w.code)).toContain('public_resolver')
    expect(ask.json.error.details.critical).toEqual(['public_resolver'])
    expect((await admin.post('/api/v1/iocs', { value: '1.1.1.1', confirm: true })).status).toBe(201)
    // Even a duplicate is refused to an analyst first: no extending an admin's critical IOC.
    expect((await ana.post('/api/v1/iocs', { value: '1.1.1.1', onDuplicate: 'extend' })).json.error.code).toBe('critical_blocked')
  })

  it('block_non_admin: staged rows are blocked errors an analyst cannot select or commit', async () => {
    const s = await stage(ana, ['9.9.9.9', 'gov.il', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '10.66.1.1', 'staged.evil-example.xyz'].join('\n'))
    expect(s.counts).toMatchObject({ invalid: 3, warning: 1, new: 1 })
    expect(s.byValue['9.9.9.9']).toMatchObject({ status: 'invalid', selected: false, error: { code: 'critical_blocked', field: 'value', part: 'public_resolver' } })
    expect(s.byValue['gov.il'].error).toMatchObject({ code: 'critical_blocked', part: 'public_suffix' })
    expect(s.byValue['9.9.9.9'].error.message).toMatch(/^value: 9\.9\.9\.9 is a public DNS resolver/)
    const idx = s.byValue['9.9.9.9'].idx
    const pick = await ana.patch(`/api/v1/imports/${s.id}/rows/${idx}`, { selected: true })
    expect([pick.status, pick.json.error.code]).toEqual([422, 'not_selectable'])
    expect((await ana.post(`/api/v1/imports/${s.id}/select`, { statuses: ['warning'], selected: true })).status).toBe(200)
    const done = await ana.post(`/api/v1/imports/${s.id}/commit`, {})
    expect(done.json.created).toBe(2)
    expect(await exists('9.9.9.9')).toBe(false)
    expect(await exists('gov.il')).toBe(false)
    expect(await exists('10.66.1.1')).toBe(true)
  })

  it('an edited row is checked again: editing a value into a critical one blocks it', async () => {
    const s = await stage(ana, 'edit-me.evil-example.xyz')
    const row = s.byValue['edit-me.evil-example.xyz']
    const res = await ana.patch(`/api/v1/imports/${s.id}/rows/${row.idx}`, { value: '149.112.112.112' })
    expect(res.status, res.text).toBe(200)
    expect(res.json.row ?? res.json).toMatchObject({ status: 'invalid', error: { code: 'critical_blocked', part: 'public_resolver' } })
    await ana.del(`/api/v1/imports/${s.id}`)
  })

  it('block_non_admin: an admin stages critical rows as warnings and may commit them', async () => {
    const s = await stage(admin, ['9.9.9.10', 'admin-staged.evil-example.xyz'].join('\n'))
    expect(s.byValue['9.9.9.10']).toMatchObject({ status: 'warning', error: null })
    expect((await admin.post(`/api/v1/imports/${s.id}/select`, { statuses: ['warning'], selected: true })).status).toBe(200)
    expect((await admin.post(`/api/v1/imports/${s.id}/commit`, {})).json.created).toBe(2)
    expect(await exists('9.9.9.10')).toBe(true)
  })

  it('block_all: nobody may confirm, and a batch staged before the change is blocked at commit', async () => {
    const s = await stage(admin, ['208.67.222.222', 'before-block-all.evil-example.xyz'].join('\n'))
    expect((await admin.post(`/api/v1/imports/${s.id}/select`, { statuses: ['warning'], selected: true })).json.counts.selected).toBe(2)
    await setDefaults({ sanityMode: 'block_all' })
    const res = await admin.post('/api/v1/iocs', { value: '208.67.220.220', confirm: true })
    expect([res.status, res.json.error.code]).toEqual([422, 'critical_blocked'])
    expect(res.json.error.details.fields[0].reason).toMatch(/nobody may confirm it/)
    const done = await admin.post(`/api/v1/imports/${s.id}/commit`, {})
    expect(done.status, done.text).toBe(200)
    expect(done.json.created).toBe(1)
    expect(done.json.counts.invalid).toBe(1)
    expect(await exists('208.67.222.222')).toBe(false)
    const blocked = await admin.get(`/api/v1/imports/${s.id}/rows?status=invalid`)
    expect(blocked.json.items[0].error).toMatchObject({ code: 'critical_blocked', field: 'value', part: 'public_resolver', message: expect.stringMatching(/nobody may confirm it/) })
    // An admin's staging is blocked as well.
    const again = await stage(admin, '208.67.220.220')
    expect(again.byValue['208.67.220.220']).toMatchObject({ status: 'invalid', error: { code: 'critical_blocked' } })
  })

  it('warn_all: critical hits are ordinary warnings an analyst may confirm, on every path', async () => {
    await setDefaults({ sanityMode: 'warn_all' })
    const ask = await ana.post('/api/v1/iocs', { value: '8.8.4.4' })
    expect(ask.json.error.code).toBe('confirmation_required')
    expect(ask.json.error.details.critical).toBeUndefined()
    expect((await ana.post('/api/v1/iocs', { value: '8.8.4.4', confirm: true })).status).toBe(201)
    const s = await stage(ana, ['77.88.8.8', 'ac.jp'].join('\n'))
    expect(s.counts).toMatchObject({ warning: 2, invalid: 0 })
    expect((await ana.post(`/api/v1/imports/${s.id}/select`, { statuses: ['warning'], selected: true })).status).toBe(200)
    expect((await ana.post(`/api/v1/imports/${s.id}/commit`, {})).json.created).toBe(2)
    await setDefaults({ sanityMode: 'block_non_admin' })
  })
})
