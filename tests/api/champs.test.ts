import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fireScheduled } from '../../bin/scheduler'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client
let carol: Client
let dave: Client
let viewer: Client
let carolId: number
let daveId: number

const job = async (name: string, at = new Date()) => fireScheduled((await moat.rt.mf.getWorker()) as never, `job:${name}`, at)
const submit = (c: Client, value: string, extra: Record<string, unknown> = {}) => c.post('/api/v1/iocs', { value, confirm: true, ...extra })
const rowOf = (board: any, username: string) => board.rows.find((r: any) => r.username === username)

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  carolId = await moat.addUser('carol', 'analyst')
  daveId = await moat.addUser('dave', 'analyst')
  await moat.addUser('val', 'viewer')
  await moat.db.prepare(`INSERT OR IGNORE INTO users (username, display_name, role, source) VALUES ('misp', 'MISP', 'analyst', 'system')`).run()
  admin = new Client(moat.base)
  carol = new Client(moat.base)
  dave = new Client(moat.base)
  viewer = new Client(moat.base)
  await Promise.all([admin.login('boss', moat.password), carol.login('carol', moat.password), dave.login('dave', moat.password), viewer.login('val', moat.password)])
  // carol: a campaign (created with her first IOC), 2 more IOCs, one deleted own IOC; dave: 1 IOC.
  expect((await submit(carol, 'c2.carol-case.com', { campaign: 'Op Carol' })).status).toBe(201)
  expect((await submit(carol, '45.77.1.2')).status).toBe(201)
  expect((await submit(carol, 'http://carol-case.net/x')).status).toBe(201)
  const gone = await submit(carol, 'oops.carol-case.org')
  expect((await carol.del(`/api/v1/iocs/${gone.json.ioc.id}`)).status).toBe(204)
  expect((await submit(dave, 'dave-case.com')).status).toBe(201)
  // A system user's IOC never enters the board.
  const misp = await moat.db.prepare(`SELECT id FROM users WHERE username = 'misp'`).first<{ id: number }>()
  await moat.db.prepare(`INSERT INTO iocs (type, value, host, ticket, created_by, source) VALUES ('domain', 'misp-feed.com', 'misp-feed.com', 'MISP-1', ?, 'misp')`).bind(misp!.id).run()
})
afterAll(() => moat.close())

describe('leaderboard', () => {
  it('scores under method #1 by default and ranks with trend fields', async () => {
    const res = await viewer.get('/api/v1/champs')
    expect(res.status).toBe(200)
    expect(res.json.method).toBe(1)
    // carol: IOC with campaign 3 + 3 IOCs × 2 (the deleted one too) + campaign 1 + own deletion 1 = 11; dave: 2.
    expect(rowOf(res.json, 'carol')).toMatchObject({ score: 11, rank: 1, total_iocs: 4, deletion_count: 1, streak_days: 1, level: 1, trend: { previous_rank: null, delta: null } })
    expect(rowOf(res.json, 'dave')).toMatchObject({ score: 2, rank: 2, total_iocs: 1 })
    expect(rowOf(res.json, 'misp')).toBeUndefined()
    expect(rowOf(res.json, 'carol').badges.map((b: any) => b.key)).toContain('team_player')
    expect(rowOf(res.json, 'carol').nickname.key).toBe('domain_scout')
  })

  it('credits a first campaign link to the analyst who made it', async () => {
    const campaigns = (await dave.get('/api/v1/campaigns')).json.items
    const iocId = (await moat.db.prepare(`SELECT id FROM iocs WHERE value = 'dave-case.com'`).first<{ id: number }>())!.id
    expect((await dave.post(`/api/v1/campaigns/${campaigns[0].id}/iocs`, { iocIds: [iocId] })).status).toBe(200)
    const history = (await dave.get(`/api/v1/iocs/${iocId}/history`)).json.items
    expect(history.some((h: any) => h.event === 'edited')).toBe(true)
    // dave now: the IOC has a campaign (3) + first link (1) = 4.
    expect(rowOf((await viewer.get('/api/v1/champs')).json, 'dave').score).toBe(4)
  })

  it('lets admins preview and switch methods, and no one else', async () => {
    expect((await carol.get('/api/v1/champs?method=2')).status).toBe(403)
    const preview = await admin.get('/api/v1/champs?method=2')
    expect(preview.json.method).toBe(2)
    expect(rowOf(preview.json, 'carol').score).toBe(4)
    expect((await carol.patch('/api/v1/champs/config', { method: 3 })).status).toBe(403)
    const bad = await admin.patch('/api/v1/champs/config', { method: 9 })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('method')
    const set = await admin.patch('/api/v1/champs/config', { method: 3 })
    expect(set.status).toBe(200)
    expect(set.json.settings.method).toBe(3)
    // #3: domain 2 + ip 3 + url 3 + domain 2 + campaign 1 + deletion 1 = 12
    expect(rowOf((await viewer.get('/api/v1/champs')).json, 'carol').score).toBe(12)
    await admin.patch('/api/v1/champs/config', { method: 1 })
  })

  it('answers the constants in use, 8 methods, 26 levels and 25 badges', async () => {
    const res = await viewer.get('/api/v1/champs/config')
    expect(res.json.constants).toMatchObject({ IOC_DEFAULT: 2, IOC_WITH_CAMPAIGN: 3, YARA_DEFAULT: 25, STREAK_BONUS_PERCENT: 10 })
    expect(res.json.methods).toHaveLength(8)
    expect(res.json.levels).toHaveLength(26)
    expect(res.json.badges).toHaveLength(25)
    expect(res.json.badges[0].label.he).toBeTruthy()
  })

  it('shows one analyst in the spotlight with every method’s score', async () => {
    const res = await viewer.get(`/api/v1/champs/spotlight/${carolId}`)
    expect(res.status).toBe(200)
    expect(res.json.scores).toMatchObject({ 1: 11, 2: 4, 3: 12 })
    expect(res.json.activity).toHaveLength(14)
    expect(res.json.activity.at(-1).count).toBe(6)
    expect(res.json.recent[0].value).toBe('oops.carol-case.org')
    expect((await viewer.get('/api/v1/champs/spotlight/99999')).status).toBe(404)
  })
})

describe('team goals, milestones and the ticker', () => {
  it('validates goals and lets only admins set them', async () => {
    const bad = await admin.post('/api/v1/champs/goals', { title: 'x', targetValue: 0, goalType: 'ioc_add', period: 'weekly' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('targetValue')
    expect((await carol.post('/api/v1/champs/goals', { title: 'x', targetValue: 5, goalType: 'ioc_add', period: 'weekly' })).status).toBe(403)
  })

  it('measures the active goal against its target and writes each milestone once', async () => {
    const res = await admin.post('/api/v1/champs/goals', { title: 'Ten this week', targetValue: 10, goalType: 'ioc_add', period: 'weekly' })
    expect(res.status).toBe(201)
    // 5 IOCs by carol and dave this week; the system user's IOC does not count.
    expect(res.json.goal).toMatchObject({ current: 5, percent: 50, reached: false })
    await job('goals')
    await job('goals')
    const events = await moat.db.prepare(`SELECT json_extract(payload, '$.percent') AS p FROM activity_events WHERE kind = 'goal_progress' ORDER BY p`).all()
    expect(events.results).toEqual([{ p: 25 }, { p: 50 }])
  })

  it('renders the last activity as ticker items, newest first', async () => {
    const res = await viewer.get('/api/v1/champs/ticker')
    expect(res.json.custom).toBe(false)
    const kinds = res.json.items.map((i: any) => i.kind)
    expect(kinds).toEqual(expect.arrayContaining(['goal_progress', 'goal_created', 'ioc_single', 'deletion']))
    const del = res.json.items.find((i: any) => i.kind === 'deletion')
    expect(del).toMatchObject({ category: 'negative', params: { name: 'CAROL', type: 'domain', value: 'oops.carol-case.org' } })
    const at = res.json.items.map((i: any) => i.at)
    expect([...at].sort().reverse()).toEqual(at)
  })

  it('replaces the ticker with at most 5 custom messages', async () => {
    const bad = await admin.patch('/api/v1/champs/config', { ticker: [{ text: 'Hi', color: 'red', dir: 'ltr' }] })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('ticker.0.color')
    const six = Array.from({ length: 6 }, () => ({ text: 'x', color: '#112233', dir: 'ltr' }))
    expect((await admin.patch('/api/v1/champs/config', { ticker: six })).status).toBe(400)
    await admin.patch('/api/v1/champs/config', { ticker: [{ text: 'ברוכים הבאים', color: '#0a7d32', dir: 'rtl' }] })
    const res = await viewer.get('/api/v1/champs/ticker')
    expect(res.json).toMatchObject({ custom: true, items: [{ kind: 'custom', params: { text: 'ברוכים הבאים' }, color: '#0a7d32', dir: 'rtl' }] })
    await admin.patch('/api/v1/champs/config', { ticker: [] })
  })
})

describe('rank snapshots', () => {
  it('writes yesterday’s ranks once and shows the trend against them', async () => {
    await job('champs-snapshot')
    await job('champs-snapshot')
    const snaps = await moat.db.prepare(`SELECT user_id AS u, rank FROM champs_rank_snapshots ORDER BY rank`).all()
    expect(snaps.results).toEqual(expect.arrayContaining([{ u: carolId, rank: 1 }, { u: daveId, rank: 2 }]))
    expect(rowOf((await viewer.get('/api/v1/champs')).json, 'dave').trend).toEqual({ previous_rank: 2, delta: 0 })
  })

  it('records who rose and whom they overtook', async () => {
    const yesterday = (await moat.db.prepare(`SELECT date FROM champs_rank_snapshots LIMIT 1`).first<{ date: string }>())!.date
    const before = new Date(Date.parse(`${yesterday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    // The day before, dave was first and carol second; yesterday carol is first.
    await moat.db.batch([
      moat.db.prepare(`DELETE FROM champs_rank_snapshots WHERE date = ?`).bind(yesterday),
      moat.db.prepare(`INSERT INTO champs_rank_snapshots (user_id, date, rank, score) VALUES (?, ?, 1, 5), (?, ?, 2, 1)`).bind(daveId, before, carolId, before),
    ])
    await job('champs-snapshot')
    const ev = await moat.db.prepare(`SELECT user_id AS u, payload FROM activity_events WHERE kind = 'rank_change'`).all<{ u: number; payload: string }>()
    expect(ev.results.map((r) => ({ u: r.u, ...JSON.parse(r.payload) }))).toEqual([{ u: carolId, username: 'carol', name: 'CAROL', rank: 1, previous: 2, overtaken: 'dave' }])
  })
})

describe('velocity', () => {
  it('counts IOCs per day for the team and the system apart, and per analyst', async () => {
    const res = await viewer.get('/api/v1/champs/velocity')
    expect(res.json.days).toHaveLength(30)
    expect(res.json.days.at(-1)).toMatchObject({ team: 5, system: 1 })
    expect(res.json.analysts.map((a: any) => [a.username, a.n])).toEqual([['carol', 4], ['dave', 1]])
  })
})

describe('intelligence reports', () => {
  it('reports KPIs, the previous period, operations and analysts for this week', async () => {
    const res = await viewer.get('/api/v1/reports?period=week')
    expect(res.status).toBe(200)
    expect(res.json.period.name).toMatch(/^Weekly Report - /)
    // 6 created (carol 4, dave 1, misp 1), one deleted: 5 active, 1 cleanup.
    expect(res.json.kpis).toMatchObject({ created: 6, active_iocs: 5, cleanup_count: 1, net_change: 5, active_campaigns: 1 })
    // The permanent misp-feed.com is not stale yet; nothing else is anomalous.
    expect(res.json.kpis.feed_health_score).toBe(100)
    expect(res.json.kpis_prev).toMatchObject({ created: 0, active_iocs: 0, feed_health_score: 100 })
    expect(res.json.operations.type_distribution).toEqual({ domain: 4, ip: 1, url: 1 })
    expect(res.json.operations.submission_rate.points).toHaveLength(7)
    expect(res.json.operations.submission_methods).toEqual(expect.arrayContaining([{ key: 'ui', n: 5 }, { key: 'misp', n: 1 }]))
    expect(res.json.operations.top_campaigns).toEqual([expect.objectContaining({ name: 'Op Carol', n: 2 })])
    expect(res.json.analysts.podium[0]).toMatchObject({ username: 'carol' })
    expect(res.json.analysts.podium[0].sparkline).toHaveLength(7)
    expect(res.json.available.weeks.length).toBeGreaterThanOrEqual(1)
  })

  it('counts anomalies into the feed health score', async () => {
    await submit(carol, '10.9.9.9')
    const res = await viewer.get('/api/v1/reports?period=day')
    expect(res.json.kpis).toMatchObject({ active_iocs: 6, anomalous: 1, feed_health_score: 83.3 })
    expect(res.json.operations.anomalies_summary).toEqual([{ type: 'local_ip', count: 1, samples: [{ type: 'ip', value: '10.9.9.9' }] }])
    expect(res.json.operations.submission_rate.points).toHaveLength(24)
  })

  it('validates periods, naming the field', async () => {
    const noFrom = await viewer.get('/api/v1/reports?period=custom&to=2026-01-01')
    expect(noFrom.status).toBe(400)
    expect(noFrom.json.error.details.fields[0].field).toBe('from')
    const long = await viewer.get('/api/v1/reports?period=custom&from=2024-01-01&to=2026-01-01')
    expect(long.json.error.details.fields[0]).toMatchObject({ field: 'to', reason: 'a custom range may span at most 366 days' })
    expect((await viewer.get('/api/v1/reports?period=day&date=2026-02-30')).json.error.details.fields[0].field).toBe('date')
    const custom = await viewer.get('/api/v1/reports?period=custom&from=2026-01-01&to=2026-01-31')
    expect(custom.json.period).toMatchObject({ name: 'Report - Jan 1 - Jan 31, 2026', startDate: '2026-01-01', endDate: '2026-02-01' })
  })
})

describe('YARA rules in the scores', () => {
  it('credits approved rules to their uploader at yara(quality) and pending ones nothing', async () => {
    const yuri = await moat.addUser('yuri', 'analyst')
    const rule = (name: string, status: string, quality: number) =>
      moat.db
        .prepare(
          `INSERT INTO yara_rules (filename, content, sha256, size, rule_names, rules, status, quality, quality_parts, lint, created_by, reviewed_at)
           VALUES (?, 'rule x { condition: true }', ?, 26, '["x"]', '[]', ?, ?, '[]', '[]', ?, ?)`,
        )
        .bind(`${name}.yar`, name.padEnd(64, '0'), status, quality, yuri, status === 'approved' ? new Date().toISOString() : null)
        .run()
    await rule('approved', 'approved', 42)
    await rule('pending', 'pending', 50)
    await rule('weak', 'approved', 4)
    const board = (await viewer.get('/api/v1/champs')).json
    // 42 + clamp(4 → 10) = 52; the pending rule scores 0.
    expect(rowOf(board, 'yuri')).toMatchObject({ score: 52, yara_count: 2, rank: 1 })
    expect(rowOf(board, 'yuri').badges.map((b: any) => b.key)).toContain('yara_rookie')
    expect(rowOf(board, 'yuri').nickname.key).toBe('code_breaker')
    const report = (await viewer.get('/api/v1/reports?period=day')).json
    expect(report.kpis.yara_rules).toBe(2)
    expect(report.operations.yara_quality).toMatchObject({ total_approved: 2, pending: 1, rejected: 0, avg_quality: 23 })
  })
})
