import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
beforeAll(async () => {
  moat = await startMoat()
})
afterAll(() => moat.close())

describe('login', () => {
  it('rejects a wrong password and an unknown user with the same 401 envelope', async () => {
    await moat.addUser('wanda', 'analyst')
    const c = new Client(moat.base, '198.51.100.1')
    const wrong = await c.post('/api/v1/auth/login', { username: 'wanda', password: 'not-her-password' })
    const unknown = await c.post('/api/v1/auth/login', { username: 'nobody-here', password: 'whatever-123' })
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong username or password' } })
    expect(unknown.status).toBe(401)
    expect(unknown.json).toEqual(wrong.json)
    expect(c.cookies.size).toBe(0)
  })

  it('names each missing field, and answers broken JSON, wrong types and big bodies with 4xx', async () => {
    const c = new Client(moat.base, '198.51.100.2')
    const missing = await c.post('/api/v1/auth/login', {})
    expect(missing.status).toBe(400)
    expect(missing.json.error.code).toBe('validation_failed')
    expect(missing.json.error.details.fields.map((f: any) => [f.field, f.code])).toEqual([
      ['username', 'required'],
      ['password', 'required'],
    ])
    const broken = await c.post('/api/v1/auth/login', '{"username": "a",', { 'content-type': 'application/json' })
    expect(broken.status).toBe(400)
    expect(broken.json.error.code).toBe('invalid_json')
    const form = await c.post('/api/v1/auth/login', 'username=a&password=b', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(form.status).toBe(415)
    expect(form.json.error.code).toBe('unsupported_media_type')
    const huge = await c.post('/api/v1/auth/login', { username: 'a', password: 'x'.repeat(1_100_000) })
    expect(huge.status).toBe(413)
    expect(huge.json.error.code).toBe('payload_too_large')
  })

  it('sets an HttpOnly SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    await moat.addUser('carol', 'analyst')
    const res = await fetch(moat.base + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'CAROL', password: moat.password }),
    })
    expect(res.status).toBe(200)
    const body: any = await res.json()
    expect(body.user.username).toBe('carol')
    expect(body.user).not.toHaveProperty('passwordHash')
    const cookies = res.headers.getSetCookie()
    const session = cookies.find((c) => c.startsWith('moat_session='))!
    const csrf = cookies.find((c) => c.startsWith('moat_csrf='))!
    expect(session).toMatch(/HttpOnly/)
    expect(session).toMatch(/SameSite=Strict/)
    expect(csrf).not.toMatch(/HttpOnly/)
    expect(csrf).toContain(`moat_csrf=${body.csrfToken}`)
  })
})

describe('forced password change', () => {
  it('blocks every API but me, logout and password until the first password is changed', async () => {
    const c = new Client(moat.base, '198.51.100.3')
    const login = await c.login('admin', ADMIN_PASSWORD)
    expect(login.json.mustChangePassword).toBe(true)
    const blocked = await c.get('/api/v1/audit')
    expect(blocked.status).toBe(403)
    expect(blocked.json.error.code).toBe('password_change_required')
    expect((await c.get('/api/v1/auth/me')).status).toBe(200)

    const weak = await c.post('/api/v1/auth/password', { current: ADMIN_PASSWORD, new: 'Password2024!!' })
    expect(weak.status).toBe(422)
    expect(weak.json.error.details.fields[0]).toMatchObject({ field: 'new', code: 'password_weak' })
    const short = await c.post('/api/v1/auth/password', { current: ADMIN_PASSWORD, new: 'short' })
    expect(short.status).toBe(400)
    expect(short.json.error.details.fields[0]).toMatchObject({ field: 'new', code: 'too_small', params: { minimum: 12 } })
    const wrong = await c.post('/api/v1/auth/password', { current: 'not-it-at-all', new: 'Blue-harbour-lantern-42' })
    expect(wrong.status).toBe(422)
    expect(wrong.json.error.code).toBe('wrong_password')
    const same = await c.post('/api/v1/auth/password', { current: ADMIN_PASSWORD, new: ADMIN_PASSWORD })
    expect(same.json.error.code).toBe('password_reused')

    const other = new Client(moat.base, '198.51.100.4')
    await other.login('admin', ADMIN_PASSWORD)
    const ok = await c.post('/api/v1/auth/password', { current: ADMIN_PASSWORD, new: 'Blue-harbour-lantern-42' })
    expect(ok.status).toBe(200)
    expect(ok.json.user.mustChangePassword).toBe(false)
    expect((await c.get('/api/v1/audit')).status).toBe(200)
    // The other session was issued under the old password: it is over.
    const stale = await other.get('/api/v1/auth/me')
    expect(stale.status).toBe(401)
    expect(stale.json.error.code).toBe('session_revoked')
    // The old password no longer works, the new one does.
    expect((await new Client(moat.base, '198.51.100.5').post('/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(401)
    await new Client(moat.base, '198.51.100.5').login('admin', 'Blue-harbour-lantern-42')
  })
})

describe('sessions and CSRF', () => {
  it('refuses cookie-authenticated writes without the matching X-CSRF-Token', async () => {
    await moat.addUser('dave', 'analyst')
    const c = new Client(moat.base, '198.51.100.6')
    await c.login('dave', moat.password)
    const none = await c.patch('/api/v1/auth/me', { displayName: 'Dave' }, { 'x-csrf-token': '' })
    expect(none.status).toBe(403)
    expect(none.json.error.code).toBe('csrf_failed')
    const forged = await c.patch('/api/v1/auth/me', { displayName: 'Dave' }, { 'x-csrf-token': 'a'.repeat(43) })
    expect(forged.status).toBe(403)
    const ok = await c.patch('/api/v1/auth/me', { displayName: 'Dave D.' })
    expect(ok.status).toBe(200)
    expect(ok.json.user.displayName).toBe('Dave D.')
  })

  it('answers a tampered cookie and an expired cookie with 401', async () => {
    await moat.addUser('erin', 'viewer')
    const c = new Client(moat.base, '198.51.100.7')
    await c.login('erin', moat.password)
    const token = c.cookies.get('moat_session')!
    const [h, p, s] = token.split('.')
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
    payload.sub = '1'
    const tampered = new Client(moat.base)
    tampered.cookies.set('moat_session', [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.'))
    const bad = await tampered.get('/api/v1/auth/me')
    expect(bad.status).toBe(401)
    expect(bad.json.error.code).toBe('invalid_session')

    const { sessionSecret } = JSON.parse(readFileSync(path.join(moat.rt.dataDir, 'keys.json'), 'utf8'))
    const past = Math.floor(Date.now() / 1000) - 3600
    const expiredJwt = await new SignJWT({ ver: 1, csrf: 'x', at: past })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(payload.sub))
      .setIssuer('moat')
      .setIssuedAt(past)
      .setExpirationTime(past + 60)
      .sign(new TextEncoder().encode(sessionSecret))
    const expired = new Client(moat.base)
    expired.cookies.set('moat_session', expiredJwt)
    const res = await expired.get('/api/v1/auth/me')
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('session_expired')
  })

  it('ends the session everywhere on logout', async () => {
    await moat.addUser('frank', 'analyst')
    const c = new Client(moat.base, '198.51.100.8')
    await c.login('frank', moat.password)
    const copy = new Client(moat.base)
    copy.cookies = new Map(c.cookies)
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204)
    expect(c.cookies.has('moat_session')).toBe(false)
    const replay = await copy.get('/api/v1/auth/me')
    expect(replay.status).toBe(401)
  })

  it('ends the sessions of a deactivated user', async () => {
    const id = await moat.addUser('gina', 'analyst')
    const c = new Client(moat.base, '198.51.100.9')
    await c.login('gina', moat.password)
    await moat.db.prepare('UPDATE users SET active = 0 WHERE id = ?').bind(id).run()
    expect((await c.get('/api/v1/auth/me')).status).toBe(401)
    const again = await c.post('/api/v1/auth/login', { username: 'gina', password: moat.password })
    expect(again.status).toBe(401)
  })
})

describe('throttling', () => {
  it('locks an account after five failures, refuses even the right password, and audits the lockout', async () => {
    await moat.addUser('henry', 'analyst')
    const c = new Client(moat.base, '198.51.100.20')
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      statuses.push((await c.post('/api/v1/auth/login', { username: 'henry', password: `guess-${i}` })).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    const locked = await c.post('/api/v1/auth/login', { username: 'henry', password: moat.password })
    expect(locked.status).toBe(429)
    expect(locked.json.error.code).toBe('account_locked')
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(locked.json.error.details.retryAfter).toBe(Number(locked.headers.get('retry-after')))
    const audit = await moat.db
      .prepare(`SELECT action, severity, target FROM audit_log WHERE action = 'auth.lockout' AND target = 'henry'`)
      .all()
    expect(audit.results).toEqual([{ action: 'auth.lockout', severity: 7, target: 'henry' }])
  })

  it('slows down one address that tries many accounts', async () => {
    const c = new Client(moat.base, '198.51.100.30')
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      statuses.push((await c.post('/api/v1/auth/login', { username: `spray-${i}`, password: 'Winter2026!' })).status)
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
    // Another address is not affected.
    await moat.addUser('ivan', 'analyst')
    await new Client(moat.base, '198.51.100.31').login('ivan', moat.password)
  }, 60_000)
})
