import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../functions/app'
import { FEEDS } from '../../functions/domain/feed-catalogue'
import { buildOpenApi, OPERATIONS } from '../../functions/routes/openapi'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
beforeAll(async () => {
  moat = await startMoat()
})
afterAll(() => moat.close())

/** Routes anyone may call; everything else under /api must answer 401 without credentials. */
const PUBLIC = new Set(['GET /health', 'POST /api/v1/auth/login', 'GET /feed/*'])
/** Feed-like routes (feeds, STIX bundles, TAXII): public or feed-token per feeds.access, never a session. */
const FEED_LIKE = /^(GET|POST) \/(feed|taxii2?)(\/|$)/

const appRoutes = () => [
  ...new Set(
    app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/\/$/, '') || '/'}`),
  ),
]

describe('route table', () => {
  it('requires authentication on every route except health and login', async () => {
    const routes = appRoutes()
    expect(routes.length).toBeGreaterThan(8)
    for (const route of routes) {
      const [method, p] = route.split(' ')
      const res = await fetch(moat.base + p.replace(/:(\w+)/g, '1'), {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      }).catch((err) => {
        throw new Error(`${route}: ${err.cause ?? err}`)
      })
      if (PUBLIC.has(route) || FEED_LIKE.test(route)) expect(res.status, route).not.toBe(401)
      else {
        expect(res.status, route).toBe(401)
        expect(((await res.json()) as any).error.code, route).toBe('unauthorized')
      }
    }
  })

  it('documents exactly the routes the app serves in the OpenAPI document', async () => {
    const documented = [...new Set(OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path.replace(/\{(\w+)\}/g, ':$1').replace(/(.)\/$/, '$1')}`))].sort()
    expect(documented).toEqual(appRoutes().filter((r) => r !== 'GET /feed/*').sort())
    const doc = buildOpenApi('test')
    for (const feed of FEEDS.keys()) expect(doc.paths[feed]?.get, feed).toBeTruthy()
  })

  it('serves the OpenAPI document to signed-in users', async () => {
    await moat.addUser('olga', 'viewer')
    const c = new Client(moat.base)
    await c.login('olga', moat.password)
    const res = await c.get('/api/v1/openapi.json')
    expect(res.status).toBe(200)
    expect(res.json.openapi).toBe('3.1.0')
    expect(res.json.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual([
      'username',
      'password',
    ])
  })

  it('keeps keep-alive connections usable after early error answers to requests with bodies', async () => {
    const failures: string[] = []
    for (let i = 0; i < 200; i++) {
      const p = ['/api/v1/iocs', '/api/v1/auth/logout', '/api/v1/campaigns/1', '/api/v1/no-route'][i % 4]
      try {
        const res = await fetch(moat.base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })
        await res.text()
      } catch (err) {
        failures.push(`${p}: ${(err as Error).cause ?? err}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('answers unknown API paths with a JSON 404, never the UI page', async () => {
    const res = await fetch(moat.base + '/api/v1/no-such-thing')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(((await res.json()) as any).error.code).toBe('not_found')
  })

  it('serves the UI with a strict CSP and falls back to index.html for client routes', async () => {
    const root = await fetch(moat.base + '/')
    expect(root.status).toBe(200)
    const csp = root.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(root.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await root.text()
    for (const page of ['/profile', '/feeds', '/admin/feed-consumers', '/search?q=x']) {
      const deep = await fetch(moat.base + page, { headers: { accept: 'text/html' } })
      expect(deep.status, page).toBe(200)
      expect(await deep.text(), page).toBe(html)
    }
  })
})

describe('roles', () => {
  it('lets admins read the audit log and refuses analysts and viewers with 403', async () => {
    await moat.addUser('root2', 'admin')
    await moat.addUser('ana', 'analyst')
    await moat.addUser('vic', 'viewer')
    for (const [name, status] of [
      ['root2', 200],
      ['ana', 403],
      ['vic', 403],
    ] as const) {
      const c = new Client(moat.base)
      await c.login(name, moat.password)
      const res = await c.get('/api/v1/audit?limit=5')
      expect(res.status, name).toBe(status)
      if (status === 403) expect(res.json.error.code).toBe('forbidden')
      else expect(res.json.items.length).toBeGreaterThan(0)
    }
  })

  it('validates audit query parameters and names the field', async () => {
    const c = new Client(moat.base)
    await c.login('root2', moat.password)
    const res = await c.get('/api/v1/audit?limit=0')
    expect(res.status).toBe(400)
    expect(res.json.error.details.fields[0]).toMatchObject({ field: 'limit', code: 'too_small' })
  })
})
