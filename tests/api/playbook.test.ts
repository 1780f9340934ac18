import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
let admin: Client
let ana: Client
let viewer: Client

const VT = 'https://www.virustotal.com/gui/search/{value}'

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  await moat.addUser('val', 'viewer')
  admin = new Client(moat.base)
  ana = new Client(moat.base)
  viewer = new Client(moat.base)
  await admin.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await viewer.login('val', moat.password)
})
afterAll(() => moat.close())

describe('playbook roles', () => {
  it('needs a session to read', async () => {
    expect((await new Client(moat.base).get('/api/v1/playbook')).status).toBe(401)
  })

  it('refuses writes from analysts and viewers with 403 and stores nothing', async () => {
    const body = { name: 'VirusTotal', url: VT }
    expect((await ana.post('/api/v1/playbook', body)).status).toBe(403)
    expect((await viewer.post('/api/v1/playbook', body)).status).toBe(403)
    const created = await admin.post('/api/v1/playbook', { name: 'Temp', url: 'https://example.org/?q={value}' })
    expect(created.status).toBe(201)
    const id = created.json.link.id
    expect((await ana.patch(`/api/v1/playbook/${id}`, { name: 'Mine now' })).status).toBe(403)
    expect((await ana.del(`/api/v1/playbook/${id}`)).status).toBe(403)
    expect((await viewer.post('/api/v1/playbook/order', { ids: [id] })).status).toBe(403)
    expect((await admin.del(`/api/v1/playbook/${id}`)).status).toBe(204)
    expect((await admin.get('/api/v1/playbook')).json.items).toEqual([])
  })
})

describe('URL template validation', () => {
  const bad: [string, string][] = [
    ['javascript:alert(document.cookie)', 'unsafe_scheme'],
    ['JaVaScRiPt:alert(1)//{value}', 'unsafe_scheme'],
    ['data:text/html,<script>alert(1)</script>', 'unsafe_scheme'],
    ['vbscript:msgbox(1)', 'unsafe_scheme'],
    ['ftp://files.example.org/{value}', 'unsafe_scheme'],
    ['//www.virustotal.com/gui/search/{value}', 'unsafe_scheme'],
    ['https://{value}/', 'placeholder_in_host'],
    ['https://www.{value}.example.org/x', 'placeholder_in_host'],
    ['https://www.virustotal.com/gui/search/%7Bvalue%7D', 'encoded_placeholder'],
    ['https://www.virustotal.com/gui/search/%7btype%7d', 'encoded_placeholder'],
    ['https://otx.alienvault.com/indicator/{ioc}', 'unknown_placeholder'],
    ['https://otx.alienvault.com/indicator/{value', 'unbalanced_brace'],
    ['https://user:secret@tools.example.org/?q={value}', 'credentials'],
    ['https://tools.example.org/search?q={value} now', 'invalid_character'],
    ['https:///nohost/{value}', 'invalid_url'],
  ]
  for (const [url, code] of bad) {
    it(`refuses ${url} (${code}), naming the url field`, async () => {
      const res = await admin.post('/api/v1/playbook', { name: 'Bad', url })
      expect(res.status).toBe(422)
      expect(res.json.error.details.fields).toEqual([expect.objectContaining({ field: 'url', code })])
    })
  }

  it('requires a URL for a site, and refuses unknown fields and bad IOC types', async () => {
    const missing = await admin.post('/api/v1/playbook', { name: 'No URL' })
    expect(missing.status).toBe(422)
    expect(missing.json.error.details.fields[0]).toMatchObject({ field: 'url', code: 'required' })
    const extra = await admin.post('/api/v1/playbook', { name: 'x', url: VT, onclick: 'alert(1)' })
    expect(extra.status).toBe(400)
    const types = await admin.post('/api/v1/playbook', { name: 'x', url: VT, iocTypes: ['ip', 'hostname'] })
    expect(types.status).toBe(400)
    expect(types.json.error.details.fields[0].field).toBe('iocTypes.1')
    expect((await admin.get('/api/v1/playbook')).json.items).toEqual([])
  })

  it('refuses an unsafe URL on edit too and keeps the old one', async () => {
    const created = await admin.post('/api/v1/playbook', { name: 'Shodan', url: 'https://www.shodan.io/host/{value}', iocTypes: ['ip'] })
    const id = created.json.link.id
    const res = await admin.patch(`/api/v1/playbook/${id}`, { url: 'javascript:alert(1)' })
    expect(res.status).toBe(422)
    expect(res.json.error.details.fields[0]).toMatchObject({ field: 'url', code: 'unsafe_scheme' })
    const list = (await viewer.get('/api/v1/playbook')).json.items
    expect(list).toEqual([expect.objectContaining({ id, url: 'https://www.shodan.io/host/{value}' })])
    expect((await admin.del(`/api/v1/playbook/${id}`)).status).toBe(204)
  })
})

describe('playbook CRUD', () => {
  it('creates, lists (for everyone), edits, reorders and deletes entries, auditing each write', async () => {
    const vt = await admin.post('/api/v1/playbook', {
      name: 'VirusTotal',
      url: VT,
      description: 'Reputation <img src=x onerror=alert(1)> and **relations** [more](javascript:alert(1))',
    })
    expect(vt.status).toBe(201)
    expect(vt.json.link).toMatchObject({ type: 'site', name: 'VirusTotal', url: VT, iocTypes: [], position: 0, parentId: null })
    // HTML never gets in: the same sanitiser as the ZIoCHub playbook import.
    expect(vt.json.link.description).toBe('Reputation and **relations** more')
    const otx = await admin.post('/api/v1/playbook', { name: 'OTX', url: 'https://otx.alienvault.com/indicator/{type}/{value}', iocTypes: ['ip', 'domain', 'ip'] })
    expect(otx.json.link).toMatchObject({ iocTypes: ['ip', 'domain'], position: 1 })
    const group = await admin.post('/api/v1/playbook', { type: 'group', name: 'Internal tools' })
    expect(group.status).toBe(201)
    const siem = await admin.post('/api/v1/playbook', { name: 'SIEM', url: 'http://siem.corp.internal:8443/search?q={value}&t={type}', parentId: group.json.link.id })
    expect(siem.json.link).toMatchObject({ parentId: group.json.link.id, position: 0 })
    const notGroup = await admin.post('/api/v1/playbook', { name: 'x', url: VT, parentId: vt.json.link.id })
    expect(notGroup.status).toBe(422)
    expect(notGroup.json.error.details.fields[0]).toMatchObject({ field: 'parentId', code: 'invalid_parent' })

    const ids = { vt: vt.json.link.id, otx: otx.json.link.id, group: group.json.link.id, siem: siem.json.link.id }
    const listed = await ana.get('/api/v1/playbook')
    expect(listed.status).toBe(200)
    expect(listed.json.items.map((l: { name: string }) => l.name)).toEqual(['VirusTotal', 'OTX', 'Internal tools', 'SIEM'])

    const edited = await admin.patch(`/api/v1/playbook/${ids.otx}`, { name: 'AlienVault OTX', iocTypes: ['domain'] })
    expect(edited.status).toBe(200)
    expect(edited.json.link).toMatchObject({ name: 'AlienVault OTX', iocTypes: ['domain'], url: 'https://otx.alienvault.com/indicator/{type}/{value}' })

    const reordered = await admin.post('/api/v1/playbook/order', { ids: [ids.group, ids.otx, ids.vt] })
    expect(reordered.status).toBe(200)
    expect(reordered.json.items.map((l: { name: string }) => l.name)).toEqual(['Internal tools', 'AlienVault OTX', 'VirusTotal', 'SIEM'])
    const unknown = await admin.post('/api/v1/playbook/order', { ids: [ids.vt, 9999] })
    expect(unknown.status).toBe(422)
    expect(unknown.json.error.details.fields[0].field).toBe('ids.1')

    expect((await admin.del(`/api/v1/playbook/${ids.group}`)).status).toBe(204)
    const after = (await viewer.get('/api/v1/playbook')).json.items
    expect(after.map((l: { name: string; parentId: number | null }) => [l.name, l.parentId])).toEqual([
      ['AlienVault OTX', null],
      ['VirusTotal', null],
      ['SIEM', null],
    ])
    expect((await admin.del(`/api/v1/playbook/${ids.group}`)).status).toBe(404)

    const audit = await moat.db.prepare(`SELECT action, target FROM audit_log WHERE action LIKE 'playbook.%' ORDER BY id`).all()
    const actions = audit.results.map((r) => `${r.action} ${r.target ?? ''}`.trim())
    expect(actions).toContain('playbook.create VirusTotal')
    expect(actions).toContain('playbook.edit AlienVault OTX')
    expect(actions).toContain('playbook.reorder')
    expect(actions).toContain('playbook.delete Internal tools')
  })
})
