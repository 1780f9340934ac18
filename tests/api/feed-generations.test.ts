import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// Built-in feeds are rebuilt only when a write touched what they list (repos/generation.ts): an
// analyst submitting domains leaves the IP and hash feeds' cached bodies alone, while every
// change that can touch any feed (allowlist, import, MISP) still rebuilds them all.

let moat: TestMoat
let ana: Client
let admin: Client

async function feed(path: string) {
  const res = await fetch(moat.base + path, { headers: { 'accept-encoding': 'identity' } })
  expect(res.status).toBe(200)
  return { text: await res.text(), built: res.headers.get('x-moat-built') ?? '', etag: res.headers.get('etag') }
}

async function add(value: string) {
  const res = await ana.post('/api/v1/iocs', { value, confirm: true, ticket: 'GEN-1' })
  expect(res.status, res.text).toBe(201)
  return res.json.ioc.id as number
}

/** Builds stamped in the same millisecond would look alike: make the next build's stamp differ. */
const tick = () => new Promise((r) => setTimeout(r, 5))

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('ana', 'analyst')
  await moat.addUser('boss', 'admin')
  ana = new Client(moat.base)
  admin = new Client(moat.base)
  await ana.login('ana', moat.password)
  await admin.login('boss', moat.password)
  await add('198.51.100.77')
  await add('gen-one.badzone.xyz')
  await add('aaaa8cd98f00b204e9800998ecf8427f')
})
afterAll(() => moat.close())

describe('feed cache generations', () => {
  it('a domain write rebuilds the domain feeds and Check Point "all", not the IP or hash feeds', async () => {
    const ip = await feed('/feed/pa/ip')
    const hash = await feed('/feed/hash')
    const domain = await feed('/feed/pa/domain')
    const all = await feed('/feed/cp/all')
    expect(ip.text).toContain('198.51.100.77')
    await tick()
    await add('gen-two.badzone.xyz')

    const domainAfter = await feed('/feed/pa/domain')
    expect(domainAfter.text).toContain('gen-two.badzone.xyz')
    expect(domainAfter.built).not.toBe(domain.built)
    const allAfter = await feed('/feed/cp/all')
    expect(allAfter.text).toContain('gen-two.badzone.xyz')
    expect(allAfter.built).not.toBe(all.built)
    // Same body, served from the cache without a rebuild.
    expect((await feed('/feed/pa/ip')).built).toBe(ip.built)
    expect((await feed('/feed/hash')).built).toBe(hash.built)
  })

  it('an IP write, edit, exclusion and delete each show in the IP feed at once', async () => {
    const domain = await feed('/feed/pa/domain')
    await tick()
    const id = await add('203.0.113.99')
    expect((await feed('/feed/pa/ip')).text).toContain('203.0.113.99')
    expect((await ana.post(`/api/v1/iocs/${id}/exclude`, { reason: 'false positive' })).status).toBe(200)
    expect((await feed('/feed/pa/ip')).text).not.toContain('203.0.113.99')
    expect((await ana.post(`/api/v1/iocs/${id}/unexclude`, {})).status).toBe(200)
    expect((await feed('/feed/pa/ip')).text).toContain('203.0.113.99')
    expect((await ana.del(`/api/v1/iocs/${id}`)).status).toBe(204)
    expect((await feed('/feed/pa/ip')).text).not.toContain('203.0.113.99')
    expect((await feed('/feed/pa/domain')).built).toBe(domain.built)
  })

  it('an allowlist entry rebuilds every feed', async () => {
    const ip = await feed('/feed/pa/ip')
    const domain = await feed('/feed/pa/domain')
    await tick()
    const res = await admin.post('/api/v1/allowlist', { kind: 'suffix', value: 'badzone.xyz', reason: 'partner' })
    expect(res.status, res.text).toBe(201)
    const domainAfter = await feed('/feed/pa/domain')
    expect(domainAfter.text).not.toContain('badzone.xyz')
    expect((await feed('/feed/pa/ip')).built).not.toBe(ip.built)
    expect(domainAfter.built).not.toBe(domain.built)
  })
})
