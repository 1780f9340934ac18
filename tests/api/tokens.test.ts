import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client

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

async function newToken(c: Client, body: Record<string, unknown>) {
  const res = await c.post('/api/v1/tokens', body)
  if (res.status !== 201) throw new Error(`token create: ${res.status} ${res.text}`)
  return res.json as { token: any; secret: string }
}

/** A bare HTTP client with only the bearer token: no cookies, no CSRF header. */
function bearer(secret: string, ip = '198.51.100.7') {
  const c = new Client(moat.base, ip)
  const h = { authorization: `Bearer ${secret}` }
  return {
    get: (p: string) => c.get(p, h),
    post: (p: string, body?: unknown) => c.post(p, body, h),
    patch: (p: string, body?: unknown) => c.patch(p, body, h),
    del: (p: string) => c.del(p, h),
  }
}

const audits = async (action: string) =>
  (await moat.db.prepare(`SELECT * FROM audit_log WHERE action = ? ORDER BY id`).bind(action).all<any>()).results

describe('creating tokens', () => {
  it('shows the token once and keeps only its SHA-256', async () => {
    const ana = await signedIn('tara', 'analyst')
    const { token, secret } = await newToken(ana, { name: 'SOAR playbook', scopes: ['write'] })
    expect(secret).toMatch(/^moat_[A-Za-z0-9_-]{43}$/)
    expect(token).toMatchObject({ name: 'SOAR playbook', scopes: ['write'], status: 'active', prefix: secret.slice(0, 12), expiresAt: null, lastUsedAt: null })
    const listed = await ana.get('/api/v1/tokens')
    expect(listed.text).not.toContain(secret)
    expect(listed.json.items.map((t: any) => t.name)).toEqual(['SOAR playbook'])
    const row = await moat.db.prepare('SELECT * FROM api_tokens WHERE id = ?').bind(token.id).first<any>()
    expect(row.token_hash).toBe(createHash('sha256').update(secret).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(secret)
    expect((await audits('token.create')).at(-1)).toMatchObject({ actor: 'tara', outcome: 'success' })
  })

  it('validates name, scopes and expiry, and refuses a scope above the role', async () => {
    const ana = await signedIn('uma', 'analyst')
    const bad = await ana.post('/api/v1/tokens', { name: '', scopes: ['root'], expiresAt: 'tomorrow' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields.map((f: any) => f.field).sort()).toEqual(['expiresAt', 'name', 'scopes.0'])
    const past = await ana.post('/api/v1/tokens', { name: 'old', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' })
    expect(past.status).toBe(422)
    expect(past.json.error.details.fields[0].field).toBe('expiresAt')
    const high = await ana.post('/api/v1/tokens', { name: 'boss', scopes: ['admin'] })
    expect(high.status).toBe(403)
    expect(high.json.error).toMatchObject({ code: 'scope_not_allowed', details: { fields: [{ field: 'scopes' }] } })
    await newToken(ana, { name: 'Twin', scopes: ['read'] })
    const twin = await ana.post('/api/v1/tokens', { name: 'twin', scopes: ['read'] })
    expect(twin.status).toBe(409)
    expect(twin.json.error.details.fields[0].field).toBe('name')
  })
})

describe('using tokens', () => {
  it('authenticates every /api/v1 route with Authorization: Bearer and needs no CSRF token', async () => {
    const ana = await signedIn('vik', 'analyst')
    const { secret } = await newToken(ana, { name: 'script', scopes: ['write'] })
    const api = bearer(secret)
    expect((await api.get('/api/v1/auth/me')).json.user.username).toBe('vik')
    const created = await api.post('/api/v1/iocs', { value: '45.9.148.77', ticket: 'INC-1' })
    expect(created.status).toBe(201)
    expect(created.json.ioc.createdBy.username).toBe('vik')
    expect((await api.get('/api/v1/iocs?q=45.9.148.77')).json.items).toHaveLength(1)
    expect(created.headers.get('set-cookie')).toBeNull()
  })

  it('limits a read token to GET, and a write token to analyst rights', async () => {
    const ana = await signedIn('wes', 'analyst')
    const reader = bearer((await newToken(ana, { name: 'reader', scopes: ['read'] })).secret)
    expect((await reader.get('/api/v1/iocs')).status).toBe(200)
    const refused = await reader.post('/api/v1/iocs', { value: '45.9.148.78' })
    expect(refused.status).toBe(403)
    expect(refused.json.error.code).toBe('insufficient_scope')
    const writer = bearer((await newToken(ana, { name: 'writer', scopes: ['read', 'write'] })).secret)
    expect((await writer.post('/api/v1/iocs', { value: '45.9.148.78' })).status).toBe(201)
    expect((await writer.get('/api/v1/audit')).status).toBe(403)
  })

  it("gives admin routes to an admin's admin-scope token only, and audits each such use", async () => {
    const write = bearer((await newToken(admin, { name: 'admin-write', scopes: ['write'] })).secret)
    const res = await write.get('/api/v1/users')
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('insufficient_scope')

    const { token, secret } = await newToken(admin, { name: 'admin-full', scopes: ['admin'] })
    const full = bearer(secret, '198.51.100.99')
    const before = (await audits('token.admin_use')).length
    expect((await full.get('/api/v1/users')).status).toBe(200)
    const used = (await audits('token.admin_use')).slice(before)
    expect(used).toHaveLength(1)
    expect(used[0]).toMatchObject({ actor: 'admin', source_ip: '198.51.100.99', target: 'GET /api/v1/users', outcome: 'success' })
    expect(JSON.parse(used[0].details)).toEqual({ tokenId: token.id, tokenName: 'admin-full' })
  })

  it('never creates tokens, changes passwords or signs out with a token', async () => {
    const api = bearer((await newToken(admin, { name: 'no-persistence', scopes: ['admin'] })).secret)
    for (const [p, body] of [
      ['/api/v1/tokens', { name: 'child', scopes: ['read'] }],
      ['/api/v1/auth/password', { current: ADMIN_PASSWORD, new: 'Another-long-pass-42' }],
      ['/api/v1/auth/logout', undefined],
    ] as const) {
      const res = await api.post(p, body)
      expect(res.status, p).toBe(403)
      expect(res.json.error.code, p).toBe('session_required')
    }
  })

  it('records when and from where a token was last used, at most once a minute per address', async () => {
    const ana = await signedIn('xena', 'analyst')
    const { token, secret } = await newToken(ana, { name: 'poller', scopes: ['read'] })
    await bearer(secret, '192.0.2.50').get('/api/v1/auth/me')
    const read = async () => (await ana.get('/api/v1/tokens')).json.items.find((t: any) => t.id === token.id)
    await expect.poll(async () => (await read()).lastUsedIp).toBe('192.0.2.50')
    const first = (await read()).lastUsedAt
    await bearer(secret, '192.0.2.50').get('/api/v1/auth/me')
    await new Promise((r) => setTimeout(r, 300))
    expect((await read()).lastUsedAt).toBe(first)
    await bearer(secret, '192.0.2.51').get('/api/v1/auth/me')
    await expect.poll(async () => (await read()).lastUsedIp).toBe('192.0.2.51')
    // Each recorded use is in the audit trail too: two addresses, two records, not three.
    const uses = (await audits('token.use')).filter((r: any) => JSON.parse(r.details).tokenId === token.id)
    expect(uses.map((r: any) => [r.actor, r.source_ip, r.target])).toEqual([
      ['xena', '192.0.2.50', 'GET /api/v1/auth/me'],
      ['xena', '192.0.2.51', 'GET /api/v1/auth/me'],
    ])
  })
})

describe('ending tokens', () => {
  it('refuses an expired token with 401 token_expired and audits the refusal', async () => {
    const ana = await signedIn('yara', 'analyst')
    const soon = new Date(Date.now() + 60_000).toISOString()
    const { token, secret } = await newToken(ana, { name: 'short', scopes: ['read'], expiresAt: soon })
    expect(token.expiresAt).toBe(soon)
    expect((await bearer(secret).get('/api/v1/auth/me')).status).toBe(200)
    await moat.db.prepare(`UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?`).bind(token.id).run()
    const res = await bearer(secret, '198.51.100.23').get('/api/v1/auth/me')
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('token_expired')
    const refusal = (await audits('token.auth_failure')).at(-1)
    expect(refusal).toMatchObject({ outcome: 'failure', source_ip: '198.51.100.23' })
    expect(JSON.parse(refusal.details)).toMatchObject({ reason: 'expired', tokenId: token.id })
    expect(refusal.details).not.toContain(secret)
    expect((await ana.get('/api/v1/tokens')).json.items[0].status).toBe('expired')
  })

  it('stops a revoked token at once; others cannot revoke it, admins can list and revoke anyone\'s', async () => {
    const owner = await signedIn('zed', 'analyst')
    const other = await signedIn('zoe', 'analyst')
    const a = await newToken(owner, { name: 'one', scopes: ['read'] })
    const b = await newToken(owner, { name: 'two', scopes: ['read'] })
    expect((await other.del(`/api/v1/tokens/${a.token.id}`)).status).toBe(404)
    expect((await other.get('/api/v1/tokens?owner=all')).status).toBe(403)
    expect((await owner.del(`/api/v1/tokens/${a.token.id}`)).status).toBe(204)
    const gone = await bearer(a.secret).get('/api/v1/auth/me')
    expect(gone.status).toBe(401)
    expect(gone.json.error.code).toBe('invalid_token')

    const all = (await admin.get('/api/v1/tokens?owner=all')).json.items
    expect(all.find((t: any) => t.id === b.token.id).user.username).toBe('zed')
    expect(all.find((t: any) => t.id === a.token.id).status).toBe('revoked')
    expect((await admin.del(`/api/v1/tokens/${b.token.id}`)).status).toBe(204)
    expect((await bearer(b.secret).get('/api/v1/auth/me')).status).toBe(401)
    const revokes = (await audits('token.revoke')).slice(-2)
    expect(revokes.map((r: any) => [r.actor, r.target])).toEqual([
      ['zed', 'zed'],
      ['admin', 'zed'],
    ])
  })

  it("stops a deactivated user's tokens at once and takes them back on reactivation", async () => {
    const ana = await signedIn('quin', 'analyst')
    const id = (await ana.get('/api/v1/auth/me')).json.user.id
    const api = bearer((await newToken(ana, { name: 'cron', scopes: ['write'] })).secret)
    expect((await api.get('/api/v1/iocs')).status).toBe(200)
    await admin.patch(`/api/v1/users/${id}`, { active: false })
    expect((await api.get('/api/v1/iocs')).status).toBe(401)
    await admin.patch(`/api/v1/users/${id}`, { active: true })
    expect((await api.get('/api/v1/iocs')).status).toBe(200)
  })

  it('refuses tokens of a user who must change the password, and unknown or malformed tokens', async () => {
    const ana = await signedIn('rho', 'analyst')
    const id = (await ana.get('/api/v1/auth/me')).json.user.id
    const api = bearer((await newToken(ana, { name: 'x', scopes: ['read'] })).secret)
    await admin.post(`/api/v1/users/${id}/reset-password`)
    const res = await api.get('/api/v1/iocs')
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('password_change_required')
    for (const secret of [`moat_${'A'.repeat(43)}`, 'not-a-token', '']) {
      const r = await new Client(moat.base).get('/api/v1/iocs', { authorization: `Bearer ${secret}` })
      expect(r.status, secret).toBe(401)
    }
  })
})
