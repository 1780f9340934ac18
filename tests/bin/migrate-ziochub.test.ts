import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../bin/import'
import { Client, startMoat, type TestMoat } from '../helpers/moat'
import { buildFixture, SECRETS, SHA256, SHA512, WAL_IOC, type Fixture } from '../helpers/ziochub-fixture'

let moat: TestMoat
let fixture: Fixture
let boss: Client
let out: string[] = []

const TZ = ['--source-tz', 'Asia/Jerusalem']
const run = (args: string[]) => runImport(args, { withRuntime: (fn) => fn(moat.rt), out: (l) => void out.push(l) })
const one = async <T>(q: string, ...binds: unknown[]) => (await moat.db.prepare(q).bind(...binds).first()) as T
const all = async <T>(q: string, ...binds: unknown[]) => (await moat.db.prepare(q).bind(...binds).all()).results as T[]
const exact = async (value: string, status = 'all') => (await boss.get(`/api/v1/iocs?q=${encodeURIComponent(value)}&match=exact&status=${status}`)).json.items

const TABLES = ['iocs', 'ioc_tags', 'ioc_history', 'ioc_notes', 'users', 'user_avatars', 'campaigns', 'allowlist', 'playbook_links', 'settings', 'migration_items']
async function tableCounts() {
  const counts: Record<string, number> = {}
  for (const t of TABLES) counts[t] = (await one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).n
  return counts
}

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  boss = new Client(moat.base)
  await boss.login('boss', moat.password)
  fixture = buildFixture()
})
afterAll(async () => {
  fixture?.cleanup()
  await moat?.close()
})

describe('moat import ziochub', () => {
  let batchId: number

  it('stages the whole installation for review: nothing is live, every skip, merge and change has its reason', async () => {
    out = []
    const outcome = await run(['ziochub', fixture.dataDir, ...TZ])
    batchId = outcome!.batchId
    const text = out.join('\n')
    const batch = await boss.get(`/api/v1/imports/${batchId}`)
    expect(batch.json.batch).toMatchObject({ source: 'ziochub', status: 'staged', rowCount: 15 })
    // 15 rows: 2 skipped (invalid), 1 merged away (duplicate of its first row), 10.0.0.0/8 covered by
    // the imported allowlist only at commit (so a warning now: private network), 11 new.
    expect(batch.json.counts).toMatchObject({ total: 15, invalid: 2, duplicate: 1, allowlisted: 0 })
    expect(batch.json.counts.new + batch.json.counts.warning).toBe(12)
    expect(batch.json.counts.selected).toBe(12)
    expect(await exact('evil-payload.com')).toEqual([])
    expect(text).toMatch(/iocs#9 {2}\[unsupported_hash\] .*SHA-512/)
    expect(text).toMatch(/iocs#7 {2}\[invalid_tld\]/)
    expect(text).toMatch(/iocs#5 {2}\[merged_duplicate\]/)
    expect(text).toMatch(/iocs#8 {2}\[refanged\] {2}"hxxp:\/\/c2\.bad-actor\[\.\]xyz\/gate\.php" -> "http:\/\/c2\.bad-actor\.xyz\/gate\.php"/)
    expect(text).toMatch(/iocs#6 {2}\[canonicalised\]/)
    expect(text).toMatch(/iocs#3 {2}\[allowlisted\] {2}10\.0\.0\.0\/8: covered by allowlist\.txt entry "cidr:10\.0\.0\.0\/8"/)
    expect(text).toMatch(/ldap_bind_password: not imported; enter it in Admin and rotate it/)
    expect(text).toMatch(/yara_rules missing\.yar {2}\[missing_file\]/)
    expect(text).toContain(`moat import commit ${batchId}`)
    const rows = (await boss.get(`/api/v1/imports/${batchId}/rows?status=invalid`)).json.items
    expect(rows.map((r: any) => [r.line, r.error.code])).toEqual([
      [7, 'invalid_tld'],
      [9, 'unsupported_hash'],
    ])
    const merged = (await boss.get(`/api/v1/imports/${batchId}/rows?status=duplicate`)).json.items
    expect(merged.map((r: any) => [r.line, r.reason])).toEqual([[5, 'duplicate of line 4']])
  })

  it('never prints or stores a secret of the old system', async () => {
    const text = out.join('\n')
    const stored = await all<{ data: string }>('SELECT data FROM migration_items UNION ALL SELECT notes FROM import_batches UNION ALL SELECT value FROM settings')
    for (const secret of Object.values(SECRETS)) {
      expect(text).not.toContain(secret)
      expect(stored.some((r) => r.data.includes(secret))).toBe(false)
    }
  })

  it('commits from the bulk import screen: IOCs, authors, merges, expiry, allowlist, history, notes, users, playbook', async () => {
    const res = await boss.post(`/api/v1/imports/${batchId}/commit`, {})
    expect(res.status).toBe(200)
    expect(res.json.batch.status).toBe('committed')
    // 12 selected rows, plus 10.0.0.0/8 imported as excluded once the allowlist covers it.
    expect(res.json.created).toBe(12)

    const [evil] = await exact('evil-payload.com')
    expect(evil).toMatchObject({
      type: 'domain',
      status: 'active',
      expiresAt: null,
      tags: ['apt', 'phish'],
      ticket: 'INC-4',
      comment: 'first sighting / second sighting / ticket INC-5',
      campaign: { name: 'Op Lantern' },
      createdAt: '2025-01-15T10:00:00.250Z',
      source: 'ziochub:single',
      createdBy: expect.objectContaining({ username: 'Dana' }),
    })
    const history = (await boss.get(`/api/v1/iocs/${evil.id}/history`)).json.items
    expect(history.map((h: any) => [h.event, h.actor, h.at])).toEqual([
      ['created', 'dana', '2025-01-15T10:00:00.000Z'],
      ['edited', 'guyzw', '2025-02-01T10:00:00.000Z'],
    ])
    expect(history[0].diff).toMatchObject({ legacy: { ticket_id: 'INC-5' }, migratedFrom: 'ziochub', importBatch: batchId })

    expect((await exact('http://c2.bad-actor.xyz/gate.php'))[0]).toMatchObject({ type: 'url', status: 'active' })
    expect((await exact('http://phish.example-bad.top/Login'))[0]).toMatchObject({ type: 'url' })
    expect((await exact('2a0b:4140:1::5'))[0]).toMatchObject({ type: 'ip', source: 'ziochub:txt' })
    expect((await exact(SHA256.toLowerCase()))[0]).toMatchObject({ type: 'sha256' })
    expect((await exact(WAL_IOC.value as string))[0]).toMatchObject({ type: 'md5', ticket: 'INC-15' })
    expect(await exact(SHA512)).toEqual([])

    const [expired] = await exact('expired-stage.top')
    expect(expired).toMatchObject({ status: 'expired', expiresAt: '2025-02-28T22:00:00.000Z' })
    const feed = await boss.get('/feed/domain')
    expect(feed.text.split('\n')).toContain('evil-payload.com')
    expect(feed.text).not.toContain('expired-stage.top')

    const [net] = await exact('10.0.0.0/8')
    expect(net).toMatchObject({ status: 'excluded', excludeReason: expect.stringMatching(/allowlisted when imported/) })
    expect((await boss.get('/feed/ip')).text).not.toContain('10.0.0.0/8')
    const allowlist = await all<{ kind: string; value: string }>('SELECT kind, value FROM allowlist ORDER BY id')
    expect(allowlist).toEqual([
      { kind: 'exact', value: 'google.com' },
      { kind: 'cidr', value: '10.0.0.0/8' },
      { kind: 'suffix', value: 'gov' },
      { kind: 'suffix', value: 'corp.example' },
      { kind: 'cidr', value: '192.168.1.0/24' },
    ])

    const users = await all<any>('SELECT username, role, source, active, must_change_password, password_hash, display_name FROM users ORDER BY id')
    const byName = Object.fromEntries(users.map((u) => [u.username, u]))
    expect(byName.guyzw).toMatchObject({ role: 'analyst', source: 'local', active: 1, must_change_password: 1, password_hash: null, display_name: 'Guy Zwerd' })
    expect(byName.Dana).toMatchObject({ role: 'admin', source: 'ldap', password_hash: null })
    expect(byName.misp).toMatchObject({ source: 'system' })
    expect(byName.oldtimer).toMatchObject({ active: 0 })
    expect(byName['legacy:mallory']).toMatchObject({ active: 0, source: 'system', role: 'analyst' })
    expect(byName['legacy:unknown']).toMatchObject({ active: 0, source: 'system' })
    expect(byName.admin.password_hash).not.toBeNull()
    expect((await exact('ghost-analyst.top'))[0].createdBy.username).toBe('legacy:mallory')
    expect((await exact('misp-fed.top'))[0].createdBy.username).toBe('misp')
    const avatar = await one<{ mime: string }>(`SELECT mime FROM user_avatars WHERE user_id = (SELECT id FROM users WHERE username = 'guyzw')`)
    expect(avatar.mime).toBe('image/png')

    // A value deleted in ZIoCHub: a deleted IOC with its history, and its note.
    const [gone] = await exact('deleted-domain.top')
    expect(gone).toMatchObject({ status: 'deleted', ticket: 'INC-0', createdAt: '2025-01-05T09:00:00.000Z', deletedAt: '2025-01-20T09:00:00.000Z' })
    const goneHistory = (await boss.get(`/api/v1/iocs/${gone.id}/history`)).json.items
    expect(goneHistory.map((h: any) => [h.event, h.actor])).toEqual([
      ['created', 'guyzw'],
      ['deleted', 'admin'],
    ])
    const notes = (await boss.get('/api/v1/notes?type=domain&value=deleted-domain.top')).json.items
    expect(notes).toEqual([expect.objectContaining({ body: 'Sinkholed by the registrar', author: 'guyzw', createdAt: '2025-01-21T09:00:00.000Z' })])
    expect((await boss.get('/api/v1/notes?type=domain&value=evil-payload.com')).json.items[0]).toMatchObject({ author: 'Dana' })

    const links = await all<any>('SELECT type, name, url, description, parent_id, source_key, essential, tags, dir FROM playbook_links ORDER BY position')
    expect(links.map((l) => [l.type, l.name, l.url])).toEqual([
      ['group', 'Recon', null],
      ['site', 'VT lookup', 'https://www.virustotal.com/gui/search/{ioc}'],
      ['site', 'Evil', null],
      ['workflow', 'Triage', null],
    ])
    for (const l of links) expect(l.description).not.toMatch(/<|onerror|javascript:|alert/i)
    expect(links[1]).toMatchObject({ description: 'Look it up then click or [docs](https://docs.example/vt)', essential: 1, tags: '["ip","md5","sha1","sha256"]' })
    const group = await one<{ id: number }>(`SELECT id FROM playbook_links WHERE source_key = 'ziochub:g1'`)
    expect(links[1].parent_id).toBe(group.id)
    expect(links[3]).toMatchObject({ description: '1. check', dir: 'rtl' })

    const campaigns = await all<{ name: string }>('SELECT name FROM campaigns ORDER BY name')
    expect(campaigns.map((c) => c.name)).toEqual(['Op Lantern', 'Winter Phish'])
    const settings = await one<{ value: string }>(`SELECT value FROM settings WHERE key = 'migration.ziochub.settings'`)
    expect(JSON.parse(settings.value)).toMatchObject({ auth_mode: 'ldap_with_local_fallback', ldap_user_filter: '(sAMAccountName={username})' })
    expect(JSON.parse(settings.value)).not.toHaveProperty('misp_last_sync')

    const kept = await all<{ kind: string; key: string; data: string }>(`SELECT kind, key, data FROM migration_items WHERE batch_id = ? ORDER BY kind, key`, batchId)
    const yara = kept.filter((k) => k.kind === 'yara').map((k) => JSON.parse(k.data))
    expect(yara.map((y) => [y.filename, y.status, y.analyst])).toEqual([
      ['approved_rule.yar', 'approved', 'guyzw'],
      ['pending_rule.yar', 'pending', 'dana'],
      ['broken.yar', 'pending', 'guyzw'],
      ['orphan_rule.yar', 'approved', 'legacy:unknown'],
    ].sort((a, b) => a[0].localeCompare(b[0])))
    expect(yara.find((y) => y.filename === 'broken.yar').errors.length).toBeGreaterThan(0)
    expect(new Set(kept.map((k) => k.kind))).toEqual(new Set(['yara', 'sanity_exclusion', 'team_goal', 'activity_event', 'rank_snapshot', 'user_prefs']))

    // In the YARA Manager, compiled by YARA-X: approved files that compile stay approved (and are
    // served), the pending one stays pending, the broken one arrives pending with its error.
    expect(res.json.yara).toEqual({ stored: 4, approved: 2, pending: 2, present: 0, demoted: [] })
    const library = await all<{ filename: string; status: string; username: string; lint: string }>(
      `SELECT y.filename, y.status, u.username, y.lint FROM yara_rules y JOIN users u ON u.id = y.created_by ORDER BY y.filename`,
    )
    expect(library.map((r) => [r.filename, r.status, r.username])).toEqual([
      ['approved_rule.yar', 'approved', 'guyzw'],
      ['broken.yar', 'pending', 'guyzw'],
      ['orphan_rule.yar', 'approved', 'legacy:unknown'],
      ['pending_rule.yar', 'pending', 'Dana'],
    ])
    expect(JSON.parse(library[1].lint).some((f: { severity?: string; message: string }) => /error/i.test(JSON.stringify(f)))).toBe(true)
    const bundle = await boss.get('/feed/yara-bundle')
    expect(bundle.status).toBe(200)
    expect(bundle.text).toContain('rule approved_rule')
    expect(bundle.text).not.toContain('rule pending_rule')
  })

  it('adds nothing when run again (with --commit)', async () => {
    const before = await tableCounts()
    out = []
    const outcome = await run(['ziochub', fixture.dataDir, ...TZ, '--commit'])
    expect(outcome!.result).toMatchObject({ created: 0 })
    expect(await tableCounts()).toEqual(before)
    expect(out.join('\n')).toMatch(/Committed batch \d+: 0 IOCs created/)
    expect(outcome!.yara).toMatchObject({ stored: 0 })
    expect(await one<{ n: number }>('SELECT count(*) AS n FROM yara_rules')).toEqual({ n: 4 })
  })

  it('refuses a folder without a ZIoCHub database, and a bad time zone', async () => {
    await expect(run(['ziochub', fixture.threatgateDir])).rejects.toThrow(/no ziochub\.db/)
    await expect(run(['ziochub', fixture.dataDir, '--source-tz', 'Mars/Olympus'])).rejects.toThrow(/not an IANA time zone/)
  })
})

describe('moat import threatgate', () => {
  it('reads Main/*.txt with its own grammar (fields in any order, missing, or no # at all), then commits with `moat import commit`', async () => {
    out = []
    const staged = await run(['threatgate', fixture.threatgateDir, ...TZ])
    const text = out.join('\n')
    expect(text).toMatch(/hash\.txt:1 {2}\[unsupported_hash\]/)
    expect(text).toMatch(/domain\.txt:2 {2}\[merged_duplicate\]/)
    expect(text).toMatch(/hash\.txt:2 {2}\[bad_date\]/)
    expect(text).not.toMatch(/comment line/)
    const committed = await run(['commit', String(staged!.batchId)])
    expect(committed!.result!.created).toBe(6)
    // The CLI compiles the rule files through the launcher's HOST binding too.
    expect(committed!.yara).toMatchObject({ stored: 1, approved: 1 })

    expect((await exact('1.2.3.5'))[0]).toMatchObject({ ticket: '12345', comment: 'x', expiresAt: null, createdAt: '2026-01-26T04:42:13.000Z', source: 'threatgate', createdBy: expect.objectContaining({ username: 'guyzw' }) })
    expect((await exact('45.9.148.108'))[0]).toMatchObject({ expiresAt: '2099-12-30T22:00:00.000Z', createdBy: expect.objectContaining({ username: 'Dana' }) })
    expect((await exact('203.0.113.77'))[0]).toMatchObject({ comment: '', createdBy: expect.objectContaining({ username: 'legacy:unknown' }) })
    expect((await exact('91.92.109.33'))[0]).toMatchObject({ ticket: 'INC-9', comment: 'reordered fields', createdBy: expect.objectContaining({ username: 'legacy:nobody' }) })
    expect((await exact('tg-evil.top'))[0]).toMatchObject({ expiresAt: null, comment: 'empty user', status: 'active' })
    expect((await exact('098f6bcd4621d373cade4e832627b4f6'))[0]).toMatchObject({ type: 'md5', expiresAt: null })
    const yara = await all<{ data: string }>(`SELECT data FROM migration_items WHERE batch_id = ? AND kind = 'yara'`, staged!.batchId)
    expect(yara.map((y) => JSON.parse(y.data))).toEqual([expect.objectContaining({ filename: 'tg_rule.yar', analyst: 'guyzw', comment: 'tg rule', status: 'approved' })])

    const before = await tableCounts()
    await run(['threatgate', fixture.threatgateDir, ...TZ, '--commit'])
    expect(await tableCounts()).toEqual(before)
  })

  it('discarding a staged migration drops its staged records too', async () => {
    const staged = await run(['threatgate', fixture.threatgateDir, ...TZ])
    const id = staged!.batchId
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM migration_items WHERE batch_id = ?', id)).n).toBeGreaterThan(0)
    expect((await boss.del(`/api/v1/imports/${id}`)).status).toBe(204)
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM migration_items WHERE batch_id = ?', id)).n).toBe(0)
  })
})
