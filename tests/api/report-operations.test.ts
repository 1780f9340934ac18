// The report's operations sections come from one grouped pass over the period's IOCs; each must
// equal its own direct query over the IOC table (the queries the report used to run one by one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let ana: Client
let bob: Client

const TLD = `CASE WHEN type IN ('domain', 'url') AND host IS NOT NULL AND ip_start IS NULL THEN lower(substr(host, length(rtrim(host, replace(host, '.', ''))) + 1)) END`

beforeAll(async () => {
  moat = await startMoat()
  // These tests are about GeoIP / reports / the graph and use real resolver addresses (known countries): critical
  // sanity hits stay confirmable by analysts here (iocs.sanityMode = warn_all; the modes are tested in ioc-policy.test.ts).
  await moat.db.prepare(`INSERT INTO settings (key, value) VALUES ('iocs.sanityMode', '"warn_all"')`).run()
  await moat.addUser('ana', 'analyst')
  await moat.addUser('bob', 'analyst')
  ana = new Client(moat.base)
  bob = new Client(moat.base)
  await ana.login('ana', moat.password)
  await bob.login('bob', moat.password)
  const rows: [Client, string, Record<string, unknown>][] = [
    [ana, '8.8.8.8', { campaign: 'Op Zeta' }],
    [ana, '193.0.0.1', { campaign: 'Op Alpha', ticket: 'INC-1' }],
    [ana, '81.2.69.142', { ttl: 'permanent', comment: 'Scanner seen on the edge' }],
    [bob, 'evil-one.com', { tags: ['apt'], campaign: 'Op Alpha' }],
    [bob, 'evil-two.net', { comment: '  padded comment  ' }],
    [bob, 'login.evil.co.uk', { ttl: 'permanent' }],
    [bob, 'http://drop.example.org/a.exe', { campaign: 'Op Zeta' }],
    [ana, 'x@phish.example.net', { tags: ['phish', 'bec'] }],
    [bob, 'y@phish.example.net', {}],
    [bob, 'd41d8cd98f00b204e9800998ecf8427e', { campaign: 'Op Beta' }],
  ]
  for (const [c, value, extra] of rows) {
    const res = await c.post('/api/v1/iocs', { value, confirm: true, ...extra })
    expect(res.status, res.text).toBe(201)
  }
})
afterAll(() => moat.close())

const all = async <T>(q: string) => (await moat.db.prepare(q).all<T>()).results

describe('report operations', () => {
  it('equal the direct aggregates over the IOC table', async () => {
    const res = await ana.get('/api/v1/reports?period=week')
    expect(res.status, res.text).toBe(200)
    const ops = res.json.operations
    const grouped = (select: string, where = '1', limit = 10) =>
      all(`SELECT ${select} AS key, count(*) AS n FROM iocs WHERE ${where} GROUP BY 1 HAVING key IS NOT NULL ORDER BY n DESC, key LIMIT ${limit}`)
    expect(ops.type_distribution).toEqual(Object.fromEntries((await grouped('type')).map((r: any) => [r.key, r.n])))
    expect(ops.top_countries).toEqual(await grouped(`nullif(country, '')`, `type = 'ip'`))
    expect(ops.top_countries.length).toBeGreaterThan(1)
    expect(ops.top_tlds).toEqual(await grouped(TLD))
    expect(ops.top_tlds).toEqual(expect.arrayContaining([{ key: 'com', n: 1 }, { key: 'uk', n: 1 }, { key: 'org', n: 1 }]))
    expect(ops.email_domains).toEqual(await grouped(`CASE WHEN type = 'email' THEN host END`))
    expect(ops.email_domains).toEqual([{ key: 'phish.example.net', n: 2 }])
    expect(ops.submission_methods).toEqual(await grouped('source', '1', 20))
    expect(ops.top_campaigns).toEqual(
      await all(`SELECT c.id, c.name, count(*) AS n FROM iocs i JOIN campaigns c ON c.id = i.campaign_id GROUP BY c.id ORDER BY n DESC, c.name LIMIT 10`),
    )
    expect(ops.top_campaigns.map((c: any) => c.name)).toEqual(['Op Alpha', 'Op Zeta', 'Op Beta'])
    const [exp] = await all<any>(`SELECT coalesce(sum(expires_at IS NULL), 0) AS permanent, coalesce(sum(expires_at > strftime('%Y-%m-%dT%H:%M:%fZ','now')), 0) AS active,
      coalesce(sum(expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ','now')), 0) AS expired FROM iocs`)
    expect(ops.expiration_policy).toEqual(exp)
    expect(ops.expiration_policy).toEqual({ permanent: 2, active: 8, expired: 0 })
    const [q] = await all<any>(`SELECT count(*) AS n, sum(trim(comment) <> '') AS comment, sum(campaign_id IS NOT NULL) AS campaign,
      sum(json_array_length(tags) > 0) AS tags, avg(length(trim(comment))) AS avgLen FROM iocs`)
    const pct = (part: number) => Math.round((1000 * part) / q.n) / 10
    expect(ops.ioc_quality).toMatchObject({
      total: q.n,
      with_comment_pct: pct(q.comment),
      with_campaign_pct: pct(q.campaign),
      with_tags_pct: pct(q.tags),
      avg_comment_length: Math.round(q.avgLen * 10) / 10,
    })
    expect(ops.analyst_activity).toEqual(
      await all(`SELECT u.username, u.display_name AS name, u.source = 'system' AS system, count(*) AS n FROM iocs i JOIN users u ON u.id = i.created_by GROUP BY u.id ORDER BY n DESC`),
    )
    expect(ops.analyst_activity.map((a: any) => [a.username, a.n])).toEqual([['bob', 6], ['ana', 4]])
    const total = ops.submission_rate.points.reduce((a: number, p: any) => a + p.total, 0)
    expect(total).toBe(10)
  })
})
