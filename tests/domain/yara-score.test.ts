import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeYara } from '../../functions/domain/yara-analysis'
import { LINT_DEFAULTS } from '../../functions/domain/yara-lint'
import { parseYara } from '../../functions/domain/yara-parse'
import { QUALITY_BASE, QUALITY_MAX, scoreFile, scoreRule, totalOf } from '../../functions/domain/yara-score'

const DATA = path.resolve('../shared/data/yara')
const parts = (src: string) => scoreRule(parseYara(src).rules[0], [], LINT_DEFAULTS)
const points = (src: string) => Object.fromEntries(parts(src).map((p) => [p.key, p.points]))

const EXCELLENT = `rule Win32_Loader_Excellent
{
  meta:
    author = "ana"
    description = "Stage-one loader of the November phishing wave"
    date = "2026-11-20"
    reference = "https://intel.example/reports/nov-wave"
    hash = "44d88612fea8a8f36de82e1278abb02f"
  strings:
    $a = "evil-loader-marker"
    $b = { 6A 40 68 00 30 00 00 }
  condition:
    uint16(0) == 0x5A4D and filesize < 2MB and all of them
}`

describe('quality score', () => {
  it('adds to 50 at most, with 10 as the floor', () => {
    expect(QUALITY_BASE + Object.values(QUALITY_MAX).reduce((a, b) => a + b, 0)).toBe(50)
    expect(totalOf(parts(EXCELLENT))).toBe(50)
    expect(totalOf(parts('rule x { condition: true }'))).toBeGreaterThanOrEqual(10)
  })

  it('scores metadata completeness: required keys, a real description, several entries', () => {
    expect(points(EXCELLENT).metadata).toBe(10)
    expect(points('rule A_B { meta: author = "x" strings: $a = "abcdef" condition: $a }').metadata).toBe(2)
    expect(points('rule A_B { meta: author = "x" description = "short" date = "2026-01-01" strings: $a = "abcdef" condition: $a }').metadata).toBe(6)
  })

  it('scores references and sample hashes', () => {
    expect(points(EXCELLENT).references).toBe(8)
    expect(points('rule A_B { meta: reference = "https://x.example/r" strings: $a = "abcdef" condition: $a }').references).toBe(4)
    expect(points('rule A_B { meta: sample = "not-a-hash" strings: $a = "abcdef" condition: $a }').references).toBe(0)
  })

  it('scores strings: count, short atoms, expensive regexes; module-only rules get 6', () => {
    expect(points(EXCELLENT).strings).toBe(10)
    expect(points('rule A_B { strings: $a = "MZ" $r = /.*x/ condition: any of them }').strings).toBe(4)
    expect(points('import "pe"\nrule A_B { condition: pe.number_of_signatures > 0 }').strings).toBe(6)
    expect(points('rule A_B { condition: filesize > 10 }').strings).toBe(0)
  })

  it('scores the condition: a file-type or size guard, several terms, not trivially broad', () => {
    expect(points(EXCELLENT).condition).toBe(8)
    expect(points('rule A_B { strings: $a = "abcdef" condition: any of them }').condition).toBe(0)
    expect(points('rule A_B { strings: $a = "abcdef" $b = "ghijkl" condition: $a at 0 and $b }').condition).toBe(8)
    expect(points('rule A_B { condition: true }').condition).toBe(0)
  })

  it('takes one lint point per warning on the rule', () => {
    const rule = parseYara(EXCELLENT).rules[0]
    const w = { severity: 'warning' as const, source: 'lint' as const, code: 'x', message: 'x', line: 1, column: 1 }
    expect(scoreRule(rule, [w, w], LINT_DEFAULTS).find((p) => p.key === 'lint')!.points).toBe(2)
    expect(scoreRule(rule, [w, w, w, w, w], LINT_DEFAULTS).find((p) => p.key === 'lint')!.points).toBe(0)
  })

  it('averages public rules for a file (private helpers do not count)', () => {
    const full = parts(EXCELLENT)
    const none = parts('rule x { condition: true }')
    expect(scoreFile([{ private: false, parts: full }, { private: true, parts: none }]).quality).toBe(50)
    const mixed = scoreFile([{ private: false, parts: full }, { private: false, parts: none }])
    expect(mixed.quality).toBe(Math.round(QUALITY_BASE + mixed.parts.reduce((a, p) => a + p.points, 0)))
    expect(mixed.quality).toBeLessThan(50)
  })

  it('keeps every corpus file within 10..50 and ranks a bare rule below the curated ones', () => {
    const scores: number[] = []
    for (const dir of ['eset', 'reversinglabs']) {
      for (const f of readdirSync(path.join(DATA, 'valid', dir)).filter((n) => /\.yara?$/.test(n))) {
        const a = analyzeYara(readFileSync(path.join(DATA, 'valid', dir, f), 'utf8'), { errors: [], warnings: [] }, [], LINT_DEFAULTS)
        expect(a.quality, f).toBeGreaterThanOrEqual(10)
        expect(a.quality, f).toBeLessThanOrEqual(50)
        scores.push(a.quality)
      }
    }
    const bare = analyzeYara('rule bare { strings: $a = "MZ" condition: $a }', { errors: [], warnings: [] }, [], LINT_DEFAULTS)
    expect(bare.quality).toBeLessThan(Math.min(...scores))
  })
})
