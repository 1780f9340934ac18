import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client
let ana: Client
let viewer: Client
let bossId: number
const ids: Record<string, number> = {}
let redCampaign: number

/** Raw GET: the bytes a firewall receives. */
async function feed(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(moat.base + path, { headers: { 'accept-encoding': 'identity', ...headers } })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text }
}

async function add(client: Client, value: string, extra: Record<string, unknown> = {}) {
  const res = await client.post('/api/v1/iocs', { value, confirm: true, ...extra })
  expect(res.status, `${value}: ${res.text}`).toBe(201)
  ids[value] = res.json.ioc.id
  return res.json.ioc
}

/** A direct database change, as another node or the CLI would make it: bump the generation, wait out the 1 s context memory. */
async function sqlWrite(statement: string, ...binds: unknown[]) {
  await moat.db.prepare(statement).bind(...binds).run()
  await moat.db.prepare('UPDATE generation SET value = value + 1 WHERE id = 1').run()
  await new Promise((r) => setTimeout(r, 1100))
}

const def = (filters: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({ format: 'plain', filters, ...rest })

async function preview(filters: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  const res = await admin.post('/api/v1/custom-feeds/preview', { ...def(filters, rest), lines: 1000 })
  expect(res.status, res.text).toBe(200)
  return res.json as { lines: string[]; entries: number; total: number; bytes: number; dropped: Record<string, number>; warnings: { code: string; params: Record<string, unknown> }[] }
}

async function create(slug: string, filters: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  const res = await admin.post('/api/v1/custom-feeds', { slug, name: `Feed ${slug}`, ...def(filters, rest) })
  expect(res.status, res.text).toBe(201)
  return res.json.feed as { id: number; url: string; version: number }
}

beforeAll(async () => {
  moat = await startMoat()
  bossId = await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  await moat.addUser('vic', 'viewer')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  viewer = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await viewer.login('vic', moat.password)

  await add(ana, '45.9.148.0', { tags: ['scan'], confidence: 50 })
  await add(ana, '45.9.148.1', { tags: ['scan'], confidence: 50 })
  await add(ana, '45.9.148.2/31', { tags: ['scan'], confidence: 50 })
  await add(ana, '45.9.148.4', { tags: ['scan'], confidence: 50 })
  await add(ana, '45.8.0.0/15', { confidence: 50 })
  await add(ana, '2a0e:1c80::', { confidence: 50 })
  await add(ana, '2a0e:1c80::1', { confidence: 50 })
  await add(ana, '2a0e::/32', { confidence: 50 })
  const red = await add(ana, 'c2.evil-corp.xyz', { tags: ['c2', 'apt'], confidence: 95, campaign: 'Op Red', comment: '=cmd|calc', ticket: 'INC-1' })
  redCampaign = red.campaign.id
  await add(ana, 'beacon.evil-corp.xyz', { tags: ['c2'], confidence: 70 })
  await add(ana, 'old.evil-corp.xyz', { confidence: 60 })
  await add(ana, 'misp.evil-corp.xyz', { confidence: 60 })
  await add(admin, 'boss.evil-corp.xyz', { confidence: 80 })
  await add(ana, 'phish@bad-mail.xyz')
  await add(ana, 'two@bad-mail.xyz')
  await add(ana, 'http://host-only.bad.xyz')
  // Origins and ages the API does not let a client choose: a MISP pull, an old import, a bare TLD.
  await moat.db.prepare(`UPDATE iocs SET source = 'misp' WHERE id = ?`).bind(ids['misp.evil-corp.xyz']).run()
  await moat.db.prepare(`UPDATE iocs SET source = 'import', created_at = ? WHERE id = ?`).bind(new Date(Date.now() - 40 * 86_400_000).toISOString(), ids['old.evil-corp.xyz']).run()
  await sqlWrite(`INSERT INTO iocs (type, value, ticket, created_by, source) VALUES ('domain', 'xyz', 'T', ?, 'import')`, bossId)
})
afterAll(() => moat.close())

describe('admin API guards', () => {
  it('is admin only', async () => {
    expect((await new Client(moat.base).get('/api/v1/custom-feeds')).status).toBe(401)
    expect((await ana.get('/api/v1/custom-feeds')).status).toBe(403)
    expect((await viewer.post('/api/v1/custom-feeds/preview', def({ types: ['ip'] }))).status).toBe(403)
  })

  it('names the field of every invalid definition', async () => {
    const bad = async (body: Record<string, unknown>, field: string, status = 400) => {
      const res = await admin.post('/api/v1/custom-feeds', { slug: 'ok-slug', name: 'x', format: 'plain', filters: { types: ['ip'] }, ...body })
      expect(res.status, res.text).toBe(status)
      expect(res.json.error.details.fields[0].field, res.text).toBe(field)
    }
    await bad({ slug: 'Bad Slug!' }, 'slug')
    await bad({ slug: '-x' }, 'slug')
    await bad({ name: '' }, 'name')
    await bad({ filters: { types: [] } }, 'filters.types')
    await bad({ format: 'pa-ip', filters: { types: ['ip', 'domain'] } }, 'filters.types.1')
    await bad({ format: 'csv' }, 'columns')
    await bad({ columns: ['value'] }, 'columns')
    await bad({ format: 'csv', columns: ['value', 'nope'] }, 'columns.1')
    await bad({ format: 'csv', columns: ['value'], policy: { headerComment: true } }, 'policy.headerComment')
    await bad({ policy: { collapse: 'range' } }, 'policy.collapse')
    await bad({ format: 'json', policy: { collapse: 'cidr' } }, 'policy.collapse')
    await bad({ policy: { maxPrefixV4: 33 } }, 'policy.maxPrefixV4')
    await bad({ policy: { maxEntries: 0 } }, 'policy.maxEntries')
    await bad({ filters: { types: ['ip'], minConfidence: 101 } }, 'filters.minConfidence')
    await bad({ filters: { types: ['ip'], sources: ['elsewhere'] } }, 'filters.sources.0')
    await bad({ filters: { types: ['ip'], campaigns: [9999] } }, 'filters.campaigns.0')
    await bad({ filters: { types: ['ip'], analysts: [9999] } }, 'filters.analysts.0')
    await bad({ filters: { types: ['ip'], expiringWithinDays: 0 } }, 'filters.expiringWithinDays')
    await create('dup-slug', { types: ['ip'] })
    await bad({ slug: 'dup-slug' }, 'slug', 409)
  })
})

describe('filters (served IOCs only)', () => {
  it('types, tags any/all/none, campaigns, confidence', async () => {
    expect((await preview({ types: ['email'] })).lines).toEqual(['phish@bad-mail.xyz', 'two@bad-mail.xyz'])
    expect((await preview({ types: ['domain'], tags: { any: ['c2'] } })).lines).toEqual(['beacon.evil-corp.xyz', 'c2.evil-corp.xyz'])
    expect((await preview({ types: ['domain'], tags: { all: ['c2', 'apt'] } })).lines).toEqual(['c2.evil-corp.xyz'])
    expect((await preview({ types: ['ip', 'domain'], tags: { none: ['scan', 'c2'] }, minConfidence: 60 })).lines).toEqual([
      'boss.evil-corp.xyz',
      'misp.evil-corp.xyz',
      'old.evil-corp.xyz',
    ])
    expect((await preview({ types: ['domain'], campaigns: [redCampaign] })).lines).toEqual(['c2.evil-corp.xyz'])
    expect((await preview({ types: ['domain'], minConfidence: 80 })).lines).toEqual(['boss.evil-corp.xyz', 'c2.evil-corp.xyz'])
  })

  it('source, analyst and age', async () => {
    expect((await preview({ types: ['domain'], sources: ['misp'] })).lines).toEqual(['misp.evil-corp.xyz'])
    // The bare TLD is an import too, but the TLD guard refuses it.
    const imports = await preview({ types: ['domain'], sources: ['import'] })
    expect(imports.lines).toEqual(['old.evil-corp.xyz'])
    expect(imports.dropped).toEqual({ tld: 1 })
    expect((await preview({ types: ['domain'], sources: ['import'] }, { policy: { refuseTld: false } })).lines).toEqual(['old.evil-corp.xyz', 'xyz'])
    expect((await preview({ types: ['domain'], sources: ['analyst', 'misp'] })).lines).not.toContain('old.evil-corp.xyz')
    expect((await preview({ types: ['domain'], analysts: [bossId] })).lines).toEqual(['boss.evil-corp.xyz'])
    expect((await preview({ types: ['domain'], createdWithinDays: 30 })).lines).not.toContain('old.evil-corp.xyz')
    expect((await preview({ types: ['domain'], createdWithinDays: 45 })).lines).toContain('old.evil-corp.xyz')
  })

  it('expiring within N days', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString()
    expect((await ana.patch(`/api/v1/iocs/${ids['beacon.evil-corp.xyz']}`, { expiresAt: soon })).status).toBe(200)
    expect((await preview({ types: ['domain'], expiringWithinDays: 7 })).lines).toEqual(['beacon.evil-corp.xyz'])
    expect((await preview({ types: ['domain'], expiringWithinDays: 2 })).lines).toEqual(['# moat: no active entries'])
  })

  it('never serves excluded or deleted IOCs', async () => {
    const v = await add(ana, 'gone.evil-corp.xyz', { tags: ['c2'] })
    expect((await preview({ types: ['domain'], tags: { any: ['c2'] } })).lines).toContain('gone.evil-corp.xyz')
    expect((await ana.post(`/api/v1/iocs/${v.id}/exclude`, { reason: 'false positive' })).status).toBe(200)
    expect((await preview({ types: ['domain'], tags: { any: ['c2'] } })).lines).not.toContain('gone.evil-corp.xyz')
  })
})

describe('membership follows every change', () => {
  it('an IOC tagged enters the feed at once; one expiring leaves it without any write', async () => {
    const f = await create('hot-list', { types: ['domain', 'ip'], tags: { any: ['hot'] } })
    const empty = await feed(f.url)
    expect(empty.status).toBe(200)
    expect(empty.text).toBe('# moat: no active entries\n')
    expect(empty.headers.get('x-moat-empty')).toBe('1')

    expect((await ana.patch(`/api/v1/iocs/${ids['old.evil-corp.xyz']}`, { tags: ['hot'] })).status).toBe(200)
    const one = await feed(f.url)
    expect(one.text).toBe('old.evil-corp.xyz\n')
    expect(one.headers.get('etag')).not.toBe(empty.headers.get('etag'))

    // Expires in two seconds: the cached body is valid only until then.
    const expiresAt = new Date(Date.now() + 2000).toISOString()
    expect((await ana.patch(`/api/v1/iocs/${ids['45.9.148.4']}`, { tags: ['scan', 'hot'], expiresAt })).status).toBe(200)
    expect((await feed(f.url)).text).toBe('45.9.148.4\nold.evil-corp.xyz\n')
    await new Promise((r) => setTimeout(r, 2300))
    expect((await feed(f.url)).text).toBe('old.evil-corp.xyz\n')
  })

  it('an edit of the definition serves the new shape at once; a deleted feed is 404', async () => {
    const f = await create('edit-me', { types: ['email'] })
    expect((await feed(f.url)).text).toBe('phish@bad-mail.xyz\ntwo@bad-mail.xyz\n')
    const res = await admin.patch(`/api/v1/custom-feeds/${f.id}`, { slug: 'edit-me', name: 'Edited', format: 'esa', filters: { types: ['email'] } })
    expect(res.status, res.text).toBe(200)
    expect(res.json.feed.version).toBe(2)
    expect((await feed(f.url)).text).toBe('phish@bad-mail.xyz,two@bad-mail.xyz')
    expect((await admin.request('DELETE', `/api/v1/custom-feeds/${f.id}`)).status).toBe(204)
    expect((await feed(f.url)).status).toBe(404)
    expect((await feed('/feed/custom/No_Such')).status).toBe(404)
  })
})

describe('policy', () => {
  it('refuses networks wider than the configured prefix, per family', async () => {
    const r = await feed((await create('wide-default', { types: ['ip'] })).url)
    expect(r.text.split('\n')).not.toContain('45.8.0.0/15')
    expect(r.text.split('\n')).not.toContain('2a0e::/32')
    expect(r.headers.get('x-moat-dropped-reasons')).toBe('too_wide=2')
    const narrow = await preview({ types: ['ip'] }, { policy: { maxPrefixV4: 8, maxPrefixV6: 24 } })
    expect(narrow.lines).toContain('45.8.0.0/15')
    expect(narrow.lines).toContain('2a0e::/32')
  })

  it('collapses adjacent addresses into CIDRs or ranges', async () => {
    const cidr = await feed((await create('pa-cidr', { types: ['ip'] }, { format: 'pa-ip', policy: { collapse: 'cidr' } })).url)
    expect(cidr.text).toBe('45.9.148.0/30\n2a0e:1c80::/127\n')
    const range = await preview({ types: ['ip'] }, { format: 'pa-ip', policy: { collapse: 'range' } })
    expect(range.lines).toEqual(['45.9.148.0/30', '2a0e:1c80::/127'])
    expect(range.warnings.find((w) => w.code === 'collapsed')?.params.merged).toBe(3)
    // Check Point IoC feeds have no CIDR type: a merged block is an IP Range; IPv6 rows stay out by default.
    const cp = await preview({ types: ['ip'] }, { format: 'cp', policy: { collapse: 'range' } })
    expect(cp.lines[0]).toBe('#! DESCRIPTION = Moat custom feed: preview')
    // (45.9.148.4 expired in the membership test above.)
    expect(cp.lines[2]).toMatch(/^moat-net-45\.9\.148\.0-45\.9\.148\.3,45\.9\.148\.0-45\.9\.148\.3,IP Range,medium,medium,AB,"3 indicators, AN-[\d-]+"$/)
    expect(cp.dropped).toEqual({ too_wide: 2, ipv6: 2 })
  })

  it('built-in IP feeds collapse on request (?tr=2 CIDRs, ?tr=1 ranges), without the custom guards', async () => {
    // 45.8.0.0/15 covers 45.9.148.0-3; 2a0e::/32 does not reach 2a0e:1c80:: (second group 0 only).
    expect((await feed('/feed/pa/ip?tr=2')).text).toBe('45.8.0.0/15\n2a0e::/32\n2a0e:1c80::/127\n')
    expect((await feed('/feed/cp/network/ip?tr=1')).text).toBe('45.8.0.0/15\n2a0e::/32\n2a0e:1c80::/127\n')
    expect((await feed('/feed/pa/ip')).text.split('\n').length).toBe(8)
    expect((await feed('/feed/ip?tr=1')).status).toBe(400)
    expect((await feed('/feed/domain?tr=2')).status).toBe(400)
    expect((await feed('/feed/pa/ip?tr=3')).status).toBe(400)
  })

  it('caps at the maximum with a warning, slices with n and s, and writes a header comment', async () => {
    const f = await create('capped', { types: ['domain'] }, { policy: { maxEntries: 3, headerComment: true } })
    const r = await feed(f.url)
    const lines = r.text.split('\n')
    expect(lines[0]).toBe('# Moat custom feed: Feed capped (/feed/custom/capped)')
    expect(lines[1]).toMatch(/^# generated \d{4}-\d\d-\d\dT[\d:.]+Z; 3 entries$/)
    expect(lines[2]).toBe('# WARNING: 5 entries exceed the maximum of 3; only the first 3 are served')
    expect(lines.slice(3)).toEqual(['beacon.evil-corp.xyz', 'boss.evil-corp.xyz', 'c2.evil-corp.xyz', ''])
    expect(r.headers.get('x-moat-over-limit')).toBe('5 entries > limit 3')
    const sliced = await feed(`${f.url}?n=2&s=1`)
    expect(sliced.text.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['boss.evil-corp.xyz', 'c2.evil-corp.xyz', ''])
    expect(sliced.headers.get('x-moat-returned')).toBe('2')
    expect((await feed(`${f.url}?n=x`)).status).toBe(400)
    const p = await preview({ types: ['domain'] }, { policy: { maxEntries: 3 } })
    expect(p.warnings.find((w) => w.code === 'over_limit')?.params).toEqual({ total: 5, max: 3 })
    expect(p.bytes).toBe(Buffer.byteLength('beacon.evil-corp.xyz\nboss.evil-corp.xyz\nc2.evil-corp.xyz\n'))
  })

  it('answers 503 rather than an empty list when the admin says so', async () => {
    const f = await create('never-empty', { types: ['domain'], tags: { any: ['nothing-has-this'] } }, { format: 'cp-network', policy: { onEmpty: 'unavailable' } })
    const r = await feed(f.url)
    expect(r.status).toBe(503)
    expect(r.headers.get('retry-after')).toBe('300')
  })
})

describe('HTTP rules of the built-in feeds', () => {
  it('ETag and 304; Cache-Control no-cache so caches revalidate', async () => {
    const f = await create('etag', { types: ['email'] })
    const first = await feed(f.url)
    expect(first.headers.get('cache-control')).toBe('no-cache')
    const etag = first.headers.get('etag')!
    const again = await feed(f.url, { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.text).toBe('')
  })

  it('consumer tokens: 401 without, 403 for a consumer not allowed, 200 for one allowed', async () => {
    const f = await create('guarded', { types: ['email'] })
    const allowed = await admin.post('/api/v1/feed-consumers', { name: 'ESA', allowedFeeds: ['/feed/custom/*'] })
    const other = await admin.post('/api/v1/feed-consumers', { name: 'PA', allowedFeeds: ['/feed/pa/*'] })
    expect((await admin.patch('/api/v1/feed-catalogue/settings', { access: 'token' })).status).toBe(200)
    try {
      const none = await feed(f.url)
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic/)
      expect((await feed(`${f.url}?token=${other.json.token}`)).status).toBe(403)
      const basic = Buffer.from(`esa:${allowed.json.token}`).toString('base64')
      const ok = await feed(f.url, { authorization: `Basic ${basic}` })
      expect(ok.status).toBe(200)
      expect(ok.text).toBe('phish@bad-mail.xyz\ntwo@bad-mail.xyz\n')
    } finally {
      await admin.patch('/api/v1/feed-catalogue/settings', { access: 'public' })
    }
  })
})

describe('formats', () => {
  it('CSV with chosen columns, formula cells guarded', async () => {
    const r = await feed((await create('csv-out', { types: ['domain'], campaigns: [redCampaign] }, { format: 'csv', columns: ['value', 'campaign', 'comment', 'tags'] })).url)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(r.text).toBe(`value,campaign,comment,tags\r\nc2.evil-corp.xyz,Op Red,"'=cmd|calc",c2;apt\r\n`)
  })

  it('JSON and STIX 2.1 bundle', async () => {
    const j = await feed((await create('json-out', { types: ['email'] }, { format: 'json' })).url)
    expect(j.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const doc = JSON.parse(j.text)
    expect(doc.items.map((i: { value: string }) => i.value)).toEqual(['phish@bad-mail.xyz', 'two@bad-mail.xyz'])
    expect(doc.count).toBe(2)
    const s = await feed((await create('stix-out', { types: ['domain'], campaigns: [redCampaign] }, { format: 'stix' })).url)
    expect(s.headers.get('content-type')).toBe('application/stix+json;version=2.1')
    const bundle = JSON.parse(s.text)
    expect(bundle.type).toBe('bundle')
    expect(bundle.objects.map((o: { type: string }) => o.type)).toEqual(['identity', 'indicator'])
    expect(bundle.objects[1].pattern).toBe("[domain-name:value = 'c2.evil-corp.xyz']")
    expect(bundle.objects[1].created_by_ref).toBe(bundle.objects[0].id)
    // Same content, same bytes: the ETag holds across rebuilds.
    await sqlWrite('SELECT 1')
    expect((await feed('/feed/custom/stix-out')).headers.get('etag')).toBe(s.headers.get('etag'))
  })

  it('PAN-OS domain list with wildcards; URL list without scheme', async () => {
    expect((await preview({ types: ['domain'], campaigns: [redCampaign] }, { format: 'pa-domain', policy: { wildcard: true } })).lines).toEqual(['*.c2.evil-corp.xyz', 'c2.evil-corp.xyz'])
    expect((await preview({ types: ['url'] }, { format: 'pa-url' })).lines).toEqual(['host-only.bad.xyz/'])
  })

  it('lists and reports the last published size', async () => {
    const list = await admin.get('/api/v1/custom-feeds')
    const etag = list.json.items.find((i: { slug: string }) => i.slug === 'etag')
    expect(etag.url).toBe('/feed/custom/etag')
    expect(etag.entries).toBe(2)
  })
})
