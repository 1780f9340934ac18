import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fireScheduled } from '../../bin/scheduler'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// Request shapes are taxii2-client's (oasis-open/cti-taxii-client v21): every GET sends
// `Accept: application/taxii+json;version=2.1`, URLs end in `/`, filters go as `match[...]`,
// `added_after`, `limit` and `next`, and a response is refused unless its Content-Type carries
// application/taxii+json and version=2.1.
const MEDIA = 'application/taxii+json;version=2.1'
const ROOT = '/taxii2/moat/'
const ALL = 'c8cc1bab-46d3-5fc7-a164-76854512b041'
const IP = 'bfb04424-1196-5f4c-8a65-05ea4551d682'
const DOMAIN = 'a291d347-442d-5803-ab87-646642d2442f'
const ID = /^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let moat: TestMoat
let admin: Client
let ana: Client

async function taxii(path: string, opts: { accept?: string | null; auth?: string; method?: string; body?: string; contentType?: string } = {}) {
  const headers: Record<string, string> = { 'user-agent': 'taxii2-client/2.3.0' }
  if (opts.accept !== null) headers.accept = opts.accept ?? MEDIA
  if (opts.auth) headers.authorization = opts.auth
  if (opts.contentType) headers['content-type'] = opts.contentType
  const res = await fetch(moat.base + path, { method: opts.method ?? 'GET', headers, body: opts.body })
  const text = await res.text()
  const ct = res.headers.get('content-type') ?? ''
  // taxii2-client's valid_content_type().
  const tokens = ct.replace(/ /g, '').split(';')
  const clientAccepts = tokens[0] === 'application/taxii+json' && MEDIA.split(';').every((t) => tokens.includes(t))
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined, clientAccepts }
}

async function add(value: string, extra: Record<string, unknown> = {}) {
  const res = await ana.post('/api/v1/iocs', { value, confirm: true, ...extra })
  expect(res.status, `${value}: ${res.text}`).toBe(201)
  return res.json.ioc as { id: number; value: string; type: string }
}

const objectsOf = (pages: any[]) => pages.flatMap((p) => p.json.objects ?? [])

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
})
afterAll(() => moat.close())

describe('discovery, API root, collections', () => {
  it('answers discovery with relative API roots (never from the Host header) and the exact media type', async () => {
    const res = await fetch(moat.base + '/taxii2/', { headers: { accept: MEDIA, host: 'evil.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(MEDIA)
    const body = (await res.json()) as any
    expect(body.title).toBeTruthy()
    expect(body.api_roots).toEqual(['/taxii2/moat/', '/taxii2/ziochub/'])
    expect(body.default).toBe('/taxii2/moat/')
    expect(JSON.stringify(body)).not.toContain('evil.example')
  })

  it('uses the configured public URL for absolute addresses', async () => {
    const set = await admin.patch('/api/v1/feed-catalogue/settings', { publicUrl: 'https://moat.soc.example/' })
    expect(set.status, set.text).toBe(200)
    const res = await taxii('/taxii2')
    expect(res.json.api_roots[0]).toBe('https://moat.soc.example/taxii2/moat/')
    const bad = await admin.patch('/api/v1/feed-catalogue/settings', { publicUrl: 'ftp://x' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('publicUrl')
    await admin.patch('/api/v1/feed-catalogue/settings', { publicUrl: '' })
  })

  it('describes the API root and lists one collection per IOC type plus all, read-only', async () => {
    const root = await taxii(ROOT)
    expect(root.json).toMatchObject({ versions: [MEDIA], max_content_length: 0 })
    const cols = await taxii(`${ROOT}collections/`)
    expect(cols.clientAccepts).toBe(true)
    const aliases = cols.json.collections.map((c: any) => c.alias)
    expect(aliases).toEqual(['all', 'ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'])
    for (const c of cols.json.collections) {
      expect(c).toMatchObject({ can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] })
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
    const one = await taxii(`${ROOT}collections/${IP}/`)
    expect(one.json).toMatchObject({ id: IP, alias: 'ip', can_read: true, can_write: false })
    expect((await taxii(`${ROOT}collections/${IP}`)).status).toBe(200)
  })

  it('keeps ZIoCHub’s API root with its single `indicators` collection', async () => {
    const cols = await taxii('/taxii2/ziochub/collections/')
    expect(cols.json.collections.map((c: any) => c.id)).toEqual(['indicators'])
    expect((await taxii('/taxii2/ziochub/collections/indicators/objects/')).status).toBe(200)
  })

  it('answers unknown roots, collections and paths with TAXII error messages', async () => {
    for (const p of ['/taxii2/nope/', `${ROOT}collections/0000/`, `${ROOT}collections/${IP}/objects/indicator--x/`, '/taxii2/moat/status/abc/', '/taxii2/moat/whatever/']) {
      const res = await taxii(p)
      expect(res.status, p).toBe(404)
      expect(res.headers.get('content-type'), p).toBe(MEDIA)
      expect(res.json, p).toMatchObject({ title: expect.any(String), http_status: '404' })
    }
  })
})

describe('media types', () => {
  it('refuses an Accept that allows neither TAXII 2.1 nor */* with 406, on every endpoint', async () => {
    for (const p of ['/taxii2/', ROOT, `${ROOT}collections/`, `${ROOT}collections/${IP}/`, `${ROOT}collections/${IP}/objects/`, `${ROOT}collections/${IP}/manifest/`]) {
      for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'text/html']) {
        const res = await taxii(p, { accept })
        expect(res.status, `${p} ${accept}`).toBe(406)
        expect(res.headers.get('content-type')).toBe(MEDIA)
        expect(res.json.http_status).toBe('406')
      }
    }
    for (const accept of [null, '*/*', 'application/taxii+json', 'application/json, application/taxii+json;version=2.1']) {
      expect((await taxii(`${ROOT}collections/`, { accept })).status, String(accept)).toBe(200)
    }
  })

  it('refuses writes: 415 for a wrong Content-Type, else 403 (can_write false), 405 elsewhere', async () => {
    const post = (contentType: string) => taxii(`${ROOT}collections/${IP}/objects/`, { method: 'POST', contentType, body: '{"objects":[]}' })
    expect((await post('application/json')).status).toBe(415)
    const forbidden = await post(MEDIA)
    expect(forbidden.status).toBe(403)
    expect(forbidden.json.title).toBe('Forbidden')
    expect((await taxii(`${ROOT}collections/`, { method: 'POST', contentType: MEDIA, body: '{}' })).status).toBe(405)
  })
})

describe('objects', () => {
  const made: Record<string, { id: number; value: string }> = {}
  beforeAll(async () => {
    made.ip = await add('198.51.100.7', { comment: "C2 'stage 2'", ticket: 'INC-1001', tags: ['apt-x'], confidence: 90 })
    made.cidr = await add('198.51.100.0/24')
    made.v6 = await add('2001:db8::1')
    made.domain = await add('evil-taxii.example')
    made.url = await add("http://evil-taxii.example/a'b\\c?q=1")
    made.email = await add('bad@evil-taxii.example')
    made.sha256 = await add('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f')
  })

  it('serves each IOC as a valid STIX 2.1 indicator with the date-added headers', async () => {
    const res = await taxii(`${ROOT}collections/${IP}/objects/`)
    expect(res.status).toBe(200)
    expect(res.clientAccepts).toBe(true)
    expect(res.json.more).toBe(false)
    const objs = res.json.objects
    expect(objs.map((o: any) => o.pattern).sort()).toEqual(
      ["[ipv4-addr:value = '198.51.100.0/24']", "[ipv4-addr:value = '198.51.100.7']", "[ipv6-addr:value = '2001:db8::1']"].sort(),
    )
    const ip = objs.find((o: any) => o.pattern.includes("'198.51.100.7'"))
    expect(ip).toMatchObject({
      type: 'indicator',
      spec_version: '2.1',
      pattern_type: 'stix',
      indicator_types: ['malicious-activity'],
      description: "C2 'stage 2'",
      labels: ['apt-x'],
      confidence: 90,
      external_references: [{ source_name: 'moat-ticket', external_id: 'INC-1001' }],
    })
    expect(ip.id).toMatch(ID)
    expect(ip.created).toMatch(/\.\d{3}Z$/)
    expect(ip.valid_until > ip.valid_from).toBe(true)
    expect(ip.created_by_ref).toMatch(/^identity--/)
    expect(res.headers.get('x-taxii-date-added-first')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(res.headers.get('x-taxii-date-added-last')! >= res.headers.get('x-taxii-date-added-first')!).toBe(true)
  })

  it('escapes quotes and backslashes in pattern literals', async () => {
    const res = await taxii(`${ROOT}collections/873dfa06-0752-5919-9853-8f287c57dfd0/objects/`)
    expect(res.json.objects[0].pattern).toBe("[url:value = 'http://evil-taxii.example/a\\'b\\\\c?q=1']")
  })

  it('serves the Moat identity in the all collection only, and filters by match[type]', async () => {
    const all = await taxii(`${ROOT}collections/${ALL}/objects/`)
    const types = all.json.objects.map((o: any) => o.type)
    expect(types.filter((t: string) => t === 'identity')).toHaveLength(1)
    const identity = all.json.objects.find((o: any) => o.type === 'identity')
    expect(all.json.objects.filter((o: any) => o.type === 'indicator').every((o: any) => o.created_by_ref === identity.id)).toBe(true)
    const ids = await taxii(`${ROOT}collections/${ALL}/objects/?match[type]=identity`)
    expect(ids.json.objects.map((o: any) => o.type)).toEqual(['identity'])
    const ind = await taxii(`${ROOT}collections/${ALL}/objects/?match[type]=indicator`)
    expect(ind.json.objects.every((o: any) => o.type === 'indicator')).toBe(true)
    const none = await taxii(`${ROOT}collections/${IP}/objects/?match[type]=identity`)
    expect(none.json).toEqual({ more: false })
  })

  it('looks an object up by id, and filters by match[id] and match[spec_version]', async () => {
    const list = await taxii(`${ROOT}collections/${DOMAIN}/objects/`)
    const id = list.json.objects[0].id
    const one = await taxii(`${ROOT}collections/${DOMAIN}/objects/${id}/`)
    expect(one.status).toBe(200)
    expect(one.json.objects.map((o: any) => o.id)).toEqual([id])
    expect((await taxii(`${ROOT}collections/${IP}/objects/${id}/`)).status).toBe(404)
    const byMatch = await taxii(`${ROOT}collections/${ALL}/objects/?match[id]=${id},indicator--00000000-0000-5000-8000-000000000000`)
    expect(byMatch.json.objects.map((o: any) => o.id)).toEqual([id])
    expect((await taxii(`${ROOT}collections/${ALL}/objects/?match[spec_version]=2.0`)).json).toEqual({ more: false })
    expect((await taxii(`${ROOT}collections/${DOMAIN}/objects/?match[spec_version]=2.0,2.1`)).json.objects).toHaveLength(1)
  })

  it('lists the manifest with date_added, version and media type', async () => {
    const res = await taxii(`${ROOT}collections/${IP}/manifest/`)
    expect(res.clientAccepts).toBe(true)
    expect(res.json.objects).toHaveLength(3)
    for (const m of res.json.objects) {
      expect(m).toEqual({ id: expect.stringMatching(ID), date_added: expect.stringMatching(/\.\d{6}Z$/), version: expect.stringMatching(/\.\d{3}Z$/), media_type: 'application/stix+json;version=2.1' })
    }
  })

  it('validates limit, next and added_after with TAXII 400 errors', async () => {
    for (const q of ['limit=0', 'limit=-1', 'limit=abc', 'next=garbage', 'added_after=yesterday', 'match[version]=newest']) {
      const res = await taxii(`${ROOT}collections/${IP}/objects/?${q}`)
      expect(res.status, q).toBe(400)
      expect(res.json, q).toMatchObject({ title: 'Bad request', http_status: '400', description: expect.any(String) })
    }
  })
})

describe('pagination', () => {
  it('walks a collection page by page with limit/next: no duplicates, no gaps, stable under inserts', async () => {
    for (let i = 0; i < 23; i++) await add(`page-${i}.paging-test.example`)
    const first = await taxii(`${ROOT}collections/${DOMAIN}/objects/?limit=5`)
    expect(first.json.more).toBe(true)
    expect(first.json.objects).toHaveLength(5)
    expect(typeof first.json.next).toBe('string')
    // An insert between pages lands at the end, never shifts a page.
    await add('late-insert.paging-test.example')
    const walked = [first]
    while (walked.at(-1)!.json.more) {
      const res = await taxii(`${ROOT}collections/${DOMAIN}/objects/?limit=5&next=${encodeURIComponent(walked.at(-1)!.json.next)}`)
      expect(res.status).toBe(200)
      walked.push(res)
    }
    const ids = objectsOf(walked).map((o: any) => o.id)
    expect(new Set(ids).size).toBe(ids.length)
    const values = objectsOf(walked).map((o: any) => o.pattern)
    for (let i = 0; i < 23; i++) expect(values).toContain(`[domain-name:value = 'page-${i}.paging-test.example']`)
    expect(values).toContain("[domain-name:value = 'late-insert.paging-test.example']")
    expect(walked.at(-1)!.json.more).toBe(false)
    expect(walked.at(-1)!.json.next).toBeUndefined()
    // date_added strictly increases across the whole walk.
    const added = walked.flatMap((p) => [p.headers.get('x-taxii-date-added-first'), p.headers.get('x-taxii-date-added-last')])
    expect([...added].sort()).toEqual(added)
  })

  it('caps limit at 10000 and refuses a next reused with other filters', async () => {
    const big = await taxii(`${ROOT}collections/${DOMAIN}/objects/?limit=999999`)
    expect(big.status).toBe(200)
    expect(big.json.more).toBe(false)
    const first = await taxii(`${ROOT}collections/${DOMAIN}/objects/?limit=2`)
    const other = await taxii(`${ROOT}collections/${DOMAIN}/objects/?limit=2&match[type]=indicator&next=${first.json.next}`)
    expect(other.status).toBe(400)
    const elsewhere = await taxii(`${ROOT}collections/${ALL}/objects/?limit=2&next=${first.json.next}`)
    expect(elsewhere.status).toBe(400)
  })

  it('returns only versions added after added_after (exclusive)', async () => {
    const before = await taxii(`${ROOT}collections/${DOMAIN}/manifest/`)
    const last = before.headers.get('x-taxii-date-added-last')!
    expect((await taxii(`${ROOT}collections/${DOMAIN}/objects/?added_after=${last}`)).json).toEqual({ more: false })
    await add('after-mark.paging-test.example')
    const after = await taxii(`${ROOT}collections/${DOMAIN}/objects/?added_after=${last}`)
    expect(after.json.objects.map((o: any) => o.pattern)).toEqual(["[domain-name:value = 'after-mark.paging-test.example']"])
    expect(after.headers.get('x-taxii-date-added-first')! > last).toBe(true)
  })
})

describe('versions and revocation', () => {
  async function objectFor(collection: string, value: string) {
    const res = await taxii(`${ROOT}collections/${collection}/objects/?match[version]=all`)
    return (res.json.objects ?? []).filter((o: any) => o.pattern.includes(`'${value}'`))
  }

  it('publishes an edit as a new version with the same id and created, a later modified', async () => {
    const ioc = await add('edited.versions.example', { comment: 'first' })
    const [v1] = await objectFor(DOMAIN, 'edited.versions.example')
    const patch = await ana.patch(`/api/v1/iocs/${ioc.id}`, { comment: 'second' })
    expect(patch.status).toBe(200)
    const versions = await objectFor(DOMAIN, 'edited.versions.example')
    expect(versions).toHaveLength(2)
    expect(versions[1]).toMatchObject({ id: v1.id, created: v1.created, description: 'second' })
    expect(versions[1].modified > v1.modified).toBe(true)
    const list = await taxii(`${ROOT}collections/${DOMAIN}/objects/${v1.id}/versions/`)
    expect(list.clientAccepts).toBe(true)
    expect(list.json).toEqual({ more: false, versions: [v1.modified, versions[1].modified] })
    expect(list.headers.get('x-taxii-date-added-first')).toBeTruthy()
    const first = await taxii(`${ROOT}collections/${DOMAIN}/objects/${v1.id}/?match[version]=first`)
    expect(first.json.objects.map((o: any) => o.description)).toEqual(['first'])
    const last = await taxii(`${ROOT}collections/${DOMAIN}/objects/${v1.id}/`)
    expect(last.json.objects.map((o: any) => o.description)).toEqual(['second'])
    const at = await taxii(`${ROOT}collections/${DOMAIN}/objects/${v1.id}/?match[version]=${v1.modified}`)
    expect(at.json.objects.map((o: any) => o.modified)).toEqual([v1.modified])
    // A version listing pages too.
    const paged = await taxii(`${ROOT}collections/${DOMAIN}/objects/${v1.id}/versions/?limit=1`)
    expect(paged.json).toMatchObject({ more: true, versions: [v1.modified] })
  })

  it('revokes a deleted IOC (final: a re-created IOC gets a new id)', async () => {
    const ioc = await add('deleted.versions.example')
    const [v1] = await objectFor(DOMAIN, 'deleted.versions.example')
    expect((await ana.del(`/api/v1/iocs/${ioc.id}`)).status).toBe(204)
    const after = await objectFor(DOMAIN, 'deleted.versions.example')
    expect(after).toHaveLength(2)
    expect(after[1]).toMatchObject({ id: v1.id, revoked: true })
    expect(after[1].valid_until <= after[1].modified).toBe(true)
    expect(after[1].modified > v1.modified).toBe(true)
    await add('deleted.versions.example')
    const again = await objectFor(DOMAIN, 'deleted.versions.example')
    expect(again).toHaveLength(3)
    expect(again[2].id).not.toBe(v1.id)
    expect(again[2].id).toMatch(ID)
    expect(again[2].revoked).toBeUndefined()
    // The default (last) view shows each object once: the old one revoked, the new one active.
    const last = await taxii(`${ROOT}collections/${DOMAIN}/objects/?match[id]=${v1.id},${again[2].id}`)
    expect(last.json.objects.map((o: any) => Boolean(o.revoked))).toEqual([true, false])
  })

  it('revokes an excluded IOC, and publishes it under a new id when unexcluded', async () => {
    const ioc = await add('excluded.versions.example')
    const [v1] = await objectFor(DOMAIN, 'excluded.versions.example')
    expect((await ana.post(`/api/v1/iocs/${ioc.id}/exclude`, { reason: 'false positive' })).status).toBe(200)
    const revoked = await objectFor(DOMAIN, 'excluded.versions.example')
    expect(revoked.at(-1)).toMatchObject({ id: v1.id, revoked: true })
    expect((await ana.post(`/api/v1/iocs/${ioc.id}/unexclude`)).status).toBe(200)
    const back = await objectFor(DOMAIN, 'excluded.versions.example')
    expect(back).toHaveLength(3)
    expect(back[2].id).not.toBe(v1.id)
    expect(back[2].revoked).toBeUndefined()
  })

  it('revokes an allowlisted IOC at once', async () => {
    await add('allowlisted.versions.example')
    const [v1] = await objectFor(DOMAIN, 'allowlisted.versions.example')
    const entry = await admin.post('/api/v1/allowlist', { kind: 'exact', value: 'allowlisted.versions.example', reason: 'ours' })
    expect(entry.status, entry.text).toBe(201)
    const after = await objectFor(DOMAIN, 'allowlisted.versions.example')
    expect(after).toHaveLength(2)
    expect(after[1]).toMatchObject({ id: v1.id, revoked: true })
  })

  it('never publishes an IOC that left the feeds before anyone asked', async () => {
    const ioc = await add('short-lived.versions.example')
    expect((await ana.del(`/api/v1/iocs/${ioc.id}`)).status).toBe(204)
    expect(await objectFor(DOMAIN, 'short-lived.versions.example')).toEqual([])
  })

  it('revokes an IOC when its expiry passes, with no write at all', async () => {
    const expiresAt = new Date(Date.now() + 2500).toISOString()
    await add('expiring.versions.example', { expiresAt })
    const [v1] = await objectFor(DOMAIN, 'expiring.versions.example')
    expect(v1.valid_until).toBe(expiresAt)
    await new Promise((r) => setTimeout(r, 2800))
    const after = await objectFor(DOMAIN, 'expiring.versions.example')
    expect(after).toHaveLength(2)
    expect(after[1]).toMatchObject({ id: v1.id, revoked: true, valid_until: expiresAt, modified: expiresAt })
  })
})

describe('consumer authentication', () => {
  it('requires a consumer token when feeds are token-only: Basic, Bearer and Token schemes', async () => {
    const made = await admin.post('/api/v1/feed-consumers', { name: 'opencti', allowedFeeds: ['/taxii2/ip'] })
    expect(made.status, made.text).toBe(201)
    const token = made.json.token as string
    expect((await admin.patch('/api/v1/feed-catalogue/settings', { access: 'token' })).status).toBe(200)
    try {
      const anon = await taxii(`${ROOT}collections/${IP}/objects/`)
      expect(anon.status).toBe(401)
      expect(anon.headers.get('www-authenticate')).toMatch(/^Basic/)
      expect(anon.headers.get('content-type')).toBe(MEDIA)
      expect(anon.json).toMatchObject({ title: 'Authentication required', http_status: '401' })
      expect((await taxii('/taxii2/')).status).toBe(401)
      expect((await taxii(`${ROOT}collections/`, { auth: 'Bearer wrong' })).status).toBe(401)
      for (const auth of [`Basic ${btoa(`opencti:${token}`)}`, `Bearer ${token}`, `Token ${token}`]) {
        const ok = await taxii(`${ROOT}collections/${IP}/objects/`, { auth })
        expect(ok.status, auth.split(' ')[0]).toBe(200)
      }
      // Restricted to the ip collection: others are listed unreadable and refused.
      const cols = await taxii(`${ROOT}collections/`, { auth: `Bearer ${token}` })
      expect(cols.json.collections.filter((c: any) => c.can_read).map((c: any) => c.alias)).toEqual(['ip'])
      const refused = await taxii(`${ROOT}collections/${DOMAIN}/objects/`, { auth: `Bearer ${token}` })
      expect(refused.status).toBe(403)
    } finally {
      await admin.patch('/api/v1/feed-catalogue/settings', { access: 'public' })
    }
  })
})

describe('STIX bundles', () => {
  it('exports the active indicators as a STIX 2.1 bundle for signed-in users', async () => {
    expect((await fetch(moat.base + '/api/v1/export/stix')).status).toBe(401)
    const res = await ana.get('/api/v1/export/stix?type=ip')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/stix+json;version=2.1')
    const bundle = res.json
    expect(bundle.type).toBe('bundle')
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/)
    expect(bundle).not.toHaveProperty('spec_version')
    const [identity, ...indicators] = bundle.objects
    expect(identity.type).toBe('identity')
    expect(indicators.length).toBeGreaterThan(0)
    expect(indicators.every((o: any) => o.type === 'indicator' && o.pattern.startsWith('[ipv') && !o.revoked && o.created_by_ref === identity.id)).toBe(true)
    expect((await ana.get('/api/v1/export/stix?type=nope')).status).toBe(400)
  })

  it('serves the same bundle at ZIoCHub’s /feed/stix URLs, without deleted IOCs', async () => {
    const res = await fetch(moat.base + '/feed/stix/domain')
    expect(res.status).toBe(200)
    const bundle = (await res.json()) as any
    const patterns = bundle.objects.filter((o: any) => o.type === 'indicator').map((o: any) => o.pattern)
    expect(patterns).toContain("[domain-name:value = 'evil-taxii.example']")
    expect(patterns).not.toContain("[domain-name:value = 'short-lived.versions.example']")
    expect(patterns.every((p: string) => p.startsWith('[domain-name:'))).toBe(true)
    const all = (await (await fetch(moat.base + '/feed/stix')).json()) as any
    expect(all.objects.length).toBeGreaterThan(bundle.objects.length)
    expect((await fetch(moat.base + '/feed/stix/bogus')).status).toBe(404)
  })
})

describe('the minute job', () => {
  it('publishes new IOCs and revokes expired ones with no TAXII request at all', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString()
    const ioc = await add('cron-published.versions.example', { expiresAt })
    const count = () =>
      moat.db
        .prepare(`SELECT count(*) AS n, sum(revoked) AS r FROM stix_versions WHERE source = 'ioc' AND source_id = ?`)
        .bind(ioc.id)
        .first<{ n: number; r: number | null }>()
    expect(await count()).toEqual({ n: 0, r: null })
    const worker = await moat.rt.mf.getWorker()
    await fireScheduled(worker as never, 'job:stix', new Date())
    expect(await count()).toEqual({ n: 1, r: 0 })
    await new Promise((r) => setTimeout(r, 1700))
    await fireScheduled(worker as never, 'job:stix', new Date())
    expect(await count()).toEqual({ n: 2, r: 1 })
  })
})

describe('other write paths', () => {
  it('publishes IOCs committed by a bulk import (no STIX code on that path)', async () => {
    const staged = await ana.post('/api/v1/imports', { text: 'bulk-one.import-taxii.top\nbulk-two.import-taxii.top', format: 'txt' })
    expect(staged.status, staged.text).toBe(201)
    const committed = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, { ticket: 'INC-BULK' })
    expect(committed.status, committed.text).toBe(200)
    const res = await taxii(`${ROOT}collections/${DOMAIN}/objects/?match[version]=last`)
    const bulk = res.json.objects.filter((o: any) => o.pattern.includes('import-taxii.top'))
    expect(bulk.map((o: any) => o.pattern).sort()).toEqual([
      "[domain-name:value = 'bulk-one.import-taxii.top']",
      "[domain-name:value = 'bulk-two.import-taxii.top']",
    ])
    expect(bulk.every((o: any) => o.external_references[0].external_id === 'INC-BULK')).toBe(true)
  })
})
