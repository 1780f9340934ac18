// The Champs IOC roll-up (schema/champs-rollup.ts) must always equal grouping the IOC table
// directly: after single submits, bulk imports, edits (campaign, tags, comment, ticket, expiry,
// severity), deletions, allowlisting, exclusion and hard deletes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client
let ana: Client

const DIRECT = `SELECT created_by AS user_id, created_at AS at, type, campaign_id IS NOT NULL AS campaign, comment, ticket,
    coalesce(json_array_length(tags), 0) AS tags, expires_at IS NOT NULL AS expires, source <> 'ui' AS bulk,
    coalesce(deleted_at IS NOT NULL AND julianday(deleted_at) - julianday(created_at) < 7 AND (allowlisted_by IS NOT NULL OR severity = 'critical'), 0) AS penalized,
    count(*) AS n
  FROM iocs GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`
const ROLLUP = `SELECT user_id, at, type, campaign, comment, ticket, tags, expires, bulk, penalized, n FROM champs_ioc_groups WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`

async function same() {
  const direct = (await moat.db.prepare(DIRECT).all()).results
  const rollup = (await moat.db.prepare(ROLLUP).all()).results
  expect(rollup).toEqual(direct)
  return direct.length
}

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

describe('champs_ioc_groups', () => {
  it('follows every write path of the IOC table', async () => {
    const ids: number[] = []
    for (const [i, value] of ['evil-one.example', 'evil-two.example', '45.9.148.12', 'http://drop.example/a.exe', 'x@phish.example'].entries()) {
      const res = await ana.post('/api/v1/iocs', { value, confirm: true, comment: i % 2 ? 'Seen in the phishing wave, beaconing every minute' : '', tags: i ? ['apt'] : [] })
      expect(res.status, res.text).toBe(201)
      ids.push(res.json.ioc.id)
    }
    expect(await same()).toBeGreaterThan(0)
    const staged = await ana.post('/api/v1/imports', { text: 'bulk-a.example\nbulk-b.example\nbulk-c.example\n', format: 'txt' })
    expect(staged.status, staged.text).toBe(201)
    expect((await ana.post(`/api/v1/imports/${staged.json.id}/commit`, {})).status).toBe(200)
    await same()
    // Edits that move an IOC to another group, and one that does not (a later expiry).
    expect((await ana.patch(`/api/v1/iocs/${ids[0]}`, { campaign: 'Op Rollup' })).status).toBe(200)
    expect((await ana.patch(`/api/v1/iocs/${ids[1]}`, { tags: ['apt', 'c2', 'loader'], comment: 'Longer comment after the analysis of the dropper' })).status).toBe(200)
    expect((await ana.patch(`/api/v1/iocs/${ids[2]}`, { ticket: 'INC-4242', severity: 'critical' })).status).toBe(200)
    expect((await ana.patch(`/api/v1/iocs/${ids[3]}`, { ttl: 'permanent' })).status).toBe(200)
    await same()
    // Delete a critical one (the #6 penalty), allowlist and exclude others, delete a campaign.
    expect((await admin.post('/api/v1/allowlist', { kind: 'exact', value: 'x@phish.example', reason: 'test' })).status).toBe(201)
    expect((await ana.del(`/api/v1/iocs/${ids[2]}`)).status).toBe(204)
    expect((await ana.del(`/api/v1/iocs/${ids[4]}`)).status).toBe(204)
    expect((await ana.post(`/api/v1/iocs/${ids[1]}/exclude`, { reason: 'noise' })).status).toBe(200)
    const campaignId = (await ana.get(`/api/v1/iocs/${ids[0]}`)).json.ioc.campaign.id
    expect((await admin.del(`/api/v1/campaigns/${campaignId}`)).status).toBe(204)
    await same()
    const penalized = await moat.db.prepare(`SELECT sum(n) AS n FROM champs_ioc_groups WHERE penalized = 1`).first<{ n: number }>()
    // The critical IP and the allowlisted email, both deleted within 7 days.
    expect(penalized?.n).toBe(2)
    // A hard delete (purge) takes the IOC out of its group.
    await moat.db.prepare(`DELETE FROM iocs WHERE id = ?`).bind(ids[3]).run()
    await same()
  })
})
