import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'
import { BASE_DN, BIND_DN, BIND_PASSWORD, GROUPS, PEOPLE, startSlapd, type Slapd } from '../helpers/slapd'

// LDAP / Active Directory sign-in against a real slapd (Debian) with a fixture directory: the
// group → role mapping, local fallback, the write-only bind password, "test connection", TLS
// (ldaps:// and StartTLS with a private CA) and a directory that went away.

let moat: TestMoat
let slapd: Slapd
let admin: Client
/** Every answer body the admin client saw: the bind password must be in none of them. */
const seen: string[] = []

const SEARCH = {
  searchBase: `ou=people,${BASE_DN}`,
  searchFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
  groups: [
    { dn: GROUPS.viewers, role: 'viewer' },
    { dn: GROUPS.analysts, role: 'analyst' },
    { dn: GROUPS.admins, role: 'admin' },
  ],
}

let ip = 1
/** A fresh client from its own address, so address throttling of one test does not leak into another. */
const fresh = () => new Client(moat.base, `198.51.100.${ip++}`)

async function login(username: string, password: string, client = fresh()) {
  const res = await client.post('/api/v1/auth/login', { username, password })
  return { res, client }
}

async function lastAudit(action: string, target: string) {
  return moat.db
    .prepare(`SELECT outcome, details, actor, source_ip AS ip FROM audit_log WHERE action = ? AND target = ? ORDER BY id DESC LIMIT 1`)
    .bind(action, target)
    .first<{ outcome: string; details: string; actor: string; ip: string }>()
}

const track = async <T extends { text: string }>(p: Promise<T>) => {
  const r = await p
  seen.push(r.text)
  return r
}

beforeAll(async () => {
  // Assigned one by one, so afterAll stops whichever started even if the other failed.
  await Promise.all([startMoat().then((m) => (moat = m)), startSlapd().then((s) => (slapd = s))])
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
  await moat.addUser('lena', 'analyst')
})

afterAll(async () => {
  await moat?.close()
  await slapd?.stop()
})

describe('LDAP settings', () => {
  it('start in local mode with no bind password', async () => {
    const res = await track(admin.get('/api/v1/ldap/settings'))
    expect(res.status).toBe(200)
    expect(res.json.settings).toMatchObject({ mode: 'local', url: '', startTls: false, groups: [], timeoutSeconds: 10 })
    expect(res.json.settings.bindPassword).toEqual({ set: false, updatedAt: null, updatedBy: null })
  })

  it('refuse bad values and name every field', async () => {
    const res = await admin.patch('/api/v1/ldap/settings', {
      url: 'http://dc.example.org',
      searchFilter: '(uid=alice)',
      bindDn: 'not a dn',
      groups: [{ dn: '', role: 'admin' }, { dn: GROUPS.admins, role: 'root' }],
      timeoutSeconds: 0,
    })
    expect(res.status).toBe(400)
    const fields = res.json.error.details.fields.map((f: any) => f.field).sort()
    expect(fields).toEqual(['bindDn', 'groups.0.dn', 'groups.1.role', 'searchFilter', 'timeoutSeconds', 'url'])
    const tls = await admin.patch('/api/v1/ldap/settings', { url: slapd.ldapsUrl, startTls: true })
    expect(tls.status).toBe(400)
    expect(tls.json.error.details.fields[0]).toMatchObject({ field: 'startTls', code: 'starttls_with_ldaps' })
    const noUrl = await admin.patch('/api/v1/ldap/settings', { mode: 'both' })
    expect(noUrl.json.error.details.fields[0]).toMatchObject({ field: 'url', code: 'required' })
    const noGroups = await admin.patch('/api/v1/ldap/settings', { mode: 'both', url: slapd.url, searchBase: SEARCH.searchBase })
    expect(noGroups.json.error.details.fields[0]).toMatchObject({ field: 'groups', code: 'required' })
    const noPassword = await admin.patch('/api/v1/ldap/settings', { mode: 'both', url: slapd.url, ...SEARCH, bindDn: BIND_DN })
    expect(noPassword.json.error.details.fields[0]).toMatchObject({ field: 'bindPassword', code: 'required' })
    // Nothing was saved by the refused attempts.
    expect((await admin.get('/api/v1/ldap/settings')).json.settings.mode).toBe('local')
  })

  it('are admin-only', async () => {
    const { client } = await login('lena', moat.password)
    expect((await client.get('/api/v1/ldap/settings')).status).toBe(403)
    expect((await client.post('/api/v1/ldap/test', { username: 'alice' })).status).toBe(403)
  })

  it('store the bind password encrypted and never return it', async () => {
    const res = await track(admin.patch('/api/v1/ldap/settings', { mode: 'both', url: slapd.url, bindDn: BIND_DN, bindPassword: BIND_PASSWORD, ...SEARCH }))
    expect(res.status).toBe(200)
    expect(res.json.settings).toMatchObject({ mode: 'both', url: slapd.url, bindDn: BIND_DN, searchBase: SEARCH.searchBase })
    expect(res.json.settings.bindPassword).toMatchObject({ set: true, updatedBy: 'admin' })
    const row = await moat.db.prepare(`SELECT value FROM settings WHERE key = 'ldap.bindPassword'`).first<{ value: string }>()
    expect(row!.value).toMatch(/"enc":"v1\./)
    expect(row!.value).not.toContain(BIND_PASSWORD)
    expect(row!.value).not.toContain(BIND_PASSWORD.slice(-4))
    const audit = await lastAudit('settings.change', 'ldap')
    expect(JSON.parse(audit!.details)).toMatchObject({ bindPassword: 'set' })
    expect(audit!.details).not.toContain(BIND_PASSWORD)
  })
})

describe('LDAP sign-in', () => {
  it('provisions a directory user with the role of the highest mapped group', async () => {
    const { res, client } = await login('alice', PEOPLE.alice.password)
    expect(res.status).toBe(200)
    expect(res.json.user).toMatchObject({ username: 'alice', role: 'admin', source: 'ldap', displayName: 'Alice Admin', email: 'alice@moat.test' })
    expect(res.json.mustChangePassword).toBe(false)
    expect((await client.get('/api/v1/auth/me')).json.user.role).toBe('admin')
    const bob = await login('bob', PEOPLE.bob.password)
    expect(bob.res.json.user).toMatchObject({ role: 'analyst', source: 'ldap' })
    const carol = await login('Carol', PEOPLE.carol.password)
    expect(carol.res.json.user).toMatchObject({ role: 'viewer', source: 'ldap' })
    const row = await moat.db.prepare(`SELECT source, password_hash FROM users WHERE username = 'alice'`).first<{ source: string; password_hash: string | null }>()
    expect(row).toEqual({ source: 'ldap', password_hash: null })
    const created = await lastAudit('user.create', 'alice')
    expect(JSON.parse(created!.details)).toMatchObject({ source: 'ldap', role: 'admin' })
    const audit = await lastAudit('auth.login', 'alice')
    expect(audit).toMatchObject({ outcome: 'success' })
  })

  it('refuses a wrong password with 401 and audits it', async () => {
    const { res } = await login('bob', 'Not-bobs-password-1')
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('invalid_credentials')
    const audit = await lastAudit('auth.login', 'bob')
    expect(audit!.outcome).toBe('failure')
    expect(JSON.parse(audit!.details).reason).toBe('wrong password (directory)')
    const unknown = await login('zed', 'Whatever-pass-123')
    expect(unknown.res.status).toBe(401)
    expect(JSON.parse((await lastAudit('auth.login', 'zed'))!.details).reason).toBe('unknown user (directory)')
  })

  it('refuses a user in no mapped group (403, no account created)', async () => {
    const { res } = await login('dave', PEOPLE.dave.password)
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('ldap_no_role')
    expect(JSON.parse((await lastAudit('auth.login', 'dave'))!.details).reason).toBe('directory user in no mapped group')
    expect(await moat.db.prepare(`SELECT id FROM users WHERE username = 'dave'`).first()).toBeNull()
  })

  it('escapes the username in the filter (RFC 4515): injection finds nobody', async () => {
    for (const name of ['*)(uid=*', '*', 'al*', 'alice)(|(uid=*']) {
      const { res } = await login(name, PEOPLE.alice.password)
      expect(res.status, name).toBe(401)
    }
    expect(await moat.db.prepare(`SELECT count(*) AS n FROM users WHERE username LIKE '%*%'`).first('n')).toBe(0)
  })

  it('never lets a directory account take over a local one', async () => {
    // The directory has its own `admin` with another password: only the local password works.
    const dir = await login('admin', PEOPLE.admin.password)
    expect(dir.res.status).toBe(401)
    const local = await login('admin', ADMIN_PASSWORD)
    expect(local.res.status).toBe(200)
    expect(local.res.json.user).toMatchObject({ source: 'local', role: 'admin' })
  })

  it('follows the directory groups on every sign-in', async () => {
    const patch = await admin.patch('/api/v1/ldap/settings', { groups: [{ dn: GROUPS.analysts, role: 'viewer' }, { dn: GROUPS.admins, role: 'admin' }, { dn: GROUPS.viewers, role: 'viewer' }] })
    expect(patch.status).toBe(200)
    const { res } = await login('bob', PEOPLE.bob.password)
    expect(res.json.user.role).toBe('viewer')
    expect(JSON.parse((await lastAudit('user.role_change', 'bob'))!.details)).toMatchObject({ from: 'analyst', to: 'viewer', source: 'ldap' })
    await admin.patch('/api/v1/ldap/settings', { groups: SEARCH.groups })
    expect((await login('bob', PEOPLE.bob.password)).res.json.user.role).toBe('analyst')
  })

  it('has no local password to change or reset', async () => {
    const { client } = await login('bob', PEOPLE.bob.password)
    const change = await client.post('/api/v1/auth/password', { current: PEOPLE.bob.password, new: 'Another-long-pass-77' })
    expect(change.status).toBe(409)
    const id = await moat.db.prepare(`SELECT id FROM users WHERE username = 'bob'`).first<number>('id')
    const reset = await admin.post(`/api/v1/users/${id}/reset-password`)
    expect(reset.status).toBe(409)
    expect(reset.json.error.code).toBe('not_local_account')
  })

  it('refuses a deactivated directory user without asking the directory', async () => {
    const id = await moat.db.prepare(`SELECT id FROM users WHERE username = 'carol' COLLATE NOCASE`).first<number>('id')
    const off = await admin.patch(`/api/v1/users/${id}`, { active: false })
    expect(off.status, off.text).toBe(200)
    const { res } = await login('carol', PEOPLE.carol.password)
    expect(res.status).toBe(401)
    expect(JSON.parse((await lastAudit('auth.login', 'carol'))!.details).reason).toBe('inactive account')
    await admin.patch(`/api/v1/users/${id}`, { active: true })
    expect((await login('carol', PEOPLE.carol.password)).res.status).toBe(200)
  })

  it('locks a directory account after repeated failures, like a local one', async () => {
    const client = fresh()
    for (let i = 0; i < 5; i++) expect((await login('carol', `Wrong-pass-${i}-abcdef`, client)).res.status).toBe(401)
    const locked = await login('carol', PEOPLE.carol.password)
    expect(locked.res.status).toBe(429)
    expect(locked.res.json.error.code).toBe('account_locked')
    await moat.db.prepare(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = 'carol' COLLATE NOCASE`).run()
  })

  it('in directory-only mode keeps local admins (break-glass) and refuses other local accounts', async () => {
    expect((await admin.patch('/api/v1/ldap/settings', { mode: 'ldap' })).status).toBe(200)
    expect((await login('admin', ADMIN_PASSWORD)).res.status).toBe(200)
    const lena = await login('lena', moat.password)
    expect(lena.res.status).toBe(401)
    expect(JSON.parse((await lastAudit('auth.login', 'lena'))!.details).reason).toBe('local sign-in is off (directory mode)')
    expect((await login('alice', PEOPLE.alice.password)).res.status).toBe(200)
    // local mode: directory users are refused, local ones back.
    await admin.patch('/api/v1/ldap/settings', { mode: 'local' })
    expect((await login('alice', PEOPLE.alice.password)).res.status).toBe(401)
    expect((await login('lena', moat.password)).res.status).toBe(200)
    await admin.patch('/api/v1/ldap/settings', { mode: 'both' })
  })
})

describe('LDAP test connection', () => {
  it('reports each step with the saved settings', async () => {
    const res = await track(admin.post('/api/v1/ldap/test', { username: 'alice' }))
    expect(res.status).toBe(200)
    expect(res.json.ok).toBe(true)
    expect(res.json.steps.map((s: any) => [s.step, s.ok])).toEqual([
      ['connect', true],
      ['bind', true],
      ['search', true],
      ['groups', true],
    ])
    expect(res.json.dn).toBe(`uid=alice,ou=people,${BASE_DN}`)
    expect(res.json.groups.sort()).toEqual([GROUPS.admins, GROUPS.analysts].sort())
    expect(res.json.role).toBe('admin')
    expect((await lastAudit('ldap.test', slapd.url))!.outcome).toBe('success')
  })

  it('tries a user password when given, and reports a user it cannot find', async () => {
    const ok = await track(admin.post('/api/v1/ldap/test', { username: 'bob', password: PEOPLE.bob.password }))
    expect(ok.json.steps.at(-1)).toMatchObject({ step: 'userBind', ok: true })
    const bad = await track(admin.post('/api/v1/ldap/test', { username: 'bob', password: 'nope-nope-nope' }))
    expect(bad.json.ok).toBe(false)
    expect(bad.json.steps.at(-1)).toMatchObject({ step: 'userBind', ok: false, code: 'invalid_credentials' })
    const missing = await track(admin.post('/api/v1/ldap/test', { username: 'nobody' }))
    expect(missing.json.steps.at(-1)).toMatchObject({ step: 'search', ok: false, code: 'not_found' })
  })

  it('reports a bind failure for a wrong bind password, without echoing it', async () => {
    const res = await track(admin.post('/api/v1/ldap/test', { username: 'alice', bindPassword: 'Wrong-bind-secret-77' }))
    expect(res.status).toBe(200)
    expect(res.json.ok).toBe(false)
    expect(res.json.steps.map((s: any) => [s.step, s.ok])).toEqual([
      ['connect', true],
      ['bind', false],
    ])
    expect(res.json.steps[1].code).toBe('bind_failed')
    expect(res.text).not.toContain('Wrong-bind-secret-77')
    const audit = await lastAudit('ldap.test', slapd.url)
    expect(audit!.outcome).toBe('failure')
    expect(audit!.details).not.toContain('Wrong-bind-secret-77')
  })

  it('reports a refused connection', async () => {
    const res = await admin.post('/api/v1/ldap/test', { username: 'alice', url: 'ldap://127.0.0.1:1' })
    expect(res.json.ok).toBe(false)
    expect(res.json.steps[0]).toMatchObject({ step: 'connect', ok: false, code: 'connect' })
  })
})

describe('LDAP over TLS', () => {
  it('ldaps:// with the private CA works; without it the certificate is refused', async () => {
    const withCa = await admin.post('/api/v1/ldap/test', { username: 'alice', url: slapd.ldapsUrl, caPem: slapd.pki.caPem })
    expect(withCa.json.ok).toBe(true)
    const noCa = await admin.post('/api/v1/ldap/test', { username: 'alice', url: slapd.ldapsUrl, caPem: '' })
    expect(noCa.json.ok).toBe(false)
    expect(noCa.json.steps[0]).toMatchObject({ step: 'connect', ok: false, code: 'tls' })
    const otherCa = await admin.post('/api/v1/ldap/test', { username: 'alice', url: slapd.ldapsUrl, caPem: slapd.pki.otherCaPem })
    expect(otherCa.json.steps[0]).toMatchObject({ ok: false, code: 'tls' })
  })

  it('StartTLS with the private CA works; with another CA it fails at the StartTLS step', async () => {
    const ok = await admin.post('/api/v1/ldap/test', { username: 'alice', startTls: true, caPem: slapd.pki.caPem })
    expect(ok.json.ok, ok.text).toBe(true)
    expect(ok.json.steps.map((s: any) => s.step)).toEqual(['connect', 'starttls', 'bind', 'search', 'groups'])
    const bad = await admin.post('/api/v1/ldap/test', { username: 'alice', startTls: true, caPem: slapd.pki.otherCaPem })
    expect(bad.json.ok).toBe(false)
    expect(bad.json.steps.find((s: any) => !s.ok)).toMatchObject({ step: 'starttls', code: 'tls' })
  })

  it('signs in over ldaps:// and over StartTLS', async () => {
    expect((await admin.patch('/api/v1/ldap/settings', { url: slapd.ldapsUrl, caPem: slapd.pki.caPem })).status).toBe(200)
    expect((await login('bob', PEOPLE.bob.password)).res.status).toBe(200)
    expect((await admin.patch('/api/v1/ldap/settings', { url: slapd.url, startTls: true })).status).toBe(200)
    expect((await login('bob', PEOPLE.bob.password)).res.status).toBe(200)
    // The wrong CA: the directory cannot be reached safely, so directory users get a 503.
    await admin.patch('/api/v1/ldap/settings', { caPem: slapd.pki.otherCaPem })
    const refused = await login('bob', PEOPLE.bob.password)
    expect(refused.res.status).toBe(503)
    await admin.patch('/api/v1/ldap/settings', { startTls: false, caPem: '' })
  })
})

describe('the bind password', () => {
  it('appears in no API answer', async () => {
    seen.push((await admin.get('/api/v1/ldap/settings')).text)
    seen.push((await admin.get('/api/v1/audit?limit=200')).text)
    seen.push((await admin.get('/api/v1/users')).text)
    for (const body of seen) expect(body).not.toContain(BIND_PASSWORD)
    expect(seen.length).toBeGreaterThan(8)
  })
})

describe('a directory that went away', () => {
  it('local accounts still sign in; directory users get a clear 503', async () => {
    await slapd.stop()
    const { res } = await login('alice', PEOPLE.alice.password)
    expect(res.status).toBe(503)
    expect(res.json.error.code).toBe('ldap_unavailable')
    expect(res.json.error.message).toMatch(/directory server cannot be reached/)
    expect(JSON.parse((await lastAudit('auth.login', 'alice'))!.details).reason).toMatch(/^directory unavailable \(connect\)/)
    expect((await login('admin', ADMIN_PASSWORD)).res.status).toBe(200)
    expect((await login('lena', moat.password)).res.status).toBe(200)
    const test = await admin.post('/api/v1/ldap/test', { username: 'alice' })
    expect(test.json.steps[0]).toMatchObject({ step: 'connect', ok: false, code: 'connect' })
  })
})
