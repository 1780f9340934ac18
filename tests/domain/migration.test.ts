import { describe, expect, it } from 'vitest'
import { parseLegacyAllowlist } from '../../functions/domain/legacy-allowlist'
import { canonicalLegacy, legacyTags, mapLegacyIocs, type LegacyIoc } from '../../functions/domain/legacy-iocs'
import { naiveToIso } from '../../functions/domain/legacy-time'
import { checkYaraShape, mapLegacyYara, safeYaraName } from '../../functions/domain/legacy-yara'
import { mapPlaybook, stripHtml } from '../../functions/domain/playbook-import'
import { mapThreatgateFile, parseThreatgateLine, parseThreatgateYaraList } from '../../functions/domain/threatgate'
import { planZiochub } from '../../functions/domain/ziochub'

const NOW = '2026-06-01T00:00:00.000Z'
const item = (over: Partial<LegacyIoc>): LegacyIoc => ({
  line: 1,
  where: 'iocs#1',
  legacyType: 'Domain',
  value: 'x.example-bad.top',
  analyst: 'ana',
  createdAt: '2025-01-01T00:00:00.000Z',
  expiresAt: null,
  source: 'ziochub:single',
  ...over,
})

describe('legacy dates', () => {
  it('reads naive SQLAlchemy text in UTC or in the server zone, across DST', () => {
    expect(naiveToIso('2025-01-15 10:00:00.250000', 'UTC')).toBe('2025-01-15T10:00:00.250Z')
    expect(naiveToIso('2025-01-15 10:00:00', 'Asia/Jerusalem')).toBe('2025-01-15T08:00:00.000Z')
    expect(naiveToIso('2025-07-15T10:00:00', 'Asia/Jerusalem')).toBe('2025-07-15T07:00:00.000Z')
    expect(naiveToIso('2025-03-01', 'America/New_York')).toBe('2025-03-01T05:00:00.000Z')
    // 02:30 does not exist on 2025-03-09 in New York: the later offset is used.
    expect(naiveToIso('2025-03-09 02:30:00', 'America/New_York')).toBe('2025-03-09T06:30:00.000Z')
    expect(naiveToIso('2025-01-15T10:00:00+02:00', 'UTC')).toBe('2025-01-15T08:00:00.000Z')
    expect(naiveToIso('2025-02-30 10:00:00', 'UTC')).toBeNull()
    expect(naiveToIso('yesterday', 'UTC')).toBeNull()
    expect(naiveToIso(null, 'UTC')).toBeNull()
  })
})

describe('legacy IOC values', () => {
  it('types hashes by length and skips SHA-512 and odd lengths as unsupported_hash', () => {
    expect(canonicalLegacy('Hash', 'D41D8CD98F00B204E9800998ECF8427E')).toMatchObject({ ok: true, type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' })
    expect(canonicalLegacy('Hash', 'a'.repeat(40))).toMatchObject({ ok: true, type: 'sha1' })
    expect(canonicalLegacy('Hash', 'a'.repeat(128))).toMatchObject({ ok: false, error: { code: 'unsupported_hash', message: expect.stringMatching(/SHA-512/) } })
    expect(canonicalLegacy('Hash', 'a'.repeat(50))).toMatchObject({ ok: false, error: { code: 'unsupported_hash' } })
  })

  it('refangs, canonicalises, re-types a URL stored as a Domain, and names the rule a bad value breaks', () => {
    expect(canonicalLegacy('URL', 'hxxps://Bad[.]Example-Bad.TOP:443/x')).toMatchObject({ ok: true, type: 'url', value: 'https://bad.example-bad.top/x', retyped: false })
    expect(canonicalLegacy('Domain', 'http://a.example-bad.top/p')).toMatchObject({ ok: true, type: 'url', retyped: true })
    expect(canonicalLegacy('IP', '010.1.1.1')).toMatchObject({ ok: false, error: { code: 'ambiguous_leading_zero', field: 'value' } })
    expect(canonicalLegacy('IP', '10.0.0.0/8')).toMatchObject({ ok: true, type: 'ip', value: '10.0.0.0/8' })
  })

  it('keeps tags within Moat rules and reports what it changed', () => {
    const notes: string[] = []
    const note = (r: string) => void notes.push(r)
    expect(legacyTags('["apt", "APT", " c2 ", "bad<tag>", 7]', note)).toEqual(['apt', 'c2', 'bad-tag', '7'])
    expect(legacyTags('not json', note)).toEqual([])
    expect(legacyTags('{"a":1}', note)).toEqual([])
    expect(legacyTags(JSON.stringify(Array.from({ length: 25 }, (_, i) => `t${i}`)), note)).toHaveLength(20)
    expect(notes).toEqual(['tag_changed', 'bad_tags', 'bad_tags', 'tags_dropped'])
  })
})

describe('merging rows equal after canonicalisation', () => {
  it('keeps the first row with the earliest creation, latest expiry (permanent wins), united tags, joined comments', () => {
    const { rows, report } = mapLegacyIocs(
      [
        item({ line: 1, where: 'iocs#1', value: 'Evil.example-bad.top', comment: 'one', tags: '["a"]', createdAt: '2025-02-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z', ticket: 'T-1' }),
        item({ line: 2, where: 'iocs#2', value: 'x.example-bad.top' }),
        item({ line: 3, where: 'iocs#3', value: 'evil.example-bad.top.', analyst: 'bo', comment: 'two', tags: '["b","A"]', createdAt: '2025-01-01T00:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z', ticket: 'T-1' }),
      ],
      NOW,
    )
    expect(rows.map((r) => [r.staged.line, 'value' in r.staged && r.staged.value])).toEqual([
      [1, 'evil.example-bad.top'],
      [3, 'evil.example-bad.top'],
      [2, 'x.example-bad.top'],
    ])
    expect(rows[0]).toMatchObject({
      createdAt: '2025-01-01T00:00:00.000Z',
      extra: { analyst: 'bo', merged: ['iocs#3'] },
      staged: { meta: { ticket: 'T-1', comment: 'one / two', tags: ['a', 'b'], expiresAt: '2099-01-01T00:00:00.000Z' } },
    })
    expect(rows[1].extra).toBeNull()
    expect(report.filter((r) => r.kind === 'merged')).toEqual([expect.objectContaining({ where: 'iocs#3', reason: 'merged_duplicate' })])
    const permanent = mapLegacyIocs([item({ line: 1, expiresAt: '2030-01-01T00:00:00.000Z' }), item({ line: 2, expiresAt: null })], NOW)
    expect(permanent.rows[0].staged.meta).toMatchObject({ ttl: 'permanent' })
    expect(permanent.rows[0].staged.meta.expiresAt).toBeUndefined()
  })

  it('reports expired rows and cuts comments over the limit', () => {
    const { rows, report } = mapLegacyIocs([item({ expiresAt: '2025-01-01T00:00:00.000Z', comment: 'c'.repeat(2100) })], NOW)
    expect(rows[0].staged.meta.expiresAt).toBe('2025-01-01T00:00:00.000Z')
    expect(rows[0].staged.meta.comment).toHaveLength(2000)
    expect(report.map((r) => r.reason)).toEqual(['comment_truncated', 'expired'])
  })
})

describe('ThreatGate v1 files', () => {
  it('reads Key: fields in any order up to the next |, missing fields, and lines without #', () => {
    expect(parseThreatgateLine('1.2.3.5 # Date:2026-01-26T06:42:13 | User:guyzw | Ref:12345 | Comment:x | EXP:NEVER')).toEqual({
      value: '1.2.3.5',
      fields: { date: '2026-01-26T06:42:13', user: 'guyzw', ref: '12345', comment: 'x', exp: 'NEVER' },
    })
    expect(parseThreatgateLine('evil.top # EXP:2026-02-01 | Comment: a: b ')).toEqual({ value: 'evil.top', fields: { exp: '2026-02-01', comment: 'a: b' } })
    expect(parseThreatgateLine('http://x.top/a#frag')).toEqual({ value: 'http://x.top/a#frag', fields: {} })
    expect(parseThreatgateLine('http://x.top/a#Date:2026-01-01')).toEqual({ value: 'http://x.top/a', fields: { date: '2026-01-01' } })
    expect(parseThreatgateLine('# heading')).toBeNull()
    expect(parseThreatgateLine('   ')).toBeNull()
  })

  it('never mistakes the date or the ticket for the analyst (the ZIoCHub TXT parser did)', () => {
    const { items } = mapThreatgateFile('domain.txt', 'a.example-bad.top # Date:2026-01-26T06:42:13Z | Ref:2026 | User: | EXP:2026-03-01\nb.example-bad.top # EXP:maybe', 1, 'UTC')
    expect(items[0]).toMatchObject({ analyst: 'unknown', ticket: '2026', createdAt: '2026-01-26T06:42:13.000Z', expiresAt: '2026-03-01T00:00:00.000Z', legacyType: 'Domain' })
    expect(items[1]).toMatchObject({ createdAt: null, expiresAt: null, line: 2 })
  })

  it('reads yara.txt: .yar names only, with the old defaults', () => {
    expect(parseThreatgateYaraList('a.yar # Date:2026-01-03T00:00:00\nnotes.txt # User:x\nb.yar # User:Guy | Comment:mine', 'UTC')).toEqual([
      { filename: 'a.yar', analyst: 'upload', ticket: null, comment: 'Uploaded YARA Rule', uploadedAt: '2026-01-03T00:00:00.000Z' },
      { filename: 'b.yar', analyst: 'guy', ticket: null, comment: 'mine', uploadedAt: null },
    ])
  })
})

describe('allowlist.txt', () => {
  it('maps prefixes and bare values to Moat kinds, clears CIDR host bits with a note, skips junk', () => {
    const { entries, report } = parseLegacyAllowlist('# c\ndomain:Google.com\ncidr:10.1.2.3/8\ntld:gov\ncorp.example\n8.8.8.8\n192.168.0.0/16\nip:2001:db8::1\nsuffix:corp.example\n???\n')
    expect(entries.map((e) => [e.kind, e.value])).toEqual([
      ['exact', 'google.com'],
      ['cidr', '10.0.0.0/8'],
      ['suffix', 'gov'],
      ['suffix', 'corp.example'],
      ['exact', '8.8.8.8'],
      ['cidr', '192.168.0.0/16'],
      ['exact', '2001:db8::1'],
    ])
    expect(report.map((r) => [r.where, r.reason])).toEqual([
      ['allowlist.txt:3', 'cidr_host_bits'],
      ['allowlist.txt:9', 'merged_duplicate'],
      ['allowlist.txt:10', 'invalid_entry'],
    ])
  })
})

describe('playbook_custom.json', () => {
  it('neutralises stored XSS: tags, scripts, event handlers and non-http(s) links go', () => {
    expect(stripHtml('Hi <img src=x onerror=alert(1)> there')).toBe('Hi there')
    expect(stripHtml('<scr<script>ipt>alert(1)</script>ok')).not.toMatch(/<|script>/)
    expect(stripHtml('<ul><li>one</li><li>two &amp; <b>three</b></li></ul>')).toBe('- one\n- two & three')
    expect(stripHtml('[a](javascript:alert(1)) [b](https://ok.example/x) ![i](https://x/y.png)')).toBe('a [b](https://ok.example/x) i')
    expect(stripHtml('<a href="https://ok.example">site</a> &lt;script&gt;')).toBe('[site](https://ok.example) ‹script›')
  })

  it('accepts an array or {custom}, keeps order, drops unsafe URLs and maps tags to IOC types', () => {
    const { links, report } = mapPlaybook(
      JSON.stringify([
        { id: 'a', type: 'site', name: 'A', url: 'https://a.example/{ioc}', tags: ['Hash', 'Email', 'nope'], isEssential: true },
        { id: 'b', type: 'site', name: 'B', url: 'data:text/html,<script>' },
        { type: 'weird', name: 'C' },
      ]),
    )
    expect(links.map((l) => [l.sourceKey, l.url, l.tags, l.essential, l.position])).toEqual([
      ['ziochub:a', 'https://a.example/{ioc}', ['md5', 'sha1', 'sha256', 'email'], true, 0],
      ['ziochub:b', null, [], false, 1],
    ])
    expect(report.map((r) => r.reason)).toEqual(['unsafe_url', 'invalid_type'])
    expect(mapPlaybook('{"custom":[{"name":"x"}]}').links).toHaveLength(1)
    expect(mapPlaybook('nope').report[0].reason).toBe('invalid_json')
  })
})

describe('YARA files', () => {
  const rule = 'rule a { strings: $a = "{" condition: $a }'
  it('checks the shape of a rule and cleans file names', () => {
    expect(checkYaraShape(rule)).toEqual([])
    expect(checkYaraShape('rule a { condition: true')).toEqual(["1 '{' not closed"])
    expect(checkYaraShape('hello')).toEqual(['no rule declaration (`rule name { ... }`)'])
    expect(safeYaraName('../../etc/pass wd.yar')).toBe('pass_wd.yar')
    expect(safeYaraName('.hidden')).toBe('hidden.yar')
  })

  it('joins rows with files: missing file skipped, orphan approved as legacy:unknown, misplaced file follows its folder', () => {
    const approved = new Map([['a.yar', rule], ['orphan.yar', rule], ['moved.yar', rule]])
    const pending = new Map<string, string | null>([['bin.yar', null]])
    const row = (filename: string, status = 'approved') => ({ filename, analyst: 'guy', ticket: null, comment: null, campaign: null, uploadedAt: null, qualityPoints: null, status })
    const { rules, report } = mapLegacyYara([row('a.yar'), row('gone.yar'), row('moved.yar', 'pending'), row('bin.yar', 'pending')], approved, pending)
    expect(rules.map((r) => [r.filename, r.status, r.analyst])).toEqual([
      ['a.yar', 'approved', 'guy'],
      ['moved.yar', 'approved', 'guy'],
      ['orphan.yar', 'approved', 'legacy:unknown'],
    ])
    expect(report.map((r) => [r.where, r.reason])).toEqual([
      ['yara_rules gone.yar', 'missing_file'],
      ['yara_rules moved.yar', 'status_from_folder'],
      ['yara_rules bin.yar', 'not_text'],
      ['YARA/orphan.yar', 'orphan_file'],
    ])
  })
})

describe('an older ZIoCHub database', () => {
  it('maps whatever columns exist: no tags, campaigns, profiles or history tables', () => {
    const plan = planZiochub({
      tables: {
        iocs: [{ id: 1, type: 'IP', value: '198.51.100.1', analyst: 'Guy' }, { id: 2, type: 'Domain', value: 'old.example-bad.top' }],
        users: [{ id: 1, username: 'guy' }],
      },
      zone: 'UTC',
      nowIso: NOW,
      label: 'threatgate.db',
    })
    expect(plan.rows.map((r) => [r.staged.line, r.extra])).toEqual([
      [1, { analyst: 'guy', source: 'ziochub:single' }],
      [2, { analyst: 'unknown', source: 'ziochub:single' }],
    ])
    expect(plan.users).toEqual([expect.objectContaining({ username: 'guy', role: 'analyst', source: 'local', active: true, mustChangePassword: true })])
    expect(plan.history).toEqual([])
    expect(plan.secrets).toEqual([])
  })
})
