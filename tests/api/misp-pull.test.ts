import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matches, startFakeMisp, type FakeMisp } from '../helpers/fake-misp'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

// The whole pull against a MISP that answers from the real event files: the first run's window,
// paging, mapping, the safety checks, idempotent re-pulls, re-seen and late-published attributes,
// review of warnings, removals, failures, the lease and the schedule.

const KEY = 'Lk29vPq7Zx3Rt8mN1bW4cY6dF0gH5jS2aE9uI7oQ'
const PAGE = 50
/** MISP's clock: four days after the ASERT, SamSam and Ursnif events were published. */
const MISP_NOW = 1551000000

let moat: TestMoat
let misp: FakeMisp
let admin: Client
let analyst: Client
let mispUserId: number

interface IocRow {
  id: number
  type: string
  value: string
  ticket: string
  comment: string
  tags: string
  source: string
  created_by: number
  expires_at: string | null
  deleted_at: string | null
}

const ioc = (type: string, value: string) =>
  moat.db.prepare(`SELECT * FROM iocs WHERE type = ? AND value = ? AND deleted_at IS NULL`).bind(type, value).first<IocRow>()
const count = async (sql: string, ...args: unknown[]) => (await moat.db.prepare(sql).bind(...args).first<{ n: number }>())!.n
const pull = (body: Record<string, unknown> = {}) => admin.post('/api/v1/misp/pull', body)
const daysFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / 86_400_000
const uuidOf = (value: string) => misp.find((a) => a.value === value).uuid

beforeAll(async () => {
  ;[moat, misp] = await Promise.all([startMoat(), startFakeMisp({ key: KEY, now: MISP_NOW })])
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
  mispUserId = (await moat.db.prepare(`SELECT id FROM users WHERE username = 'misp'`).first<{ id: number }>())!.id
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
  await moat.addUser('ana', 'analyst')
  analyst = new Client(moat.base)
  await analyst.login('ana', moat.password)
  const saved = await admin.patch('/api/v1/misp/settings', { url: misp.url, apiKey: KEY, pageSize: PAGE })
  expect(saved.status).toBe(200)
  // A real MISP warninglist (dynamic DNS) and an allowlist entry, to see both checks apply.
  const list = JSON.parse(readFileSync('../shared/data/warninglists/dynamic-dns.json', 'utf8'))
  expect((await admin.post('/api/v1/warninglists', list)).status).toBe(201)
  expect((await admin.post('/api/v1/allowlist', { kind: 'exact', value: 'diqjwhebseqhbasdh.com', reason: 'test: known sinkhole' })).status).toBe(201)
  // An analyst's own IOC that MISP also names: a short expiry MISP should lengthen.
  expect((await analyst.post('/api/v1/iocs', { value: 'softinc.pw', ttl: '1w', ticket: 'INC-7' })).status).toBe(201)
})

afterAll(async () => {
  await moat?.close()
  await misp?.close()
})

describe('first pull', () => {
  let run: any

  it('reads every page of the first-run window with the key, JSON headers and the filters', async () => {
    const res = await pull()
    expect(res.status, res.text).toBe(200)
    run = res.json.run
    expect(run).toMatchObject({ status: 'ok', trigger: 'manual', actor: 'admin', full: false })
    const searches = misp.restSearches()
    const first = searches[0].body
    expect(first).toMatchObject({ returnFormat: 'json', page: 1, limit: PAGE, last: '30d', to_ids: true, published: true, includeEventTags: true, enforceWarninglist: true })
    expect(first.timestamp).toBeUndefined()
    expect(first.type).toContain('filename|md5')
    expect(first.type).not.toContain('email-dst')
    for (const r of searches) {
      expect(r.method).toBe('POST')
      expect(r.headers.authorization).toBe(KEY)
      expect(r.headers.accept).toBe('application/json')
      expect(r.headers['content-type']).toBe('application/json')
    }
    const matched = misp.attributes.filter((a) => matches(a, first, MISP_NOW)).length
    expect(matched).toBeGreaterThan(2 * PAGE)
    // Pages 1..n in order, the last one short.
    expect(searches.map((r) => r.body.page)).toEqual(Array.from({ length: Math.floor(matched / PAGE) + 1 }, (_, i) => i + 1))
    expect(run.result).toMatchObject({ pages: searches.length, fetched: matched, cursorFrom: null, reconciled: false })
    // The first check for removals is due a day later.
    const state = await moat.db.prepare(`SELECT last_reconcile_at AS last, next_reconcile_at AS next FROM misp_sync_state`).first<any>()
    expect(state.last).toBeNull()
    expect(Date.parse(state.next) - Date.parse(run.startedAt)).toBe(86_400_000)
  })

  it('creates IOCs credited to misp with ticket, comment, tags and per-type expiry', async () => {
    const ursnif = (await ioc('domain', 'ooiasjdnqjwbeasdasd.com'))!
    expect(ursnif).toMatchObject({ ticket: 'MISP-60', source: 'misp', created_by: mispUserId, comment: '[MISP] Ursnif, MALWAREMESSIAGH | Ursnif' })
    expect(JSON.parse(ursnif.tags)).toEqual(['PasteBin: MALWAREMESSIAGH', 'misp-galaxy:banker:Gozi'])
    expect(daysFromNow(ursnif.expires_at!)).toBeGreaterThan(85)
    expect(daysFromNow(ursnif.expires_at!)).toBeLessThan(93)
    // hostname -> domain, ip-dst -> ip (1 month), filename|md5 -> md5 (permanent, file name in the comment)
    expect(await ioc('domain', 'adc.microsoftmse.com')).toMatchObject({ created_by: mispUserId })
    const ip = (await ioc('ip', '103.240.203.232'))!
    expect(daysFromNow(ip.expires_at!)).toBeGreaterThan(27)
    expect(daysFromNow(ip.expires_at!)).toBeLessThan(32)
    const md5 = (await ioc('md5', '86ebcbb3bdd8af257b52daa869ddd6c1'))!
    expect(md5.expires_at).toBeNull()
    expect(md5.comment).toMatch(/^\[MISP\] OSINT - ASERT Threat Intelligence Report .* \| file: 90t69cf82\.dll$/)
    expect(await ioc('url', 'http://198.55.120.143:7386/B/ResN32.dll')).toBeTruthy()
    const created = await count(`SELECT count(*) AS n FROM iocs WHERE created_by = ?`, mispUserId)
    expect(run.result.created).toBe(created)
    const history = await moat.db.prepare(`SELECT actor, diff FROM ioc_history WHERE ioc_id = ? AND event = 'created'`).bind(ursnif.id).first<any>()
    expect(history.actor).toBe('misp')
    expect(JSON.parse(history.diff)).toMatchObject({ source: 'misp', mispEvent: '60', mispAttribute: uuidOf('ooiasjdnqjwbeasdasd.com') })
  })

  it('leaves out what is outside the window, unpublished, not for IDS or not a Moat type', async () => {
    // Xorist (2016) and Regin (2014) were published long before the window; Sednit is unpublished.
    expect(await ioc('sha256', 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68')).toBeNull()
    const sednit = misp.find((a) => a.event_id === '9747' && a.type === 'domain' && a.to_ids)
    expect(await ioc('domain', sednit.value)).toBeNull()
    // Only mapped types are asked for: hex look-alikes (imphash, pehash, ssdeep) never arrive.
    const asked = misp.restSearches()[0].body.type
    for (const t of ['imphash', 'pehash', 'ssdeep', 'sha512', 'link', 'filename', 'regkey|value']) expect(asked).not.toContain(t)
    // imphash is 32 hex digits: never an MD5.
    const imphash = misp.find((a) => a.type === 'imphash' && a._event.published)
    expect(await count(`SELECT count(*) AS n FROM iocs WHERE value = ?`, imphash.value.toLowerCase())).toBe(0)
  })

  it('applies the same checks as a submission: invalid, allowlisted, warninglisted and duplicates', async () => {
    const r = run.result
    expect(r.samples.invalid).toContainEqual(expect.objectContaining({ mispType: 'url', value: '107.183.86', reason: expect.stringMatching(/IPv4/) }))
    expect(r.samples.invalid).toContainEqual(expect.objectContaining({ value: 'www.whitewall.top', reason: expect.stringMatching(/looks like a domain/) }))
    expect(r.allowlisted).toBe(1)
    expect(r.samples.allowlisted[0]).toMatchObject({ value: 'diqjwhebseqhbasdh.com', reason: 'allowlisted by diqjwhebseqhbasdh.com' })
    expect(await ioc('domain', 'diqjwhebseqhbasdh.com')).toBeNull()
    // A dynamic-DNS host waits for review instead of reaching the feeds.
    expect(r.held).toBe(1)
    expect(r.samples.held[0]).toMatchObject({ value: 'goodnewspaper.3322.org', reason: expect.stringMatching(/dynamic DNS/) })
    expect(await ioc('domain', 'goodnewspaper.3322.org')).toBeNull()
    // Two filename|md5 attributes with one MD5: one IOC.
    expect(await count(`SELECT count(*) AS n FROM iocs WHERE value = 'e4e8493898d94f737ff4dc8fab743a4a'`)).toBe(1)
    const staged = await count(`SELECT count(*) AS n FROM import_rows WHERE batch_id = ?`, run.batchId)
    expect(r.created + r.duplicates + r.invalid + r.allowlisted + r.held + r.warningsImported).toBe(staged)
  })

  it("lengthens an analyst's IOC that MISP names, keeping its author", async () => {
    const own = (await ioc('domain', 'softinc.pw'))!
    expect(own.source).toBe('ui')
    expect(daysFromNow(own.expires_at!)).toBeGreaterThan(85)
    const h = await moat.db.prepare(`SELECT actor, event, diff FROM ioc_history WHERE ioc_id = ? ORDER BY id DESC LIMIT 1`).bind(own.id).first<any>()
    expect(h).toMatchObject({ actor: 'misp', event: 'edited' })
    expect(JSON.parse(h.diff).reason).toBe('misp_reseen')
    expect(run.result.extended).toBe(1)
  })

  it('serves the new IOCs in feeds and reports the pull on /health and in the audit log', async () => {
    const feed = await (await fetch(`${moat.base}/feed/domain`)).text()
    expect(feed.split('\n')).toContain('ooiasjdnqjwbeasdasd.com')
    expect(feed).not.toContain('goodnewspaper.3322.org')
    const health: any = await (await fetch(`${moat.base}/health`)).json()
    expect(health.jobs.misp).toMatchObject({ lastOutcome: 'ok' })
    expect(Date.parse(health.jobs.misp.lastSuccessAt)).toBeGreaterThan(Date.now() - 120_000)
    const actions = await moat.db.prepare(`SELECT action, outcome, actor FROM audit_log WHERE action LIKE 'misp.pull%' ORDER BY id`).all()
    expect(actions.results).toEqual([
      { action: 'misp.pull_start', outcome: 'success', actor: 'admin' },
      { action: 'misp.pull', outcome: 'success', actor: 'admin' },
    ])
  })
})

describe('later pulls', () => {
  it('ask for changes since the cursor and add nothing when nothing changed', async () => {
    const before = { iocs: await count(`SELECT count(*) AS n FROM iocs`), history: await count(`SELECT count(*) AS n FROM ioc_history`), batches: await count(`SELECT count(*) AS n FROM import_batches`) }
    const cursor = (await moat.db.prepare(`SELECT cursor FROM misp_sync_state`).first<{ cursor: number }>())!.cursor
    const fetchedTimes = misp.attributes.filter((a) => matches(a, { ...misp.restSearches()[0].body, limit: 0 }, MISP_NOW)).map((a) => Number(a.timestamp))
    expect(cursor).toBe(Math.max(...fetchedTimes))
    const seen = misp.restSearches().length
    const res = await pull()
    expect(res.status).toBe(200)
    const bodies = misp.restSearches().slice(seen).map((r) => r.body)
    expect(bodies[0]).toMatchObject({ timestamp: cursor, page: 1 })
    expect(bodies[0].last).toBeUndefined()
    // Events published since the last pull (an hour's margin), whatever their attributes' age.
    expect(bodies.at(-1).publish_timestamp).toMatch(/^6\dm$/)
    expect(res.json.run.result).toMatchObject({ created: 0, extended: 0, cursorFrom: cursor, cursorTo: cursor })
    expect(res.json.run.result.skipped.unchanged).toBeGreaterThan(0)
    expect(res.json.run.batchId).toBeNull()
    expect({ iocs: await count(`SELECT count(*) AS n FROM iocs`), history: await count(`SELECT count(*) AS n FROM ioc_history`), batches: await count(`SELECT count(*) AS n FROM import_batches`) }).toEqual(before)
  })

  it('extend an IOC whose attribute changed and pull an old event published late', async () => {
    misp.now = MISP_NOW + 86_400
    const changed = (await ioc('domain', 'eqowiesajenqweasd.com'))!
    misp.touch(uuidOf('eqowiesajenqweasd.com'), { comment: 'Ursnif C2, confirmed' })
    // PUBG ransomware: written in 2018, published only now.
    misp.publish('30')
    const pubg = misp.attributes.filter((a) => a.event_id === '30' && a.to_ids && ['md5', 'sha1', 'sha256'].includes(a.type))
    // Two of its attributes carry one SHA-256 (a duplicate within the pull; the changed domain is the other).
    expect(new Set(pubg.map((a) => a.value)).size).toBe(3)
    const res = await pull()
    expect(res.status, res.text).toBe(200)
    expect(res.json.run.result).toMatchObject({ created: 3, duplicates: 2, extended: 1, cursorTo: misp.now })
    for (const a of pubg) expect(await ioc(a.type, a.value.toLowerCase())).toMatchObject({ ticket: 'MISP-30', created_by: mispUserId })
    const after = (await ioc('domain', 'eqowiesajenqweasd.com'))!
    expect(after.expires_at! > changed.expires_at!).toBe(true)
  })
})

describe('review of held warnings', () => {
  it('turns a held row into an IOC of misp when an analyst commits the batch', async () => {
    const [run] = (await admin.get('/api/v1/misp/runs?limit=10')).json.items.filter((r: any) => r.heldBatchId)
    const batch = await admin.get(`/api/v1/imports/${run.heldBatchId}`)
    expect(batch.json.batch).toMatchObject({ status: 'staged', source: 'misp', format: 'misp-review' })
    expect(batch.json.counts).toMatchObject({ total: 1, warning: 1, selected: 0 })
    expect((await admin.post(`/api/v1/imports/${run.heldBatchId}/select`, { statuses: ['warning'], selected: true })).status).toBe(200)
    const commit = await admin.post(`/api/v1/imports/${run.heldBatchId}/commit`, {})
    expect(commit.json.created).toBe(1)
    expect(await ioc('domain', 'goodnewspaper.3322.org')).toMatchObject({ created_by: mispUserId, source: 'misp', ticket: 'MISP-90003' })
  })
})

describe('warning policies', () => {
  it('skips or imports values with sanity warnings as the admin chose', async () => {
    const ips = misp.attributes.filter((a) => a.type === 'ip-dst' && a.to_ids && a._event.published)
    // Someone in MISP edits an address into a private one (RFC 1918: a sanity warning in Moat).
    misp.now += 60
    misp.touch(ips[0].uuid, { value: '10.20.30.40' })
    expect((await admin.patch('/api/v1/misp/settings', { warningPolicy: 'skip' })).status).toBe(200)
    const skipped = (await pull()).json.run.result
    expect(skipped).toMatchObject({ created: 0, held: 0, warningsImported: 0, skipped: { warning: 1 } })
    expect(await ioc('ip', '10.20.30.40')).toBeNull()
    // A skipped value is not linked: a full re-pull under another policy takes it.
    expect((await admin.patch('/api/v1/misp/settings', { warningPolicy: 'import' })).status).toBe(200)
    const full = (await pull({ full: true })).json.run.result
    expect(full).toMatchObject({ created: 1, warningsImported: 1, held: 0 })
    expect(await ioc('ip', '10.20.30.40')).toMatchObject({ created_by: mispUserId })
    misp.now += 60
    misp.touch(ips[1].uuid, { value: '192.168.7.7' })
    expect((await pull()).json.run.result).toMatchObject({ created: 1, warningsImported: 1 })
    expect(await ioc('ip', '192.168.7.7')).toMatchObject({ created_by: mispUserId })
    expect((await admin.patch('/api/v1/misp/settings', { warningPolicy: 'review' })).status).toBe(200)
  })
})

describe('removals', () => {
  it('expires IOCs whose attributes were deleted or lost to_ids, and keeps values MISP still names', async () => {
    misp.now += 3600
    misp.touch(uuidOf('ooiasjdnqjwbeasdasd.com'), { deleted: true })
    misp.touch(uuidOf('dquohwdihaewqdcas.com'), { to_ids: false })
    misp.touch(uuidOf('softinc.pw'), { deleted: true })
    // Two attributes give this MD5; one goes, one stays.
    const twins = misp.attributes.filter((a) => a.value.endsWith('|e4e8493898d94f737ff4dc8fab743a4a'))
    expect(twins.length).toBe(2)
    misp.touch(twins[0].uuid, { deleted: true })
    const seen = misp.restSearches().length
    const res = await pull({ reconcile: true })
    expect(res.status, res.text).toBe(200)
    const r = res.json.run.result
    // softinc.pw is the analyst's: its link is not checked. The two addresses edited into private
    // ones above no longer name their old values: those links go too.
    expect(r).toMatchObject({ reconciled: true, withdrawn: 5, expired: 4 })
    const checks = misp.restSearches().slice(seen).filter((q) => q.body.uuid)
    expect(checks.length).toBeGreaterThan(0)
    expect(checks[0].body.to_ids).toBeUndefined()
    for (const value of ['ooiasjdnqjwbeasdasd.com', 'dquohwdihaewqdcas.com']) {
      const row = (await ioc('domain', value))!
      expect(Date.parse(row.expires_at!)).toBeLessThanOrEqual(Date.now())
      const h = await moat.db.prepare(`SELECT event, actor, diff FROM ioc_history WHERE ioc_id = ? ORDER BY id DESC LIMIT 1`).bind(row.id).first<any>()
      expect(h).toMatchObject({ event: 'expired', actor: 'misp' })
      expect(JSON.parse(h.diff).reason).toBe('misp_withdrawn')
    }
    const feed = (await (await fetch(`${moat.base}/feed/domain`)).text()).split('\n')
    expect(feed).not.toContain('ooiasjdnqjwbeasdasd.com')
    expect(feed).not.toContain('dquohwdihaewqdcas.com')
    expect(feed).toContain('eqowiesajenqweasd.com')
    // Not created by misp: an analyst's IOC never expires because MISP dropped it.
    expect(daysFromNow((await ioc('domain', 'softinc.pw'))!.expires_at!)).toBeGreaterThan(80)
    expect((await ioc('md5', 'e4e8493898d94f737ff4dc8fab743a4a'))!.expires_at).toBeNull()
    const reasons = await moat.db.prepare(`SELECT withdrawn_reason AS r, count(*) AS n FROM misp_attributes WHERE withdrawn_at IS NOT NULL GROUP BY r ORDER BY r`).all()
    expect(reasons.results).toEqual([{ r: 'gone', n: 2 }, { r: 'not_to_ids', n: 1 }, { r: 'value_changed', n: 2 }])
    const ips = misp.attributes.filter((a) => a.type === 'ip-dst' && a.to_ids && a._event.published)
    expect(ips[0].value).toBe('10.20.30.40')
    expect(Date.parse((await ioc('ip', '103.240.203.232'))!.expires_at!)).toBeLessThanOrEqual(Date.now())
  })

  it('brings an IOC back when its attribute is flagged for IDS again', async () => {
    misp.now += 60
    misp.touch(uuidOf('dquohwdihaewqdcas.com'), { to_ids: true })
    const res = await pull()
    expect(res.json.run.result.extended).toBe(1)
    const row = (await ioc('domain', 'dquohwdihaewqdcas.com'))!
    expect(daysFromNow(row.expires_at!)).toBeGreaterThan(85)
    const h = await moat.db.prepare(`SELECT event FROM ioc_history WHERE ioc_id = ? ORDER BY id DESC LIMIT 1`).bind(row.id).first<any>()
    expect(h.event).toBe('reactivated')
  })
})

describe('failures', () => {
  it('retries a page that failed once', async () => {
    misp.failNext.push({ status: 503, body: '<html><body><h1>503 Service Unavailable</h1></body></html>' })
    const seen = misp.restSearches().length
    const res = await pull()
    expect(res.status, res.text).toBe(200)
    const pages = misp.restSearches().slice(seen).map((r) => r.body.page)
    expect(pages.slice(0, 2)).toEqual([1, 1])
  })

  it('fails the whole pull when a page keeps failing: no IOC, no batch, no cursor move', async () => {
    misp.now += 60
    misp.publish('750') // Regin: 27 MD5s that the full re-pull would add
    const regin = misp.find((a) => a.event_id === '750' && a.type === 'md5')
    misp.failWhen = (body) => (body.page === 3 ? { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' } : null)
    const state = await moat.db.prepare(`SELECT cursor FROM misp_sync_state`).first<{ cursor: number }>()
    const before = { iocs: await count(`SELECT count(*) AS n FROM iocs`), batches: await count(`SELECT count(*) AS n FROM import_batches`) }
    const res = await pull({ full: true })
    expect(res.status).toBe(502)
    expect(res.json.error).toMatchObject({ code: 'misp_pull_failed', details: { code: 'http' } })
    expect(res.json.error.message).toBe('MISP answered 502: 502 Bad Gateway nginx')
    expect(misp.restSearches().filter((r) => r.body.page === 3).length).toBeGreaterThanOrEqual(3)
    expect(await ioc('md5', regin.value)).toBeNull()
    expect({ iocs: await count(`SELECT count(*) AS n FROM iocs`), batches: await count(`SELECT count(*) AS n FROM import_batches`) }).toEqual(before)
    expect((await moat.db.prepare(`SELECT cursor FROM misp_sync_state`).first<{ cursor: number }>())!.cursor).toBe(state!.cursor)
    const failed = await moat.db.prepare(`SELECT status, error FROM misp_runs ORDER BY id DESC LIMIT 1`).first<any>()
    expect(failed).toMatchObject({ status: 'error', error: 'MISP answered 502: 502 Bad Gateway nginx' })
    const settings = (await admin.get('/api/v1/misp/settings')).json
    expect(settings.state).toMatchObject({ lastStatus: 'error', lastError: 'MISP answered 502: 502 Bad Gateway nginx', running: false })
    const audit = await moat.db.prepare(`SELECT outcome FROM audit_log WHERE action = 'misp.pull' ORDER BY id DESC LIMIT 1`).first<any>()
    expect(audit.outcome).toBe('failure')
    // MISP recovers: the next pull takes the late-published event.
    misp.failWhen = null
    const next = await pull()
    expect(next.status).toBe(200)
    expect(await ioc('md5', regin.value)).toMatchObject({ ticket: 'MISP-750' })
  })

  it('reports an answer that is not JSON, and a MISP that does not answer in time', async () => {
    misp.failNext.push({ status: 200, body: '<!DOCTYPE html><html><title>Login</title></html>' })
    const html = await pull()
    expect(html.status).toBe(502)
    expect(html.json.error.details.code).toBe('bad_response')
    expect(html.json.error.message).toMatch(/^Page 1 is not JSON: Login/)
    expect((await admin.patch('/api/v1/misp/settings', { timeoutSeconds: 1 })).status).toBe(200)
    misp.hang = true
    try {
      const slow = await pull()
      expect(slow.status).toBe(502)
      expect(slow.json.error.details.code).toBe('timeout')
    } finally {
      misp.hang = false
      await admin.patch('/api/v1/misp/settings', { timeoutSeconds: 120 })
    }
  })

  it('runs one pull at a time', async () => {
    await moat.db.prepare(`UPDATE misp_sync_state SET lease_token = 'other', lease_until = ?`).bind(new Date(Date.now() + 60_000).toISOString()).run()
    const res = await pull()
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('pull_running')
    expect((await admin.get('/api/v1/misp/settings')).json.state.running).toBe(true)
    await moat.db.prepare(`UPDATE misp_sync_state SET lease_token = NULL, lease_until = NULL`).run()
  })
})

describe('schedule', () => {
  it('pulls from the every-minute job only when enabled and due, as the misp user', async () => {
    const worker = (await moat.rt.mf.getWorker()) as any
    const runs = () => count(`SELECT count(*) AS n FROM misp_runs`)
    const before = await runs()
    await worker.scheduled({ cron: 'job:misp', scheduledTime: new Date() })
    expect(await runs()).toBe(before) // disabled
    expect((await admin.patch('/api/v1/misp/settings', { enabled: true, intervalMinutes: 5 })).status).toBe(200)
    await worker.scheduled({ cron: 'job:misp', scheduledTime: new Date() })
    expect(await runs()).toBe(before) // the last manual pull was under 5 minutes ago
    // Due, and so is the daily check for removals.
    await moat.db.prepare(`UPDATE misp_sync_state SET last_attempt_at = ?, next_reconcile_at = ?`).bind(new Date(Date.now() - 6 * 60_000).toISOString(), new Date(Date.now() - 1000).toISOString()).run()
    const { outcome } = await worker.scheduled({ cron: '* * * * *', scheduledTime: new Date() })
    expect(outcome).toBe('ok')
    const [latest] = (await admin.get('/api/v1/misp/runs?limit=1')).json.items
    expect(latest).toMatchObject({ trigger: 'schedule', actor: 'misp', status: 'ok', result: { reconciled: true } })
    expect(latest.result.checked).toBeGreaterThan(200)
    expect(await runs()).toBe(before + 1)
    const job = await moat.db.prepare(`SELECT last_outcome, last_result FROM job_runs WHERE name = 'misp'`).first<any>()
    expect(job.last_outcome).toBe('ok')
    expect(JSON.parse(job.last_result)).toMatchObject({ run: latest.id })
  })
})

describe('critical sanity hits', () => {
  it('refuses them from MISP under block_non_admin (the misp user is no admin), counted invalid with the reason; warn_all imports them', async () => {
    const ips = misp.attributes.filter((a) => a.type === 'ip-dst' && a.to_ids && a._event.published)
    misp.now += 60
    misp.touch(ips[2].uuid, { value: '8.8.8.8' })
    // Even the `import` policy (warnings imported as they come) does not let a critical hit through.
    expect((await admin.patch('/api/v1/misp/settings', { warningPolicy: 'import' })).status).toBe(200)
    const blocked = (await pull()).json.run.result
    expect(blocked).toMatchObject({ created: 0, invalid: 1, warningsImported: 0, held: 0 })
    expect(blocked.samples.invalid).toEqual([expect.objectContaining({ value: '8.8.8.8', reason: expect.stringMatching(/public DNS resolver.*critical sanity hit, public_resolver/) })])
    expect(await ioc('ip', '8.8.8.8')).toBeNull()
    // block_all refuses it the same way; under warn_all it is an ordinary warning and the policy imports it.
    expect((await admin.patch('/api/v1/settings/defaults', { sanityMode: 'block_all' })).status).toBe(200)
    expect((await pull({ full: true })).json.run.result).toMatchObject({ created: 0, warningsImported: 0 })
    expect(await ioc('ip', '8.8.8.8')).toBeNull()
    // The general per-type lifetimes do not apply: MISP keeps its own (MISP settings: ip 1m).
    expect((await admin.patch('/api/v1/settings/defaults', { sanityMode: 'warn_all', ttlByType: { ip: 'permanent' } })).status).toBe(200)
    expect((await pull({ full: true })).json.run.result).toMatchObject({ created: 1, warningsImported: 1 })
    const made = await ioc('ip', '8.8.8.8')
    expect(made).toMatchObject({ created_by: mispUserId, source: 'misp' })
    expect(Math.round(daysFromNow(made!.expires_at!))).toBeGreaterThanOrEqual(28)
    expect(Math.round(daysFromNow(made!.expires_at!))).toBeLessThanOrEqual(31)
    expect((await admin.patch('/api/v1/settings/defaults', { sanityMode: 'block_non_admin', ttlByType: {} })).status).toBe(200)
    expect((await admin.patch('/api/v1/misp/settings', { warningPolicy: 'review' })).status).toBe(200)
  })
})
