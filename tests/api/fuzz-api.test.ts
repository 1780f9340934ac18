// HTTP API fuzzing (issue 10): every route the app registers gets seeded random JSON bodies (and
// GET routes random query strings), sent by a signed-in admin with a valid CSRF header so the
// requests reach validation and the handlers. The promise: never a 5xx, whatever arrives.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../functions/app'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

const SEED = 20261124
const CASES_PER_ROUTE = Number(process.env.FUZZ_CASES ?? 24)

/** Field names the API uses, so random objects often get past the first check into the handler. */
const FIELDS = [
  'value', 'type', 'ttl', 'expiresAt', 'ticket', 'comment', 'campaign', 'tags', 'confirm', 'name', 'description', 'username',
  'displayName', 'email', 'password', 'role', 'active', 'scopes', 'url', 'apiKey', 'text', 'format', 'reason', 'selected',
  'statuses', 'exclude', 'enabled', 'kind', 'iocIds', 'q', 'limit', 'cursor', 'status', 'content', 'filename', 'method', 'target',
  'metric', 'from', 'to', 'period', 'language', 'theme', 'host', 'port', 'protocol', 'settings', 'access', 'feeds', 'idx', 'allowlisted',
]
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '1', '-1', '0', 'true', 'null', '../../etc/passwd', '<script>alert(1)</script>', '=cmd|/c calc', "' OR 1=1 --", '1e309', '\u0000', 'x'.repeat(5000)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -0, 2 ** 53 + 1),
)
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...FIELDS), tie('v'), { maxKeys: 4 })),
})).v
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 3 }),
  value,
)
const query = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.constantFrom('', '-1', '99999999999999999999', '%', '[]')), { maxKeys: 4 })

/** Writes that would end the admin's own session (they are covered by their own tests). */
const SKIP = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/password'])
const ID = fc.oneof(fc.constantFrom('1', '2', '0', '-1', '99999999999', 'abc', '1.5', '%2e%2e', 'null'), fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent))

let moat: TestMoat
let admin: Client
beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('fuzz', 'admin')
  admin = new Client(moat.base)
  await admin.login('fuzz', moat.password)
  // Something for the ids to hit.
  await admin.post('/api/v1/iocs', { value: 'fuzz-target.badnet.top', campaign: 'Fuzz' })
})
afterAll(() => moat.close())

describe('fuzz: the HTTP API', () => {
  it(`answers ${CASES_PER_ROUTE} random requests per route without a single 5xx`, async () => {
    const routes = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].filter((r) => !SKIP.has(r)).sort()
    const failures: string[] = []
    let sent = 0
    let resets = 0
    for (const [i, route] of routes.entries()) {
      const [method, pattern] = route.split(' ')
      const ids = fc.sample(ID, { seed: SEED + i, numRuns: CASES_PER_ROUTE })
      const bodies = fc.sample(body, { seed: SEED + i, numRuns: CASES_PER_ROUTE })
      const queries = fc.sample(query, { seed: SEED + i, numRuns: CASES_PER_ROUTE })
      for (let k = 0; k < CASES_PER_ROUTE; k++) {
        const p = pattern.replace(/:(\w+)/g, () => ids[k]).replace('/*', `/${ids[k]}`)
        const qs = new URLSearchParams(queries[k] as Record<string, string>).toString()
        const url = method === 'GET' ? `${p}${qs ? `?${qs}` : ''}` : p
        const payload = method === 'GET' ? undefined : JSON.stringify(bodies[k])
        const what = `${method} ${url} ${payload?.slice(0, 200) ?? ''}`
        const send = async () => {
          try {
            return await admin.request(method, url, payload, method === 'GET' ? {} : { 'content-type': 'application/json' })
          } catch (err) {
            // A kept-alive connection the server closed just as the client reused it: the request
            // never reached a handler. Sent again once on a new connection; a second failure counts.
            resets++
            await new Promise((r) => setTimeout(r, 50))
            return admin.request(method, url, payload, { 'content-type': 'application/json', connection: 'close' })
          }
        }
        try {
          let res = await send()
          if (res.status === 401) {
            // A random write may legitimately end this session (e.g. a profile change); sign in again.
            await admin.login('fuzz', moat.password)
            res = await admin.request(method, url, payload, method === 'GET' ? {} : { 'content-type': 'application/json' })
          }
          sent++
          if (res.status >= 500) failures.push(`${what} -> ${res.status} ${res.text.slice(0, 200)}`)
        } catch (err) {
          failures.push(`${what} -> ${String((err as Error).cause ?? err)}`)
        }
      }
    }
    console.log(`fuzz-api: ${sent} requests over ${routes.length} routes, ${failures.length} answered 5xx or failed twice, ${resets} sent again after a connection reset`)
    expect(failures).toEqual([])
    // Still healthy afterwards.
    expect((await fetch(`${moat.base}/health`)).status).toBe(200)
  }, 600_000)
})
