import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fireScheduled } from '../../bin/scheduler'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// One fixture with known timestamps (relative to now): what came in, what went out, what looks
// wrong. Rows inserted straight into D1 go through the same roll-up triggers as the app's writes.

let moat: TestMoat
let admin: Client
let ana: Client
let viewer: Client
let adminId: number
const ids: Record<string, number> = {}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

const submit = async (c: Client, value: string) => {
  const res = await c.post('/api/v1/iocs', { value, confirm: true })
  expect(res.status, res.text).toBe(201)
  return res.json.ioc.id as number
}

/** A domain IOC written straight to D1 (for timestamps in the past). */
async function insertDomain(value: string, opts: { createdAt: string; expiresAt?: string | null; source?: string }) {
  const row = await moat.db
    .prepare(`INSERT INTO iocs (type, value, host, expires_at, ticket, source, created_by, created_at, updated_at) VALUES ('domain', ?, ?, ?, 'T-1', ?, ?, ?, ?) RETURNING id`)
    .bind(value, value, opts.expiresAt ?? null, opts.source ?? 'ui', adminId, opts.createdAt, opts.createdAt)
    .first<{ id: number }>()
  await moat.db
    .prepare(`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at) VALUES (?, 'domain', ?, 'created', ?, 'boss', ?)`)
    .bind(row!.id, value, adminId, opts.createdAt)
    .run()
  return row!.id
}

const feedLines = async (path: string) => (await fetch(moat.base + path)).text()

beforeAll(async () => {
  moat = await startMoat()
  adminId = await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  await moat.addUser('val', 'viewer')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  viewer = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await viewer.login('val', moat.password)

  // In the last 24 hours, typed by an analyst: 5 IOCs (2 of them anomalous).
  ids.badActor = await submit(ana, 'bad-actor.xyz')
  ids.ip = await submit(ana, '45.10.20.30')
  ids.url = await submit(ana, 'http://bad-actor.xyz/gate.php')
  ids.local = await submit(ana, '10.1.2.3')
  ids.short = await submit(ana, 'ab.io')
  // A bulk import: 2 IOCs.
  const staged = await ana.post('/api/v1/imports', { text: 'c2-node.evil-corp.org\n185.220.101.7\n', format: 'txt' })
  expect(staged.status).toBe(201)
  const commit = await ana.post(`/api/v1/imports/${staged.json.id}/commit`, {})
  expect(commit.json.created).toBe(2)
  // A MISP pull: 1 IOC.
  ids.misp = await insertDomain('misp-pushed.evil-corp.org', { createdAt: ago(30 * MIN), source: 'misp' })
  // Deleted, and deleted then added again.
  expect((await ana.del(`/api/v1/iocs/${ids.url}`)).status).toBe(204)
  const first = await submit(ana, 'readd.evil-corp.org')
  expect((await ana.del(`/api/v1/iocs/${first}`)).status).toBe(204)
  ids.readd = await submit(ana, 'readd.evil-corp.org')
  // Older: 3 days ago; created 2 days ago and expired an hour ago (the sweep has not run); 200 days old and permanent.
  ids.old = await insertDomain('old-one.evil-corp.org', { createdAt: ago(3 * DAY), expiresAt: ago(-30 * DAY) })
  ids.expiring = await insertDomain('expiring.evil-corp.org', { createdAt: ago(2 * DAY), expiresAt: ago(HOUR) })
  ids.stale = await insertDomain('stale-one.evil-corp.org', { createdAt: ago(200 * DAY), source: 'import' })
  // Allowlisting the imported IP takes it out of the feeds and makes it an anomaly.
  expect((await admin.post('/api/v1/allowlist', { kind: 'exact', value: '185.220.101.7', reason: 'Tor relay we run' })).status).toBe(201)
})
afterAll(() => moat.close())

describe('incoming and outgoing', () => {
  it('counts IOCs added in the last 24 hours by type and by source', async () => {
    const res = await viewer.get('/api/v1/pulse?window=24h')
    expect(res.status).toBe(200)
    const { incoming, outgoing } = res.json
    // 5 typed + 2 imported + 1 MISP + readd twice.
    expect(incoming.total).toBe(10)
    expect(incoming.byType).toEqual({ ip: 3, domain: 6, url: 1, email: 0, md5: 0, sha1: 0, sha256: 0 })
    expect(incoming.bySource).toEqual({ analyst: 7, import: 2, misp: 1 })
    // Deleted: the URL and the first readd; expired: one, not yet swept.
    expect(outgoing).toEqual({ total: 3, deleted: 2, expired: 1, byType: { ip: 0, domain: 2, url: 1, email: 0, md5: 0, sha1: 0, sha256: 0 } })
    expect(res.json.netChange).toBe(7)
    // Served now: 9 (the expired, the deleted and the allowlisted ones are out).
    expect(res.json.totalActive).toBe(9)
    // Hourly series: 25 buckets (the window starts inside an hour); they add up to the totals.
    expect(res.json.unit).toBe('hour')
    expect(res.json.series).toHaveLength(25)
    const sum = (k: string) => res.json.series.reduce((a: number, p: Record<string, number>) => a + p[k], 0)
    expect([sum('incoming'), sum('deleted'), sum('expired')]).toEqual([10, 2, 1])
  })

  it('widens to 7 and 30 days with daily buckets', async () => {
    const week = (await viewer.get('/api/v1/pulse?window=7d')).json
    expect(week.incoming.total).toBe(12)
    expect(week.incoming.byType.domain).toBe(8)
    expect(week.outgoing.total).toBe(3)
    expect(week.unit).toBe('day')
    expect(week.series.length).toBeGreaterThanOrEqual(7)
    expect(week.series.length).toBeLessThanOrEqual(8)
    const month = (await viewer.get('/api/v1/pulse?window=30d')).json
    expect(month.incoming.total).toBe(12)
    expect(month.incoming.bySource).toEqual({ analyst: 9, import: 2, misp: 1 })
  })

  it('lists incoming IOCs that are still active, newest first, paged', async () => {
    const page1 = await viewer.get('/api/v1/pulse/incoming?window=24h&limit=4')
    expect(page1.status).toBe(200)
    expect(page1.json.items).toHaveLength(4)
    const page2 = await viewer.get(`/api/v1/pulse/incoming?window=24h&limit=4&cursor=${page1.json.nextCursor}`)
    expect(page2.json.nextCursor).toBeNull()
    const values = [...page1.json.items, ...page2.json.items].map((i: { value: string }) => i.value)
    expect(values.sort()).toEqual(['10.1.2.3', '45.10.20.30', 'ab.io', 'bad-actor.xyz', 'c2-node.evil-corp.org', 'misp-pushed.evil-corp.org', 'readd.evil-corp.org'])
  })

  it('lists outgoing IOCs with their reason, net of values that are active again', async () => {
    const res = await viewer.get('/api/v1/pulse/outgoing?window=24h')
    expect(res.status).toBe(200)
    const rows = res.json.items.map((i: { value: string; reason: string }) => `${i.reason} ${i.value}`)
    expect(rows.sort()).toEqual(['deleted http://bad-actor.xyz/gate.php', 'expired expiring.evil-corp.org'])
  })

  it('counts an expiry once, before and after the sweep logs it', async () => {
    await fireScheduled((await moat.rt.mf.getWorker()) as never, 'job:expire', new Date())
    const logged = await moat.db.prepare(`SELECT count(*) AS n FROM ioc_history WHERE event = 'expired' AND ioc_id = ?`).bind(ids.expiring).first<{ n: number }>()
    expect(logged!.n).toBe(1)
    const res = (await viewer.get('/api/v1/pulse?window=24h')).json
    expect(res.outgoing).toMatchObject({ total: 3, deleted: 2, expired: 1 })
    const out = (await viewer.get('/api/v1/pulse/outgoing?window=24h')).json.items
    expect(out.filter((i: { reason: string }) => i.reason === 'expired')).toHaveLength(1)
  })

  it('refuses an unknown window, naming the field', async () => {
    const res = await viewer.get('/api/v1/pulse?window=2h')
    expect(res.status).toBe(400)
    expect(res.json.error.details.fields[0].field).toBe('window')
    expect((await new Client(moat.base).get('/api/v1/pulse')).status).toBe(401)
  })
})

describe('anomalies and exclusions', () => {
  it('finds the anomalies of every active IOC with the report rules', async () => {
    const res = await viewer.get('/api/v1/pulse/anomalies')
    expect(res.status).toBe(200)
    // Scanned: live, unexcluded, unexpired (the allowlisted IP included): 10.
    expect(res.json.scanned).toBe(10)
    expect(res.json.anomalous).toBe(4)
    expect(res.json.byRule).toMatchObject({ local_ip: 1, short_domain: 1, allowlisted: 1, stale_ioc: 1, testnet_ip: 0, critical_infra: 0 })
    const byValue = Object.fromEntries(res.json.items.map((i: { value: string; rules: string[] }) => [i.value, i.rules]))
    expect(byValue).toEqual({
      '10.1.2.3': ['local_ip'],
      'ab.io': ['short_domain'],
      '185.220.101.7': ['allowlisted'],
      'stale-one.evil-corp.org': ['stale_ioc'],
    })
    const local = res.json.items.find((i: { value: string }) => i.value === '10.1.2.3')
    expect(local.warnings[0].code).toBe('private_ip')
    expect(res.json.items.find((i: { value: string }) => i.value === '185.220.101.7').allowlistMatch).toBe('185.220.101.7')
    const one = await viewer.get('/api/v1/pulse/anomalies?rule=stale_ioc')
    expect(one.json.items.map((i: { value: string }) => i.value)).toEqual(['stale-one.evil-corp.org'])
    const bad = await viewer.get('/api/v1/pulse/anomalies?rule=nope')
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('rule')
  })

  it('excluding an anomalous IOC takes it out of the feed and the anomalies; unexcluding restores both', async () => {
    expect(await feedLines('/feed/ip')).toContain('10.1.2.3\n')
    expect((await viewer.post(`/api/v1/iocs/${ids.local}/exclude`, { reason: 'lab range' })).status).toBe(403)
    const ex = await ana.post(`/api/v1/iocs/${ids.local}/exclude`, { reason: 'Feed Pulse: local_ip' })
    expect(ex.status).toBe(200)
    expect(await feedLines('/feed/ip')).not.toContain('10.1.2.3')
    const after = (await viewer.get('/api/v1/pulse/anomalies')).json
    expect(after.anomalous).toBe(3)
    expect(after.byRule.local_ip).toBe(0)
    const exclusions = (await viewer.get('/api/v1/pulse/exclusions?window=24h')).json
    expect(exclusions.exclusionsCount).toBe(1)
    expect(exclusions.items).toEqual([expect.objectContaining({ id: ids.local, value: '10.1.2.3', reason: 'Feed Pulse: local_ip', excludedBy: 'ana' })])

    expect((await ana.post(`/api/v1/iocs/${ids.local}/unexclude`)).status).toBe(200)
    expect(await feedLines('/feed/ip')).toContain('10.1.2.3\n')
    expect((await viewer.get('/api/v1/pulse/anomalies')).json.anomalous).toBe(4)
    expect((await viewer.get('/api/v1/pulse/exclusions?window=24h')).json.exclusionsCount).toBe(0)
    const history = await moat.db.prepare(`SELECT event FROM ioc_history WHERE ioc_id = ? AND event IN ('excluded', 'unexcluded') ORDER BY id`).bind(ids.local).all()
    expect(history.results.map((r) => r.event)).toEqual(['excluded', 'unexcluded'])
    const audit = await moat.db.prepare(`SELECT action, actor FROM audit_log WHERE target = 'ip:10.1.2.3' AND action LIKE 'ioc.%exclude' ORDER BY id`).all()
    expect(audit.results).toEqual([
      { action: 'ioc.exclude', actor: 'ana' },
      { action: 'ioc.unexclude', actor: 'ana' },
    ])
  })
})

describe('feeds and consumers', () => {
  it('shows each feed size over the window and a shrink alert when a feed loses more than half', async () => {
    const waitState = async (entries: number) => {
      for (let i = 0; i < 50; i++) {
        const row = await moat.db.prepare(`SELECT entries FROM feed_state WHERE feed LIKE '/feed/domain?%'`).first<{ entries: number }>()
        if (row?.entries === entries) return
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`feed_state never reached ${entries}`)
    }
    // Served domains: bad-actor, ab.io, c2-node, misp-pushed, readd, old-one, stale-one.
    expect((await feedLines('/feed/domain')).trim().split('\n')).toHaveLength(7)
    await waitState(7)
    const key = (await moat.db.prepare(`SELECT feed FROM feed_state WHERE feed LIKE '/feed/domain?%'`).first<{ feed: string }>())!.feed
    // Earlier samples: 26 hours ago (before the 24 h window) and 3 hours ago.
    const hourOf = (ms: number) => ago(ms).slice(0, 13)
    await moat.db.prepare(`INSERT INTO feed_size_history (feed, hour, entries, bytes, at) VALUES (?, ?, 4, 80, ?), (?, ?, 5, 100, ?)`)
      .bind(key, hourOf(26 * HOUR), ago(26 * HOUR), key, hourOf(3 * HOUR), ago(3 * HOUR)).run()
    for (const id of [ids.badActor, ids.misp, ids.old, ids.readd]) expect((await admin.post(`/api/v1/iocs/${id}/exclude`, {})).status).toBe(200)
    expect((await feedLines('/feed/domain')).trim().split('\n')).toHaveLength(3)
    await waitState(3)

    const res = await viewer.get('/api/v1/pulse/feeds?window=24h')
    expect(res.status).toBe(200)
    const feed = res.json.feeds.find((f: { feed: string }) => f.feed === key)
    expect(feed).toMatchObject({ path: '/feed/domain', entries: 3, shrinkAlerts: 1, change: -1 })
    expect(feed.points.map((p: { entries: number }) => p.entries)).toEqual([4, 5, 3])
    expect(res.json.alerts).toEqual([expect.objectContaining({ feed: key, kind: 'shrink', fromEntries: 7, toEntries: 3 })])
  })

  it('shows each consumer\'s last poll, usual interval, a stopped device and a 401 streak', async () => {
    const make = async (name: string) => (await admin.post('/api/v1/feed-consumers', { name })).json.consumer.id as number
    const pa = await make('pa-fw-1')
    const cp = await make('cp-gw-2')
    const esa = await make('esa-3')
    await make('never-polled')
    const poll = (id: number | null, msAgo: number, status = 200, count = 1, address = '192.0.2.10') =>
      moat.db.prepare(`INSERT INTO feed_polls (at, consumer_id, address, feed, status, count, bytes) VALUES (?, ?, ?, '/feed/ip', ?, ?, 100)`).bind(ago(msAgo), id, address, status, count).run()
    const seen = (id: number, msAgo: number, status: number) =>
      moat.db.prepare(`UPDATE feed_consumers SET last_seen_at = ?, last_address = '192.0.2.10', last_feed = '/feed/ip', last_status = ? WHERE id = ?`).bind(ago(msAgo), status, id).run()
    for (const m of [60, 55, 50]) await poll(pa, m * MIN)
    await seen(pa, 50 * MIN, 200)
    for (const m of [10, 5, 1]) await poll(cp, m * MIN)
    await seen(cp, MIN, 200)
    await poll(esa, 30 * MIN, 200)
    await poll(esa, 20 * MIN, 401)
    await poll(esa, 10 * MIN, 401, 2)
    await seen(esa, 10 * MIN, 401)
    await poll(null, 2 * MIN, 200, 1, '198.51.100.7')

    const res = await viewer.get('/api/v1/pulse/consumers?window=24h')
    expect(res.status).toBe(200)
    const by = Object.fromEntries(res.json.items.map((c: { name: string }) => [c.name, c]))
    expect(by['pa-fw-1']).toMatchObject({ polls: 3, bytes: 300, intervalSeconds: 300, stopped: true, authFailureStreak: 0, lastStatus: 200 })
    expect(by['cp-gw-2']).toMatchObject({ polls: 3, intervalSeconds: 270, stopped: false })
    expect(by['esa-3']).toMatchObject({ polls: 4, denied: 3, authFailureStreak: 3, lastStatus: 401 })
    expect(by['never-polled']).toMatchObject({ polls: 0, lastSeenAt: null, stopped: false })
    expect(res.json.anonymous).toEqual([expect.objectContaining({ address: '198.51.100.7', polls: 1, lastStatus: 200 })])
  })
})
