import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

const DATA = path.resolve('../shared/data/yara')

let moat: TestMoat
let boss: Client
let ana: Client
let rev: Client
let ola: Client
let vic: Client
let revId: number

async function feed(p: string, headers: Record<string, string> = {}) {
  const res = await fetch(moat.base + p, { headers: { 'accept-encoding': 'identity', ...headers } })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

function fileForm(name: string, content: string | Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData()
  form.set('file', new Blob([content as BlobPart]), name)
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  return form
}

const rule = (name: string, text: string, meta = 'author = "ana"\n    description = "Detects the test marker string in samples"\n    date = "2026-11-20"') =>
  `rule ${name}\n{\n  meta:\n    ${meta}\n  strings:\n    $a = "${text}" ascii wide\n    $b = "${text}-second-marker"\n  condition:\n    filesize < 2MB and any of them\n}\n`

async function upload(c: Client, filename: string, content: string, extra: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/yara', { filename, content, ...extra })
  expect(res.status, res.text).toBe(201)
  return res.json.rule as { id: number; filename: string; status: string; version: number }
}

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  await moat.addUser('ana', 'analyst')
  revId = await moat.addUser('rev', 'analyst')
  await moat.addUser('ola', 'analyst')
  await moat.addUser('vic', 'viewer')
  ;[boss, ana, rev, ola, vic] = [new Client(moat.base), new Client(moat.base), new Client(moat.base), new Client(moat.base), new Client(moat.base)]
  await boss.login('boss', moat.password)
  await ana.login('ana', moat.password)
  await rev.login('rev', moat.password)
  await ola.login('ola', moat.password)
  await vic.login('vic', moat.password)
})
afterAll(() => moat.close())

/** Rules per file, from the corpus README table. */
function expectedRuleCounts(): Map<string, number> {
  const readme = readFileSync(path.join(DATA, 'README.md'), 'utf8')
  return new Map([...readme.matchAll(/^\| valid\/(\S+) \| (\d+) \| OK \|$/gm)].map((m) => [m[1], Number(m[2])]))
}

describe('the compile check (YARA-X through the HOST binding)', () => {
  it('accepts every file of the valid corpus with the rule count the corpus lists', async () => {
    const counts = expectedRuleCounts()
    expect(counts.size).toBe(69)
    for (const [rel, n] of counts) {
      const content = readFileSync(path.join(DATA, 'valid', rel))
      const res = await boss.post('/api/v1/yara', fileForm(path.basename(rel), content, { tags: 'corpus' }))
      expect(res.status, `${rel}: ${res.text.slice(0, 300)}`).toBe(201)
      expect(res.json.rule.ruleNames.length, rel).toBe(n)
      expect(res.json.rule.status).toBe('pending')
      expect(res.json.rule.quality).toBeGreaterThanOrEqual(10)
      expect(res.json.rule.quality).toBeLessThanOrEqual(50)
    }
    const list = await boss.get('/api/v1/yara?tag=corpus&limit=200')
    expect(list.json.items).toHaveLength(69)
  }, 180_000)

  // Where each broken file really breaks (line numbers of the files as they are).
  const INVALID: Record<string, { line: number; code: string; says: RegExp }> = {
    '01_missing_closing_brace.yar': { line: 11, code: 'E001', says: /syntax error.*end of file/ },
    '02_undefined_string.yar': { line: 9, code: 'E025', says: /unknown pattern `\$b`/ },
    '03_bad_regex.yar': { line: 5, code: 'E014', says: /invalid regular expression.*unclosed group/ },
    '04_unknown_module.yar': { line: 2, code: 'E010', says: /unknown module `pefile`/ },
    '05_duplicate_rule_name.yar': { line: 10, code: 'E012', says: /duplicate rule `Emotet_Loader`/ },
    '06_unterminated_string.yar': { line: 5, code: 'E001', says: /unclosed literal string/ },
    '07_unreferenced_string.yar': { line: 6, code: 'E022', says: /unused pattern `\$unused`/ },
    '08_invalid_hex_string.yar': { line: 5, code: 'E001', says: /syntax error/ },
    '09_missing_condition.yar': { line: 8, code: 'E001', says: /expecting .*`condition`/ },
    '10_undefined_identifier_no_import.yar': { line: 7, code: 'E009', says: /unknown identifier `pe`/ },
  }

  it('rejects every file of the invalid corpus with an error at the right line', async () => {
    const files = readdirSync(path.join(DATA, 'invalid')).sort()
    expect(files).toEqual(Object.keys(INVALID))
    for (const name of files) {
      const content = readFileSync(path.join(DATA, 'invalid', name), 'utf8')
      const res = await ana.post('/api/v1/yara', fileForm(name, content))
      expect(res.status, name).toBe(422)
      expect(res.json.error.code).toBe('yara_compile_failed')
      const [first] = res.json.error.details.errors
      expect(first, name).toMatchObject({ line: INVALID[name].line, code: INVALID[name].code, severity: 'error' })
      expect(first.message, name).toMatch(INVALID[name].says)
      expect(first.column, name).toBeGreaterThan(0)
      expect(res.json.error.message).toContain(`line ${INVALID[name].line}`)
      // The same verdict without storing anything.
      const check = await ana.post('/api/v1/yara/validate', { content })
      expect(check.json.ok, name).toBe(false)
      expect(check.json.errors[0].line, name).toBe(INVALID[name].line)
    }
    const stored = await boss.get('/api/v1/yara?limit=200')
    expect(stored.json.items.filter((f: any) => /^\d\d_/.test(f.filename))).toEqual([])
  })

  it('reports every error of a file, not only the first', async () => {
    const res = await ana.post('/api/v1/yara/validate', { content: readFileSync(path.join(DATA, 'invalid', '04_unknown_module.yar'), 'utf8') })
    expect(res.json.errors.map((e: any) => [e.line, e.code])).toEqual([
      [2, 'E010'],
      [9, 'E009'],
    ])
  })

  it('refuses include statements (no file is ever read from the server) and files without rules', async () => {
    const inc = await ana.post('/api/v1/yara/validate', { content: 'include "/etc/passwd"\nrule X_Y { condition: true }\n' })
    expect(inc.json.ok).toBe(false)
    expect(inc.json.errors[0]).toMatchObject({ line: 1, code: 'E042' })
    const empty = await ana.post('/api/v1/yara', { filename: 'empty.yar', content: '// nothing here\n' })
    expect(empty.status).toBe(422)
    expect(empty.json.error.details.errors[0].code).toBe('no_rules')
  })
})

describe('lint and quality', () => {
  it('returns lint warnings at their lines and a quality score with its breakdown', async () => {
    const content = [
      'rule bad',
      '{',
      '  strings:',
      '    $a = "MZ"',
      '    $re = /.*evil/',
      '  condition:',
      '    3 of them',
      '}',
      '',
    ].join('\n')
    const res = await ana.post('/api/v1/yara/validate', { content })
    expect(res.json.ok).toBe(true)
    const codes = res.json.warnings.map((w: any) => [w.line, w.code])
    expect(codes).toEqual(
      expect.arrayContaining([
        [1, 'missing_meta'],
        [1, 'rule_name_convention'],
        [4, 'short_atom'],
        [5, 'expensive_regex'],
        [7, 'of_exceeds_strings'],
      ]),
    )
    expect(res.json.quality).toBeGreaterThanOrEqual(10)
    expect(res.json.quality).toBeLessThan(25)
    expect(res.json.qualityParts.map((p: any) => p.key)).toEqual(['metadata', 'references', 'strings', 'condition', 'lint'])
    const good = await ana.post('/api/v1/yara/validate', { content: rule('Lint_Good_Rule', 'lint-good-marker-string') })
    expect(good.json.warnings).toEqual([])
    expect(good.json.quality).toBeGreaterThan(res.json.quality + 10)
  })

  it('warns about rule names and logic already in the library', async () => {
    await upload(ana, 'lib_one.yar', rule('Lib_Dup_Name', 'library-marker-one'))
    const res = await ana.post('/api/v1/yara/validate', { content: rule('Lib_Dup_Name', 'library-marker-two') + '\n' + rule('Lib_Same_Logic', 'library-marker-one') })
    const w = res.json.warnings.map((x: any) => [x.code, x.rule])
    expect(w).toContainEqual(['duplicate_rule_name', 'Lib_Dup_Name'])
    expect(w).toContainEqual(['duplicate_logic', 'Lib_Same_Logic'])
  })

  it('lets admins configure the required meta keys and the name pattern', async () => {
    expect((await ana.patch('/api/v1/yara/settings', { requiredMeta: ['author'] })).status).toBe(403)
    const bad = await boss.patch('/api/v1/yara/settings', { namePattern: '([' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('namePattern')
    const set = await boss.patch('/api/v1/yara/settings', { requiredMeta: ['author', 'tlp'], namePattern: '^[a-z_]+$' })
    expect(set.json.settings).toMatchObject({ requiredMeta: ['author', 'tlp'], namePattern: '^[a-z_]+$' })
    const res = await ana.post('/api/v1/yara/validate', { content: rule('Upper_Case', 'settings-marker-string') })
    expect(res.json.warnings.find((x: any) => x.code === 'missing_meta').params.keys).toBe('tlp')
    expect(res.json.warnings.some((x: any) => x.code === 'rule_name_convention')).toBe(true)
    await boss.patch('/api/v1/yara/settings', { requiredMeta: ['author', 'description', 'date'], namePattern: '^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$' })
  })
})

describe('workflow and permissions', () => {
  it('lets only analysts and admins upload', async () => {
    const res = await vic.post('/api/v1/yara', { filename: 'v.yar', content: rule('Viewer_Rule', 'viewer-marker') })
    expect(res.status).toBe(403)
  })

  it('sanitizes file names, never building a path from them, and refuses other extensions', async () => {
    const r = await upload(ana, 'C:\\rules\\Évil name!.yar', rule('Sanitized_Name', 'sanitize-marker'))
    expect(r.filename).toBe('Evil_name.yar')
    const climbing = await ana.post('/api/v1/yara', { filename: '../../etc/evil.yar', content: rule('Climbing_Name', 'climb-marker') })
    expect(climbing.status).toBe(400)
    expect(climbing.json.error.details.fields[0]).toMatchObject({ field: 'filename', code: 'invalid_filename' })
    const bad = await ana.post('/api/v1/yara', { filename: 'rules.txt', content: rule('Txt_Name', 'txt-marker') })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0]).toMatchObject({ field: 'filename', code: 'invalid_filename' })
  })

  it('refuses a second file with the same name or the same content (409)', async () => {
    const first = await upload(ana, 'dup_check.yar', rule('Dup_Check', 'dup-marker'))
    const name = await ana.post('/api/v1/yara', { filename: 'DUP_CHECK.yar', content: rule('Dup_Check_Two', 'dup-marker-2') })
    expect(name.status).toBe(409)
    expect(name.json.error).toMatchObject({ code: 'duplicate', details: { id: first.id } })
    const same = await ana.post('/api/v1/yara', { filename: 'other_name.yar', content: rule('Dup_Check', 'dup-marker') })
    expect(same.status).toBe(409)
    expect(same.json.error.code).toBe('duplicate_content')
  })

  it('limits the size of rule files', async () => {
    const big = rule('Big_File', 'big-marker') + `// ${'x'.repeat(1024 * 1024)}\n`
    const res = await ana.post('/api/v1/yara', fileForm('big.yar', big))
    expect(res.status).toBe(413)
    expect(res.json.error.details.maxBytes).toBe(1024 * 1024)
  })

  it('runs pending -> approved by a reviewer, never by the uploader, and serves only approved rules', async () => {
    const content = rule('Flow_Rule', 'workflow-marker-string')
    const file = await upload(ana, 'flow.yar', content, { ticket: 'INC-77', comment: 'from the phishing case', tags: ['phishing'] })
    expect(file.status).toBe('pending')
    expect((await feed('/feed/yara-list')).text).not.toContain('flow.yar')

    const own = await ana.post(`/api/v1/yara/${file.id}/approve`)
    expect(own.status).toBe(403)
    expect((await ola.post(`/api/v1/yara/${file.id}/approve`)).status).toBe(403)
    expect((await vic.post(`/api/v1/yara/${file.id}/approve`)).status).toBe(403)
    expect((await ana.get(`/api/v1/yara/${file.id}`)).json.rule.can).toEqual({ edit: true, review: false, delete: true })

    const badReviewer = await boss.patch('/api/v1/yara/settings', { reviewers: [999] })
    expect(badReviewer.status).toBe(422)
    const system = await moat.db.prepare(`SELECT id FROM users WHERE source = 'system'`).first<{ id: number }>()
    expect((await boss.patch('/api/v1/yara/settings', { reviewers: [system!.id] })).status).toBe(422)
    const candidates = (await boss.get('/api/v1/yara/settings')).json.candidates.map((u: any) => u.username)
    expect(candidates).toEqual(expect.arrayContaining(['ana', 'rev', 'ola']))
    expect(candidates).not.toContain('misp')
    expect((await ana.get('/api/v1/yara/settings')).json.candidates).toEqual([])
    expect((await boss.patch('/api/v1/yara/settings', { reviewers: [revId] })).status).toBe(200)
    expect((await rev.get(`/api/v1/yara/${file.id}`)).json.rule.can.review).toBe(true)
    const ok = await rev.post(`/api/v1/yara/${file.id}/approve`)
    expect(ok.status, ok.text).toBe(200)
    expect(ok.json.rule).toMatchObject({ status: 'approved', reviewedBy: { username: 'rev' } })
    expect((await rev.post(`/api/v1/yara/${file.id}/approve`)).status).toBe(409)

    expect((await feed('/feed/yara-list')).text.split('\n')).toContain('flow.yar')
    const one = await feed('/feed/yara-content/flow.yar')
    expect(one.status).toBe(200)
    expect(one.text).toBe(content)
    const bundle = await feed('/feed/yara-bundle')
    expect(bundle.text).toContain(content)
    expect(bundle.text).toMatch(/^\/\/ Moat YARA bundle: 1 approved file, 1 rule\n/)
    expect(bundle.text).toContain('// ---- flow.yar (sha256 ')
    // Cached per change: revalidation answers 304.
    expect((await feed('/feed/yara-bundle', { 'if-none-match': bundle.headers.get('etag')! })).status).toBe(304)
    // What is not approved is not there, whatever its name.
    expect((await feed('/feed/yara-content/dup_check.yar')).status).toBe(404)
    expect((await feed('/feed/yara-content/..%2F..%2Fetc%2Fpasswd')).status).toBe(404)

    // A content edit sends it back to pending and out of the feeds at once.
    const edited = rule('Flow_Rule', 'workflow-marker-string-v2')
    const patch = await ana.patch(`/api/v1/yara/${file.id}`, { content: edited })
    expect(patch.status, patch.text).toBe(200)
    expect(patch.json.rule).toMatchObject({ status: 'pending', version: 2, reviewedBy: null })
    expect((await feed('/feed/yara-list')).text).not.toContain('flow.yar')
    expect((await feed('/feed/yara-content/flow.yar')).status).toBe(404)

    // Metadata edits keep the status.
    const meta = await ana.patch(`/api/v1/yara/${file.id}`, { ticket: 'INC-78', tags: ['phishing', 'wave-2'] })
    expect(meta.json.rule).toMatchObject({ status: 'pending', ticket: 'INC-78', tags: ['phishing', 'wave-2'], version: 2 })

    // Rejection needs a reason; the uploader sees it.
    expect((await rev.post(`/api/v1/yara/${file.id}/reject`, {})).status).toBe(400)
    const rej = await rev.post(`/api/v1/yara/${file.id}/reject`, { reason: 'too broad, matches our own installer' })
    expect(rej.json.rule).toMatchObject({ status: 'rejected', rejectReason: 'too broad, matches our own installer' })
    const seen = await ana.get(`/api/v1/yara/${file.id}`)
    expect(seen.json.rule).toMatchObject({ status: 'rejected', rejectReason: 'too broad, matches our own installer' })

    // Fixing a rejected file resubmits it.
    const fixed = await ana.patch(`/api/v1/yara/${file.id}`, { content: rule('Flow_Rule', 'workflow-marker-string-v3') })
    expect(fixed.json.rule).toMatchObject({ status: 'pending', version: 3, rejectReason: null })

    const history = await ana.get(`/api/v1/yara/${file.id}/history`)
    expect(history.json.items.map((h: any) => [h.event, h.actor, h.toStatus]).reverse()).toEqual([
      ['uploaded', 'ana', 'pending'],
      ['approved', 'rev', 'approved'],
      ['edited', 'ana', 'pending'],
      ['metadata', 'ana', 'pending'],
      ['rejected', 'rev', 'rejected'],
      ['edited', 'ana', 'pending'],
    ])
    expect(history.json.items[3].diff.previousContent).toBe(content)
    const audit = await boss.get('/api/v1/audit?limit=100')
    const actions = audit.json.items.filter((a: any) => a.target === 'flow.yar').map((a: any) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['yara.upload', 'yara.approve', 'yara.edit', 'yara.edit_metadata', 'yara.reject']))
  })

  it('lets admins approve their own uploads and edit anyone’s; analysts only their own', async () => {
    const mine = await upload(boss, 'boss_own.yar', rule('Boss_Own', 'boss-own-marker'))
    expect((await boss.post(`/api/v1/yara/${mine.id}/approve`)).status).toBe(200)
    const anas = await upload(ana, 'ana_file.yar', rule('Ana_File', 'ana-file-marker'))
    expect((await ola.patch(`/api/v1/yara/${anas.id}`, { comment: 'mine now' })).status).toBe(403)
    expect((await ola.del(`/api/v1/yara/${anas.id}`)).status).toBe(403)
    expect((await boss.patch(`/api/v1/yara/${anas.id}`, { comment: 'checked' })).status).toBe(200)
  })

  it('refuses an approval that would break the bundle (the same rule name twice)', async () => {
    const a = await upload(boss, 'clash_a.yar', rule('Clash_Rule', 'clash-marker-a'))
    const b = await upload(boss, 'clash_b.yar', rule('Clash_Rule', 'clash-marker-b'))
    expect((await boss.post(`/api/v1/yara/${a.id}/approve`)).status).toBe(200)
    const res = await boss.post(`/api/v1/yara/${b.id}/approve`)
    expect(res.status).toBe(409)
    expect(res.json.error).toMatchObject({ code: 'bundle_conflict', details: { rule: 'Clash_Rule', filename: 'clash_a.yar' } })
  })

  it('takes a deleted approved file out of the feeds', async () => {
    const f = await upload(boss, 'to_delete.yar', rule('To_Delete', 'delete-marker'))
    await boss.post(`/api/v1/yara/${f.id}/approve`)
    expect((await feed('/feed/yara-bundle')).text).toContain('delete-marker')
    expect((await boss.del(`/api/v1/yara/${f.id}`)).status).toBe(204)
    expect((await feed('/feed/yara-bundle')).text).not.toContain('delete-marker')
    expect((await boss.get(`/api/v1/yara/${f.id}`)).status).toBe(404)
  })

  it('answers 503 with Retry-After when the database fails, never a partial or empty bundle', async () => {
    await moat.db.prepare('ALTER TABLE yara_rules RENAME TO yara_rules_broken').run()
    try {
      // A key never built before: the body must come from the (broken) database.
      const res = await feed('/feed/yara-bundle?n=1')
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('30')
      expect(res.text).not.toContain('rule ')
    } finally {
      await moat.db.prepare('ALTER TABLE yara_rules_broken RENAME TO yara_rules').run()
    }
  })

  it('requires a consumer token on YARA feeds when feeds are token-only', async () => {
    await boss.patch('/api/v1/feed-catalogue/settings', { access: 'token' })
    try {
      expect((await feed('/feed/yara-bundle')).status).toBe(401)
      expect((await feed('/feed/yara-content/boss_own.yar')).status).toBe(401)
      const consumer = await boss.post('/api/v1/feed-consumers', { name: 'edr-1', allowedFeeds: ['/feed/yara-*'] })
      const auth = { authorization: `Basic ${Buffer.from(`edr:${consumer.json.token}`).toString('base64')}` }
      expect((await feed('/feed/yara-bundle', auth)).status).toBe(200)
      expect((await feed('/feed/yara-content/boss_own.yar', auth)).status).toBe(200)
      expect((await feed('/feed/ip', auth)).status).toBe(403)
    } finally {
      await boss.patch('/api/v1/feed-catalogue/settings', { access: 'public' })
    }
  })
})

describe('search and filters', () => {
  it('finds files by text, status, tag and uploader', async () => {
    const byText = await ana.get('/api/v1/yara?q=Flow_Rule')
    expect(byText.json.items.map((f: any) => f.filename)).toEqual(['flow.yar'])
    // The list stays light: no content, rule summaries or findings, only their count.
    expect(byText.json.items[0]).not.toHaveProperty('content')
    expect(byText.json.items[0]).not.toHaveProperty('rules')
    expect(byText.json.items[0].warningCount).toBe(0)
    const approved = await ana.get('/api/v1/yara?status=approved')
    expect(approved.json.items.every((f: any) => f.status === 'approved')).toBe(true)
    expect(approved.json.counts.approved).toBe(approved.json.items.length)
    expect((await ana.get('/api/v1/yara?tag=wave-2')).json.items.map((f: any) => f.filename)).toEqual(['flow.yar'])
    const byUser = await ana.get('/api/v1/yara?user=boss&status=approved')
    expect(byUser.json.items.map((f: any) => f.filename).sort()).toEqual(['boss_own.yar', 'clash_a.yar'])
    const camp = await ana.post('/api/v1/campaigns', { name: 'Op Lantern' })
    const linked = await upload(ana, 'lantern.yar', rule('Lantern_Loader', 'lantern-marker'), { campaignId: camp.json.campaign.id })
    expect((await ana.get(`/api/v1/yara?campaign=${camp.json.campaign.id}`)).json.items.map((f: any) => f.id)).toEqual([linked.id])
    expect((await ana.get(`/api/v1/yara/${linked.id}`)).json.rule.campaign).toEqual({ id: camp.json.campaign.id, name: 'Op Lantern' })
    const noCamp = await ana.post('/api/v1/yara', { filename: 'nocamp.yar', content: rule('No_Camp', 'no-camp-marker'), campaignId: 99999 })
    expect(noCamp.status).toBe(422)
    expect(noCamp.json.error.details.fields[0]).toMatchObject({ field: 'campaignId', code: 'not_found' })
    const page = await ana.get('/api/v1/yara?limit=2')
    expect(page.json.items).toHaveLength(2)
    const next = await ana.get(`/api/v1/yara?limit=2&cursor=${page.json.nextCursor}`)
    expect(next.json.items[0].id).toBeLessThan(page.json.items[1].id)
    expect((await ana.get('/api/v1/yara?limit=0')).json.error.details.fields[0].field).toBe('limit')
  })
})

describe('test scan', () => {
  it('shows which rules match a sample, with the matching strings, and stores nothing', async () => {
    const before = (await boss.get('/api/v1/yara?limit=1')).json.counts
    const sample = new TextEncoder().encode('xx boss-own-marker yy clash-marker-a zz')
    const res = await ana.post('/api/v1/yara/scan', fileForm('sample.bin', sample, { scope: 'approved' }))
    expect(res.status, res.text).toBe(200)
    expect(res.json.sample).toMatchObject({ name: 'sample.bin', size: sample.length })
    expect(res.json.matches.map((m: any) => [m.filename, m.rule]).sort()).toEqual([
      ['boss_own.yar', 'Boss_Own'],
      ['clash_a.yar', 'Clash_Rule'],
    ])
    const boss1 = res.json.matches.find((m: any) => m.rule === 'Boss_Own')
    expect(boss1.strings).toEqual([{ id: '$a', count: 1, offsets: [3] }])
    const none = await ana.post('/api/v1/yara/scan', fileForm('clean.bin', new TextEncoder().encode('nothing to see')))
    expect(none.json.matches).toEqual([])
    expect(none.json.files).toBeGreaterThan(60)
    const only = await ana.post('/api/v1/yara/scan', fileForm('s.bin', sample, { ids: String(boss1.ruleId) }))
    expect(only.json.files).toBe(1)
    expect(only.json.matches).toHaveLength(1)
    expect((await boss.get('/api/v1/yara?limit=1')).json.counts).toEqual(before)
    expect((await ana.post('/api/v1/yara/scan', fileForm('s.bin', sample, { ids: 'x' }))).status).toBe(400)
  })

  it('limits the sample size', async () => {
    const res = await ana.post('/api/v1/yara/scan', fileForm('big.bin', new Uint8Array(16 * 1024 * 1024 + 1)))
    expect(res.status).toBe(413)
  })
})
