// The authorization matrix (issue 10): every route the app registers, read from the router itself,
// has a declared access level below, and each level is enforced for every route that has it:
// sessions of lower roles get 403, tokens act within their scope, cookie writes need the CSRF
// header. A route added without a line here fails the first test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../functions/app'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

type Access = 'public' | 'feed' | 'viewer' | 'analyst' | 'admin'

/**
 * Who may call each route. `viewer`: any signed-in user (the handler may still limit it to the
 * caller's own records); `analyst`: analysts and admins (ownership checked in the handler);
 * `admin`: admins only; `feed`: public or a feed consumer token, per feeds.access; `public`: anyone.
 */
const ACCESS: Record<Access, string[]> = {
  public: ['GET /health', 'POST /api/v1/auth/login'],
  feed: [
    'GET /feed/*', 'GET /feed/custom/:slug', 'GET /feed/stix', 'GET /feed/stix/:type', 'GET /taxii2', 'GET /taxii2/:root', 'GET /taxii2/:root/collections',
    'GET /taxii2/:root/collections/:collection', 'GET /taxii2/:root/collections/:collection/manifest',
    'GET /taxii2/:root/collections/:collection/objects', 'GET /taxii2/:root/collections/:collection/objects/:object',
    'GET /taxii2/:root/collections/:collection/objects/:object/versions', 'GET /taxii2/:root/status/:status',
    'POST /taxii/collections', 'POST /taxii/discovery', 'POST /taxii/poll',
  ],
  viewer: [
    'GET /api/v1/allowlist', 'GET /api/v1/auth/me', 'PATCH /api/v1/auth/me', 'POST /api/v1/auth/me/avatar', 'DELETE /api/v1/auth/me/avatar',
    'POST /api/v1/auth/password', 'POST /api/v1/auth/logout', 'GET /api/v1/settings/submission', 'GET /api/v1/campaigns', 'GET /api/v1/campaigns/:id',
    'GET /api/v1/campaigns/:id/export.csv', 'GET /api/v1/champs', 'GET /api/v1/champs/config', 'GET /api/v1/champs/goals',
    'GET /api/v1/champs/spotlight/:userId', 'GET /api/v1/champs/ticker', 'GET /api/v1/champs/velocity', 'GET /api/v1/export/stix',
    'GET /api/v1/feed-catalogue', 'GET /api/v1/geoip', 'GET /api/v1/graph', 'GET /api/v1/graph/export.csv', 'GET /api/v1/imports', 'GET /api/v1/imports/:id', 'GET /api/v1/imports/:id/rows',
    'GET /api/v1/iocs', 'GET /api/v1/iocs/:id', 'GET /api/v1/iocs/:id/history', 'GET /api/v1/iocs/export', 'POST /api/v1/iocs/parse',
    'GET /api/v1/notes', 'GET /api/v1/openapi.json', 'GET /api/v1/reports', 'GET /api/v1/stats/live', 'GET /api/v1/tokens',
    'POST /api/v1/tokens', 'DELETE /api/v1/tokens/:id', 'GET /api/v1/users/:id/avatar', 'GET /api/v1/warninglists', 'GET /api/v1/yara',
    'GET /api/v1/yara/:id', 'GET /api/v1/yara/:id/download', 'GET /api/v1/yara/:id/history', 'GET /api/v1/yara/settings',
    'POST /api/v1/yara/scan', 'POST /api/v1/yara/validate',
    'GET /api/v1/pulse', 'GET /api/v1/pulse/incoming', 'GET /api/v1/pulse/outgoing', 'GET /api/v1/pulse/anomalies', 'GET /api/v1/pulse/exclusions',
    'GET /api/v1/pulse/feeds', 'GET /api/v1/pulse/consumers', 'GET /api/v1/playbook',
  ],
  analyst: [
    'POST /api/v1/campaigns', 'PATCH /api/v1/campaigns/:id', 'POST /api/v1/campaigns/:id/iocs', 'DELETE /api/v1/campaigns/:id/iocs/:iocId',
    'POST /api/v1/imports', 'PATCH /api/v1/imports/:id', 'DELETE /api/v1/imports/:id', 'POST /api/v1/imports/:id/commit',
    'POST /api/v1/imports/:id/select', 'PATCH /api/v1/imports/:id/rows/:idx', 'POST /api/v1/iocs', 'PATCH /api/v1/iocs/:id',
    'DELETE /api/v1/iocs/:id', 'POST /api/v1/iocs/:id/exclude', 'POST /api/v1/iocs/:id/unexclude', 'POST /api/v1/notes',
    'POST /api/v1/yara', 'PATCH /api/v1/yara/:id', 'DELETE /api/v1/yara/:id', 'POST /api/v1/yara/:id/approve', 'POST /api/v1/yara/:id/reject',
  ],
  admin: [
    'POST /api/v1/allowlist', 'DELETE /api/v1/allowlist/:id', 'GET /api/v1/audit', 'GET /api/v1/audit/:id', 'GET /api/v1/audit/export.csv',
    'GET /api/v1/audit/settings', 'PATCH /api/v1/audit/settings', 'POST /api/v1/audit/syslog/test', 'DELETE /api/v1/campaigns/:id',
    'PATCH /api/v1/champs/config', 'POST /api/v1/champs/goals', 'DELETE /api/v1/champs/goals/:id', 'PATCH /api/v1/feed-catalogue/settings',
    'GET /api/v1/feed-consumers', 'POST /api/v1/feed-consumers', 'PATCH /api/v1/feed-consumers/:id', 'DELETE /api/v1/feed-consumers/:id',
    'POST /api/v1/feed-consumers/:id/rotate', 'GET /api/v1/custom-feeds', 'POST /api/v1/custom-feeds', 'POST /api/v1/custom-feeds/preview',
    'GET /api/v1/custom-feeds/:id', 'PATCH /api/v1/custom-feeds/:id', 'DELETE /api/v1/custom-feeds/:id', 'POST /api/v1/geoip', 'DELETE /api/v1/geoip', 'GET /api/v1/misp/runs', 'GET /api/v1/misp/settings',
    'PATCH /api/v1/misp/settings', 'POST /api/v1/misp/pull', 'POST /api/v1/misp/test', 'GET /api/v1/users', 'POST /api/v1/users',
    'GET /api/v1/users/:id', 'PATCH /api/v1/users/:id', 'POST /api/v1/users/:id/reset-password', 'DELETE /api/v1/users/:id/avatar',
    'POST /api/v1/warninglists', 'PATCH /api/v1/warninglists/:id', 'DELETE /api/v1/warninglists/:id', 'PATCH /api/v1/yara/settings',
    'GET /api/v1/admin/tls', 'POST /api/v1/admin/tls',
    'GET /api/v1/admin/backups', 'PATCH /api/v1/admin/backups/settings', 'POST /api/v1/admin/backups', 'GET /api/v1/admin/backups/:name/download',
    'GET /api/v1/admin/backups/:name/check', 'DELETE /api/v1/admin/backups/:name',
    'GET /api/v1/ldap/settings', 'PATCH /api/v1/ldap/settings', 'POST /api/v1/ldap/test', 'GET /api/v1/settings/defaults', 'PATCH /api/v1/settings/defaults',
    'POST /api/v1/playbook', 'POST /api/v1/playbook/order', 'PATCH /api/v1/playbook/:id', 'DELETE /api/v1/playbook/:id',
  ],
}

const LEVEL: Record<Access, number> = { public: -2, feed: -1, viewer: 0, analyst: 1, admin: 2 }
const accessOf = new Map(Object.entries(ACCESS).flatMap(([access, routes]) => routes.map((r) => [r, access as Access])))

const appRoutes = () => [
  ...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/\/$/, '') || '/'}`)),
]

/** Every route at or above a level, as [method, concrete path]; logout last (it ends the session). */
function routesFrom(min: Access, methods?: (m: string) => boolean) {
  return [...accessOf]
    .filter(([r, a]) => LEVEL[a] >= LEVEL[min] && (!methods || methods(r.split(' ')[0])))
    .map(([r]) => r)
    .sort((a, b) => Number(a.includes('logout')) - Number(b.includes('logout')))
    .map((r) => {
      const [method, p] = r.split(' ')
      return [r, method, p.replace(/:(\w+)/g, '1')] as const
    })
}

const isWrite = (m: string) => m !== 'GET'

let moat: TestMoat
const tokens: Record<'read' | 'write' | 'admin', string> = { read: '', write: '', admin: '' }
beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('vic', 'viewer')
  await moat.addUser('ana', 'analyst')
  await moat.addUser('ben', 'analyst')
  await moat.addUser('adm', 'admin')
  const adm = await signIn('adm')
  for (const scope of ['read', 'write', 'admin'] as const) {
    const res = await adm.post('/api/v1/tokens', { name: `matrix ${scope}`, scopes: [scope] })
    expect(res.status).toBe(201)
    tokens[scope] = res.json.secret
  }
})
afterAll(() => moat.close())

async function signIn(username: string) {
  const c = new Client(moat.base)
  await c.login(username, moat.password)
  return c
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` })

describe('authorization matrix', () => {
  it('declares an access level for exactly the routes the app registers', () => {
    const declared = [...accessOf.keys()].sort()
    expect(new Set(declared).size, 'a route is declared twice').toBe(declared.length)
    expect(declared).toEqual(appRoutes().sort())
  })

  it('refuses a viewer session every analyst and admin route with 403', async () => {
    const vic = await signIn('vic')
    const wrong: string[] = []
    for (const [route, method, p] of routesFrom('analyst')) {
      const res = await vic.request(method, p, isWrite(method) ? {} : undefined)
      if (res.status !== 403 || res.json?.error?.code !== 'forbidden') wrong.push(`${route}: ${res.status} ${res.json?.error?.code}`)
    }
    expect(wrong).toEqual([])
  })

  it('refuses an analyst session every admin route with 403', async () => {
    const ana = await signIn('ana')
    const wrong: string[] = []
    for (const [route, method, p] of routesFrom('admin')) {
      const res = await ana.request(method, p, isWrite(method) ? {} : undefined)
      if (res.status !== 403 || res.json?.error?.code !== 'forbidden') wrong.push(`${route}: ${res.status} ${res.json?.error?.code}`)
    }
    expect(wrong).toEqual([])
  })

  it('lets a session through the role checks of its own level (no 401/403 for what the role may do)', async () => {
    const checks: [string, Access][] = [['vic', 'viewer'], ['ana', 'analyst'], ['adm', 'admin']]
    const wrong: string[] = []
    for (const [user, level] of checks) {
      const c = await signIn(user)
      // Reads only: writes with an empty body would change state or end the session.
      for (const [route, method, p] of routesFrom('viewer', (m) => m === 'GET')) {
        if (LEVEL[accessOf.get(route)!] > LEVEL[level]) continue
        const res = await c.request(method, p)
        if (res.status === 401 || res.status === 403) wrong.push(`${user} ${route}: ${res.status} ${res.json?.error?.code}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('requires the CSRF header, matching the cookie, on every cookie-authenticated write', async () => {
    const adm = await signIn('adm')
    const wrong: string[] = []
    for (const [route, method, p] of routesFrom('viewer', isWrite)) {
      for (const header of [{}, { 'x-csrf-token': 'not-the-cookie-value' }]) {
        const res = await adm.request(method, p, {}, { 'x-csrf-token': '', ...header })
        if (res.status !== 403 || res.json?.error?.code !== 'csrf_failed') wrong.push(`${route}: ${res.status} ${res.json?.error?.code}`)
      }
    }
    expect(wrong).toEqual([])
    // The session itself still works with the header.
    expect((await adm.get('/api/v1/auth/me')).status).toBe(200)
  })

  it('keeps a read-scope token to reads: every write answers 403', async () => {
    const wrong: string[] = []
    for (const [route, method, p] of routesFrom('viewer', isWrite)) {
      const res = await new Client(moat.base).request(method, p, {}, bearer(tokens.read))
      const code = res.json?.error?.code
      if (res.status !== 403 || !['insufficient_scope', 'session_required'].includes(code)) wrong.push(`${route}: ${res.status} ${code}`)
    }
    expect(wrong).toEqual([])
  })

  it('keeps a write-scope token (of an admin) out of every admin route', async () => {
    const wrong: string[] = []
    for (const [route, method, p] of routesFrom('admin')) {
      const res = await new Client(moat.base).request(method, p, isWrite(method) ? {} : undefined, bearer(tokens.write))
      if (res.status !== 403 || res.json?.error?.code !== 'insufficient_scope') wrong.push(`${route}: ${res.status} ${res.json?.error?.code}`)
    }
    expect(wrong).toEqual([])
  })

  it('lets an admin-scope token read admin routes, and audits each admin use', async () => {
    const wrong: string[] = []
    const admin = routesFrom('admin', (m) => m === 'GET')
    for (const [route, method, p] of admin) {
      const res = await new Client(moat.base).request(method, p, undefined, bearer(tokens.admin))
      if (res.status === 401 || res.status === 403) wrong.push(`${route}: ${res.status} ${res.json?.error?.code}`)
    }
    expect(wrong).toEqual([])
    const uses = await moat.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'token.admin_use'").first<{ n: number }>()
    expect(uses!.n).toBeGreaterThanOrEqual(admin.length)
  })

  it('refuses tokens on the routes that need a person at a browser', async () => {
    for (const p of ['/api/v1/auth/password', '/api/v1/auth/logout', '/api/v1/tokens']) {
      const res = await new Client(moat.base).post(p, {}, bearer(tokens.admin))
      expect([res.status, res.json?.error?.code], p).toEqual([403, 'session_required'])
    }
  })
})

describe("analysts and other analysts' records", () => {
  it("refuses an analyst another analyst's IOC edits and import batch; an admin may edit the IOC", async () => {
    const ana = await signIn('ana')
    const ben = await signIn('ben')
    const ioc = await ana.post('/api/v1/iocs', { value: 'owned-by-ana.badnet.top' })
    expect(ioc.status).toBe(201)
    const id = ioc.json.ioc.id
    for (const [method, p, body] of [
      ['PATCH', `/api/v1/iocs/${id}`, { comment: 'ben was here' }],
      ['DELETE', `/api/v1/iocs/${id}`, undefined],
    ] as const) {
      const res = await ben.request(method, p, body)
      expect(res.status, `${method} ${p}`).toBe(403)
    }
    expect((await ana.get(`/api/v1/iocs/${id}`)).json.ioc).toMatchObject({ comment: '', deletedAt: null })
    // Excluding is the one change any analyst may make (a false positive in a feed is urgent); it is in the history.
    expect((await ben.post(`/api/v1/iocs/${id}/exclude`, { reason: 'blocks our CDN' })).status).toBe(200)
    const history = (await ana.get(`/api/v1/iocs/${id}/history`)).json.items
    expect(history.at(-1)).toMatchObject({ event: 'excluded', actor: 'ben' })
    const adm = await signIn('adm')
    expect((await adm.patch(`/api/v1/iocs/${id}`, { comment: 'admin note' })).status).toBe(200)

    const staged = await ana.post('/api/v1/imports', { text: 'staged-by-ana.badnet.top', format: 'txt' })
    expect(staged.status).toBe(201)
    for (const [method, p] of [
      ['GET', `/api/v1/imports/${staged.json.id}`],
      ['POST', `/api/v1/imports/${staged.json.id}/commit`],
      ['DELETE', `/api/v1/imports/${staged.json.id}`],
    ] as const) {
      const res = await ben.request(method, p, method === 'POST' ? {} : undefined)
      expect([403, 404], `${method} ${p}`).toContain(res.status)
    }
    expect((await ana.get(`/api/v1/imports/${staged.json.id}`)).json.batch.status).toBe('staged')
  })
})
