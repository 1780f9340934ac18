import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client
const NEW_PASSWORD = 'Lantern-harbour-quiet-58'

beforeAll(async () => {
  moat = await startMoat()
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
})
afterAll(() => moat.close())

async function signedIn(name: string, role: 'admin' | 'analyst' | 'viewer') {
  await moat.addUser(name, role)
  const c = new Client(moat.base)
  await c.login(name, moat.password)
  return c
}

const auditOf = async (action: string, target: string) =>
  (await moat.db.prepare(`SELECT * FROM audit_log WHERE action = ? AND target = ? ORDER BY id`).bind(action, target).all<any>()).results

describe('creating users', () => {
  it('creates a local user with a one-time password that must be changed at the first sign-in', async () => {
    const res = await admin.post('/api/v1/users', { username: 'nora', displayName: 'Nora N.', role: 'analyst', email: 'nora@example.org' })
    expect(res.status).toBe(201)
    expect(res.json.user).toMatchObject({ username: 'nora', displayName: 'Nora N.', role: 'analyst', source: 'local', active: true, mustChangePassword: true, lastLoginAt: null })
    expect(res.json.password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/)
    expect(JSON.stringify(res.json.user)).not.toMatch(/scrypt|password_hash/i)

    const nora = new Client(moat.base)
    const login = await nora.login('nora', res.json.password)
    expect(login.json.mustChangePassword).toBe(true)
    expect((await nora.get('/api/v1/iocs')).json.error.code).toBe('password_change_required')
    expect((await nora.post('/api/v1/auth/password', { current: res.json.password, new: NEW_PASSWORD })).status).toBe(200)
    expect((await nora.get('/api/v1/iocs')).status).toBe(200)

    const listed = (await admin.get('/api/v1/users?q=nora')).json.items
    expect(listed).toHaveLength(1)
    expect(listed[0].lastLoginAt).not.toBeNull()
    expect((await auditOf('user.create', 'nora'))[0]).toMatchObject({ actor: 'admin', outcome: 'success' })
  })

  it('refuses a taken username whatever its case, and a bad username, naming the field', async () => {
    const dup = await admin.post('/api/v1/users', { username: 'NORA', role: 'viewer' })
    expect(dup.status).toBe(409)
    expect(dup.json.error.details.fields[0]).toMatchObject({ field: 'username', code: 'duplicate' })
    const bad = await admin.post('/api/v1/users', { username: 'no spaces!', role: 'superuser' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields.map((f: any) => f.field).sort()).toEqual(['role', 'username'])
  })
})

describe('listing users', () => {
  it('filters by text, role, source and state, and lists the misp system account that cannot sign in', async () => {
    await moat.addUser('vera', 'viewer')
    const viewers = (await admin.get('/api/v1/users?role=viewer')).json.items.map((u: any) => u.username)
    expect(viewers).toContain('vera')
    expect(viewers).not.toContain('admin')
    const system = (await admin.get('/api/v1/users?source=system')).json.items
    expect(system.map((u: any) => u.username)).toEqual(['misp'])
    expect(system[0]).toMatchObject({ source: 'system', active: true, lastLoginAt: null })
    const login = await new Client(moat.base).post('/api/v1/auth/login', { username: 'misp', password: 'anything-at-all' })
    expect(login.status).toBe(401)
    const bad = await admin.get('/api/v1/users?active=maybe')
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('active')
  })

  it('is for admins only: analysts and viewers get 403 on every users route', async () => {
    const ana = await signedIn('ana-list', 'analyst')
    const id = (await ana.get('/api/v1/auth/me')).json.user.id
    expect((await ana.get('/api/v1/users')).status).toBe(403)
    expect((await ana.post('/api/v1/users', { username: 'x1', role: 'admin' })).status).toBe(403)
    // No way to escalate oneself: not through the users API, not through the profile.
    expect((await ana.patch(`/api/v1/users/${id}`, { role: 'admin' })).status).toBe(403)
    expect((await ana.patch('/api/v1/auth/me', { role: 'admin' })).status).toBe(400)
    expect((await ana.get('/api/v1/auth/me')).json.user.role).toBe('analyst')
  })
})

describe('editing users', () => {
  it('changes the role with immediate effect and audits it', async () => {
    const ana = await signedIn('ana-demote', 'analyst')
    const id = (await ana.get('/api/v1/auth/me')).json.user.id
    const res = await admin.patch(`/api/v1/users/${id}`, { role: 'viewer', displayName: 'Ana D.' })
    expect(res.status).toBe(200)
    expect(res.json.user).toMatchObject({ role: 'viewer', displayName: 'Ana D.' })
    expect((await ana.post('/api/v1/iocs', { value: '45.9.148.200' })).status).toBe(403)
    expect((await auditOf('user.role_change', 'ana-demote'))[0].details).toBe(JSON.stringify({ from: 'analyst', to: 'viewer' }))
    expect(JSON.parse((await auditOf('user.edit', 'ana-demote'))[0].details).fields).toEqual(['displayName'])
  })

  it('deactivates a user: sessions end at once, sign-in is refused, reactivation lets them back', async () => {
    const ana = await signedIn('ana-off', 'analyst')
    const id = (await ana.get('/api/v1/auth/me')).json.user.id
    expect((await admin.patch(`/api/v1/users/${id}`, { active: false })).json.user.active).toBe(false)
    expect((await ana.get('/api/v1/auth/me')).status).toBe(401)
    expect((await new Client(moat.base).post('/api/v1/auth/login', { username: 'ana-off', password: moat.password })).status).toBe(401)
    expect((await admin.get('/api/v1/users?active=false')).json.items.map((u: any) => u.username)).toContain('ana-off')
    await admin.patch(`/api/v1/users/${id}`, { active: true })
    await new Client(moat.base).login('ana-off', moat.password)
    expect((await auditOf('user.deactivate', 'ana-off')).length).toBe(1)
    expect((await auditOf('user.activate', 'ana-off')).length).toBe(1)
  })

  it('never lets admins demote or deactivate themselves', async () => {
    const me = (await admin.get('/api/v1/auth/me')).json.user
    const demote = await admin.patch(`/api/v1/users/${me.id}`, { role: 'analyst' })
    expect(demote.status).toBe(409)
    expect(demote.json.error).toMatchObject({ code: 'self_change', details: { fields: [{ field: 'role' }] } })
    const off = await admin.patch(`/api/v1/users/${me.id}`, { active: false })
    expect(off.status).toBe(409)
    expect(off.json.error.details.fields[0].field).toBe('active')
    // A change that is no change is fine, and so is editing one's own display name.
    expect((await admin.patch(`/api/v1/users/${me.id}`, { role: 'admin', displayName: 'Chief' })).status).toBe(200)
  })

  it('keeps system accounts out of the admin role and names unknown fields', async () => {
    const misp = (await admin.get('/api/v1/users?source=system')).json.items[0]
    const res = await admin.patch(`/api/v1/users/${misp.id}`, { role: 'admin' })
    expect(res.status).toBe(422)
    expect(res.json.error.details.fields[0]).toMatchObject({ field: 'role', code: 'system_account' })
    const unknown = await admin.patch(`/api/v1/users/${misp.id}`, { password: 'x' })
    expect(unknown.status).toBe(400)
    expect(unknown.json.error.details.fields[0].code).toBe('unrecognized_keys')
    expect((await admin.patch('/api/v1/users/99999', { role: 'viewer' })).status).toBe(404)
  })

  it('lets an admin demote another admin while an active admin remains', async () => {
    const second = await signedIn('root-b', 'admin')
    const adminId = (await admin.get('/api/v1/auth/me')).json.user.id
    const ids = (await admin.get('/api/v1/users?role=admin')).json.items.map((u: any) => u.id)
    expect(ids).toContain(adminId)
    const rootB = (await second.get('/api/v1/auth/me')).json.user.id
    expect((await admin.patch(`/api/v1/users/${rootB}`, { role: 'analyst' })).status).toBe(200)
  })
})

describe('resetting passwords', () => {
  it('issues a new one-time password, unlocks the account and ends its sessions', async () => {
    const ana = await signedIn('ana-reset', 'analyst')
    const id = (await ana.get('/api/v1/auth/me')).json.user.id
    await moat.db.prepare(`UPDATE users SET failed_logins = 7, locked_until = '2999-01-01T00:00:00.000Z' WHERE id = ?`).bind(id).run()
    const res = await admin.post(`/api/v1/users/${id}/reset-password`)
    expect(res.status).toBe(200)
    expect(res.json.user).toMatchObject({ mustChangePassword: true, lockedUntil: null })
    expect((await ana.get('/api/v1/auth/me')).status).toBe(401)
    const again = new Client(moat.base)
    expect((await again.login('ana-reset', res.json.password)).json.mustChangePassword).toBe(true)
    expect((await auditOf('user.password_reset', 'ana-reset'))[0].actor).toBe('admin')
  })

  it("refuses system accounts and the admin's own account", async () => {
    const misp = (await admin.get('/api/v1/users?source=system')).json.items[0]
    const res = await admin.post(`/api/v1/users/${misp.id}/reset-password`)
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('not_local_account')
    const me = (await admin.get('/api/v1/auth/me')).json.user
    expect((await admin.post(`/api/v1/users/${me.id}/reset-password`)).json.error.code).toBe('self_change')
  })
})

describe('avatars', () => {
  it("lets an admin remove someone's avatar, audited", async () => {
    const ana = await signedIn('ana-pic', 'analyst')
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
    const fd = new FormData()
    fd.append('file', new Blob([png], { type: 'image/png' }), 'a.png')
    const id = (await ana.post('/api/v1/auth/me/avatar', fd)).json.user.id
    expect((await ana.del(`/api/v1/users/${id}/avatar`)).status).toBe(403)
    const res = await admin.del(`/api/v1/users/${id}/avatar`)
    expect(res.status).toBe(200)
    expect(res.json.user.hasAvatar).toBe(false)
    expect((await auditOf('user.avatar_remove', 'ana-pic')).length).toBe(1)
  })
})
