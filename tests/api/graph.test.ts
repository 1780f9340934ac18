import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let ana: Client
let viewer: Client
const camp: Record<string, number> = {}
const ioc: Record<string, number> = {}
let yaraId: number

const rule = (name: string, text: string) =>
  `rule ${name}\n{\n  meta:\n    author = "ana"\n    description = "Detects the graph test marker in samples"\n    date = "2026-11-20"\n  strings:\n    $a = "${text}" ascii wide\n    $b = "${text}-second-marker"\n  condition:\n    filesize < 2MB and any of them\n}\n`

async function submit(value: string, campaign: string, extra: Record<string, unknown> = {}) {
  const res = await ana.post('/api/v1/iocs', { value, campaign, confirm: true, ...extra })
  expect(res.status, res.text).toBe(201)
  ioc[value] = res.json.ioc.id
}

beforeAll(async () => {
  moat = await startMoat()
  // These tests are about GeoIP / reports / the graph and use real resolver addresses (known countries): critical
  // sanity hits stay confirmable by analysts here (iocs.sanityMode = warn_all; the modes are tested in ioc-policy.test.ts).
  await moat.db.prepare(`INSERT INTO settings (key, value) VALUES ('iocs.sanityMode', '"warn_all"')`).run()
  await moat.addUser('ana', 'analyst')
  await moat.addUser('val', 'viewer')
  ;[ana, viewer] = [new Client(moat.base), new Client(moat.base)]
  await ana.login('ana', moat.password)
  await viewer.login('val', moat.password)
  for (const name of ['Alpha', 'Bravo', '@Charlie']) {
    const res = await ana.post('/api/v1/campaigns', { name })
    expect(res.status, res.text).toBe(201)
    camp[name] = res.json.campaign.id
  }
  await submit('8.8.8.8', 'Alpha')
  await submit('evil-alpha.example', 'Alpha')
  await submit('http://bravo.example/x', 'Bravo')
  await submit('1.1.1.1', 'Bravo', { ttl: '1w' })
  await submit('gone.example', 'Bravo')
  await submit('loose.example', 'Alpha', { campaign: undefined })
  // Expired (its expiry passed), deleted (not in the graph at all).
  await moat.db.prepare(`UPDATE iocs SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?`).bind(ioc['1.1.1.1']).run()
  expect((await ana.del(`/api/v1/iocs/${ioc['gone.example']}`)).status).toBe(204)
  const y = await ana.post('/api/v1/yara', { filename: 'alpha.yar', content: rule('Alpha_Loader', 'alpha-graph-marker'), campaignId: camp.Alpha })
  expect(y.status, y.text).toBe(201)
  yaraId = y.json.rule.id
})
afterAll(() => moat.close())

const campaignNode = (name: string, total: number) => ({ id: `c${camp[name]}`, kind: 'campaign', label: name, campaignId: camp[name], total })
const iocNode = (value: string, type: string, campaign: string, country: string | null = null, status = 'active') => ({
  id: `i${ioc[value]}`,
  kind: 'ioc',
  label: value,
  iocId: ioc[value],
  type,
  country,
  status,
  campaignId: camp[campaign],
})
const edge = (campaign: string, node: string) => ({ id: `c${camp[campaign]}-${node}`, source: `c${camp[campaign]}`, target: node })

describe('GET /api/v1/graph', () => {
  it('answers campaigns, their live IOCs (country on IPs) and YARA files, children round-robin across campaigns', async () => {
    const res = await viewer.get('/api/v1/graph')
    expect(res.status, res.text).toBe(200)
    const yara = { id: `y${yaraId}`, kind: 'yara', label: 'alpha.yar', ruleId: yaraId, type: 'yara', status: 'pending', campaignId: camp.Alpha }
    expect(res.json.nodes).toEqual([
      campaignNode('@Charlie', 0),
      campaignNode('Alpha', 3),
      campaignNode('Bravo', 2),
      yara,
      iocNode('http://bravo.example/x', 'url', 'Bravo'),
      iocNode('8.8.8.8', 'ip', 'Alpha', 'US'),
      iocNode('1.1.1.1', 'ip', 'Bravo', 'AU', 'expired'),
      iocNode('evil-alpha.example', 'domain', 'Alpha'),
    ])
    expect(res.json.edges).toEqual([
      edge('Alpha', `y${yaraId}`),
      edge('Bravo', `i${ioc['http://bravo.example/x']}`),
      edge('Alpha', `i${ioc['8.8.8.8']}`),
      edge('Bravo', `i${ioc['1.1.1.1']}`),
      edge('Alpha', `i${ioc['evil-alpha.example']}`),
    ])
    expect(res.json).toMatchObject({ matched: 8, truncated: false, limit: 5000 })
  })

  it('filters by campaign, type, active only and search', async () => {
    const ids = (r: { json: { nodes: { id: string }[] } }) => r.json.nodes.map((n) => n.id)
    expect(ids(await ana.get(`/api/v1/graph?campaign=${camp.Bravo}`))).toEqual([`c${camp.Bravo}`, `i${ioc['http://bravo.example/x']}`, `i${ioc['1.1.1.1']}`])
    expect(ids(await ana.get(`/api/v1/graph?campaign=${camp.Alpha},${camp.Bravo}&type=ip`))).toEqual([
      `c${camp.Alpha}`,
      `c${camp.Bravo}`,
      `i${ioc['8.8.8.8']}`,
      `i${ioc['1.1.1.1']}`,
    ])
    expect(ids(await ana.get(`/api/v1/graph?type=yara`))).toEqual([`c${camp['@Charlie']}`, `c${camp.Alpha}`, `c${camp.Bravo}`, `y${yaraId}`])
    // Active only: the expired IP and the pending rule drop out.
    expect(ids(await ana.get(`/api/v1/graph?active=1&type=ip,url,domain&campaign=${camp.Alpha},${camp.Bravo}`))).toEqual([
      `c${camp.Alpha}`,
      `c${camp.Bravo}`,
      `i${ioc['8.8.8.8']}`,
      `i${ioc['http://bravo.example/x']}`,
      `i${ioc['evil-alpha.example']}`,
    ])
    expect(ids(await ana.get(`/api/v1/graph?active=true&type=yara`))).toEqual([`c${camp['@Charlie']}`, `c${camp.Alpha}`, `c${camp.Bravo}`])
    // Search: matching values keep their campaign; a matching campaign name keeps all its children.
    expect(ids(await ana.get(`/api/v1/graph?q=EVIL`))).toEqual([`c${camp.Alpha}`, `i${ioc['evil-alpha.example']}`])
    expect(ids(await ana.get(`/api/v1/graph?q=brav`))).toEqual([`c${camp.Bravo}`, `i${ioc['http://bravo.example/x']}`, `i${ioc['1.1.1.1']}`])
    expect(ids(await ana.get(`/api/v1/graph?q=alpha-graph`))).toEqual([])
    expect(ids(await ana.get(`/api/v1/graph?q=alpha.yar`))).toEqual([`c${camp.Alpha}`, `y${yaraId}`])
    // LIKE wildcards are literal.
    expect(ids(await ana.get(`/api/v1/graph?q=${encodeURIComponent('%')}`))).toEqual([])
    // Approved, the rule counts as active.
    await moat.db.prepare(`UPDATE yara_rules SET status = 'approved' WHERE id = ?`).bind(yaraId).run()
    expect(ids(await ana.get(`/api/v1/graph?active=1&type=yara&campaign=${camp.Alpha}`))).toEqual([`c${camp.Alpha}`, `y${yaraId}`])
  })

  it('caps the nodes, flags truncated and still gives every campaign some children', async () => {
    await moat.db
      .prepare(
        `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 40)
         INSERT INTO iocs (type, value, host, ticket, campaign_id, created_by, tags) SELECT 'domain', 'bulk-' || i || '.example', 'bulk-' || i || '.example', 'T-1', ?, 1, '[]' FROM s`,
      )
      .bind(camp.Alpha)
      .run()
    const res = await ana.get(`/api/v1/graph?campaign=${camp.Alpha},${camp.Bravo}&limit=6`)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ matched: 2 + 43 + 2, truncated: true, limit: 6 })
    expect(res.json.nodes).toHaveLength(6)
    const byCampaign = (id: number) => res.json.nodes.filter((n: { kind: string; campaignId: number }) => n.kind !== 'campaign' && n.campaignId === id).length
    expect([byCampaign(camp.Alpha), byCampaign(camp.Bravo)]).toEqual([2, 2])
    expect(res.json.edges).toHaveLength(4)
    const all = await ana.get(`/api/v1/graph`)
    expect(all.json).toMatchObject({ matched: 3 + 43 + 2, truncated: false })
    expect(all.json.nodes).toHaveLength(48)
  })

  it('exports the same nodes as CSV with formula-looking cells neutralised', async () => {
    const res = await viewer.get(`/api/v1/graph/export.csv?campaign=${camp['@Charlie']},${camp.Bravo}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toContain('campaign-graph.csv')
    expect(res.text.split('\r\n')).toEqual([
      'kind,id,value,type,country,status,campaign_id,campaign',
      `campaign,${camp['@Charlie']},"'@Charlie",,,,${camp['@Charlie']},"'@Charlie"`,
      `campaign,${camp.Bravo},Bravo,,,,${camp.Bravo},Bravo`,
      `ioc,${ioc['http://bravo.example/x']},http://bravo.example/x,url,,active,${camp.Bravo},Bravo`,
      `ioc,${ioc['1.1.1.1']},1.1.1.1,ip,AU,expired,${camp.Bravo},Bravo`,
      '',
    ])
  })

  it('refuses bad filters naming the field, and anonymous callers', async () => {
    const bad = await ana.get('/api/v1/graph?type=ip,bogus')
    expect(bad.status, bad.text).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('type')
    const limit = await ana.get('/api/v1/graph?limit=5001')
    expect(limit.status).toBe(400)
    expect(limit.json.error.details.fields[0]).toMatchObject({ field: 'limit', reason: 'must be at most 5000' })
    expect((await ana.get('/api/v1/graph?campaign=x')).json.error.details.fields[0].field).toBe('campaign')
    expect((await ana.get('/api/v1/graph?active=maybe')).json.error.details.fields[0].field).toBe('active')
    const anon = new Client(moat.base)
    expect((await anon.get('/api/v1/graph')).status).toBe(401)
    expect((await anon.get('/api/v1/graph/export.csv')).status).toBe(401)
  })
})
