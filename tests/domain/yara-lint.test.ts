import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeYara } from '../../functions/domain/yara-analysis'
import { atomBytes, unboundedWildcard } from '../../functions/domain/yara-atoms'
import { LINT_DEFAULTS, lintYara, logicHash } from '../../functions/domain/yara-lint'
import { parseYara, type YaraString } from '../../functions/domain/yara-parse'

const DATA = path.resolve('../shared/data/yara')

const str = (kind: YaraString['kind'], raw: string): YaraString => ({ id: '$a', kind, raw, modifiers: [], line: 1, column: 1 })

const GOOD_META = 'author = "ana"\n    description = "Loader used in the test campaign"\n    date = "2026-11-20"'
const ruleText = (name: string, strings: string, condition: string, meta = GOOD_META) =>
  `rule ${name}\n{\n  meta:\n    ${meta}\n  strings:\n${strings}\n  condition:\n    ${condition}\n}\n`

const lint = (src: string, library = [] as Parameters<typeof lintYara>[1]) => lintYara(parseYara(src), library, LINT_DEFAULTS)

describe('atoms', () => {
  it('measures the longest fixed run of text, hex and regex patterns', () => {
    expect(atomBytes(str('text', '"MZ"'))).toBe(2)
    expect(atomBytes(str('text', '"\\x00\\x01abc"'))).toBe(5)
    expect(atomBytes(str('text', '"שלום"'))).toBe(8)
    expect(atomBytes(str('hex', '{ 4D 5A }'))).toBe(2)
    expect(atomBytes(str('hex', '{ 4D 5A ?? 00 [2-4] 90 90 90 90 ( 01 | 02 ) }'))).toBe(4)
    expect(atomBytes(str('hex', '{ 4D5A9000 03 ~00 }'))).toBe(5)
    expect(atomBytes(str('hex', '{ 4? 5A 90 }'))).toBe(2)
    expect(atomBytes(str('regex', '/abc\\.def/'))).toBe(7)
    expect(atomBytes(str('regex', '/ab?cd/'))).toBe(2)
    expect(atomBytes(str('regex', '/[a-z]+evil\\d{2}/'))).toBe(4)
    expect(atomBytes(str('regex', '/(gate|panel)\\.php/'))).toBe(4)
    expect(atomBytes(str('regex', '/cmd|powershell/'))).toBe(3)
    expect(atomBytes(str('regex', '/a{0,3}bcde/'))).toBe(4)
    expect(atomBytes(str('regex', '/x(?:abcdef)?y/'))).toBe(1)
    expect(atomBytes(str('regex', '/(a(bc|de)f)ghij/'))).toBe(4)
  })

  it('finds unbounded wildcards, and knows an escaped dot is a literal', () => {
    expect(unboundedWildcard('/.*evil/')).toEqual({ found: true, leading: true })
    expect(unboundedWildcard('/^.+x/')).toEqual({ found: true, leading: true })
    expect(unboundedWildcard('/abc[^"]*def/')).toEqual({ found: true, leading: false })
    expect(unboundedWildcard('/abc.{3,}def/')).toEqual({ found: true, leading: false })
    expect(unboundedWildcard('/abc.{0,64}def/')).toEqual({ found: false, leading: false })
    expect(unboundedWildcard('/abc\\.*def/')).toEqual({ found: false, leading: false })
    expect(unboundedWildcard('/[.]*x/')).toEqual({ found: false, leading: false })
  })
})

describe('lintYara', () => {
  it('finds nothing to say about a well-formed rule', () => {
    expect(lint(ruleText('Good_Rule', '    $a = "evil-marker"\n    $b = { 6A 40 68 00 30 00 00 }', 'uint16(0) == 0x5A4D and all of them'))).toEqual([])
  })

  it('warns about missing required meta on public rules only', () => {
    const w = lint('rule No_Meta { strings: $a = "abcdef" condition: $a }\nprivate rule Helper_Rule { condition: true }')
    expect(w.map((d) => [d.code, d.rule, d.params?.keys])).toEqual([['missing_meta', 'No_Meta', 'author, description, date']])
    const empty = lint(ruleText('Empty_Author', '    $a = "abcdef"', '$a', 'author = ""\n    description = "x"\n    date = "2026-01-01"'))
    expect(empty.map((d) => d.params?.keys)).toEqual(['author'])
  })

  it('checks rule names against the naming convention', () => {
    const w = lint(ruleText('lowercase', '    $a = "abcdef"', '$a'))
    expect(w).toMatchObject([{ code: 'rule_name_convention', line: 1, column: 6, rule: 'lowercase' }])
  })

  it('flags "N of" sets larger than the strings they name', () => {
    const src = ruleText('Too_Many', '    $a1 = "abcdef"\n    $a2 = "ghijkl"\n    $b = "mnopqr"', '3 of ($a*) or 4 of them or 2 of ($a1, $b)')
    const w = lint(src)
    expect(w.map((d) => [d.code, d.line, d.column, d.params?.n, d.params?.count])).toEqual([
      ['of_exceeds_strings', 12, 5, 3, 2],
      ['of_exceeds_strings', 12, 19, 4, 3],
    ])
    expect(w[0].message).toContain('can never match')
  })

  it('flags short atoms and expensive regexes at the string line', () => {
    const src = ruleText('Atoms_Rule', '    $mz = { 4D 5A }\n    $lead = /.*\\.exe/\n    $weak = /a.*b/\n    $ok = /evil.{0,40}payload/', 'any of them')
    expect(lint(src).map((d) => [d.code, d.line, d.params?.string])).toEqual([
      ['short_atom', 8, '$mz'],
      ['expensive_regex', 9, '$lead'],
      ['expensive_regex', 10, '$weak'],
    ])
  })

  it('warns about global rules: they constrain the whole bundle', () => {
    expect(lint(`global ${ruleText('Global_Guard', '    $a = "abcdef"', '$a')}`).map((d) => d.code)).toEqual(['global_rule'])
  })

  it('finds duplicate names and duplicate logic across the library and inside a file', () => {
    const a = ruleText('Dup_One', '    $a = "abcdef"\n    $b = { 01 02 03 04 }', '$a and $b')
    // Same logic under other names, identifiers and layout.
    const b = ruleText('Dup_Two', '    $x = "abcdef"\n    $y = {01 02 03   04}', '$x    and $y', 'author = "bob"\n    description = "different words"\n    date = "2020-01-01"')
    const library = [{ name: 'Dup_One', logicHash: 'ffff', filename: 'other.yar' }]
    const w = lint(a + b, library)
    expect(w.map((d) => [d.code, d.rule, d.params?.file ?? d.params?.other])).toEqual([
      ['duplicate_rule_name', 'Dup_One', 'other.yar'],
      ['duplicate_logic', 'Dup_Two', ''],
    ])
    const parsed = parseYara(a + b).rules
    expect(logicHash(parsed[0])).toBe(logicHash(parsed[1]))
    expect(logicHash(parseYara(ruleText('Dup_Three', '    $a = "abcdeg"\n    $b = { 01 02 03 04 }', '$a and $b')).rules[0])).not.toBe(logicHash(parsed[0]))
  })

  it('gives corpus rules from ESET and ReversingLabs the expected findings', () => {
    const animal = lint(readFileSync(path.join(DATA, 'valid/eset/animalfarm.yar'), 'utf8'))
    expect(animal.filter((d) => d.code === 'short_atom').map((d) => d.params?.string)).toContain('$mz')
    const stealc = lint(readFileSync(path.join(DATA, 'valid/reversinglabs/Win32.Infostealer.StealC.yara'), 'utf8'))
    // ReversingLabs rules carry author and description but no date.
    expect(stealc.map((d) => [d.code, d.params?.keys])).toEqual([['missing_meta', 'date']])
  })
})

describe('analyzeYara', () => {
  it('refuses a file with compile errors and keeps every error in line order', () => {
    const a = analyzeYara('rule X_Y { condition: $a }', { errors: ['error[E025]: unknown pattern `$a`\n --> line:1:24\n  |\n1 | x\n  |   ^^ not declared'], warnings: [] }, [], LINT_DEFAULTS)
    expect(a.ok).toBe(false)
    expect(a.errors).toMatchObject([{ code: 'E025', line: 1, column: 24, rule: 'X_Y' }])
  })

  it('refuses a file without rules', () => {
    const a = analyzeYara('import "pe"\n', { errors: [], warnings: [] }, [], LINT_DEFAULTS)
    expect(a.errors.map((e) => e.code)).toEqual(['no_rules'])
  })

  it('attaches compiler warnings to their rule and drops the one lint already explains', () => {
    const src = ruleText('Of_Rule', '    $a = "abcdef"', '2 of them')
    const warning = 'warning[invariant_expr]: invariant boolean expression\n --> line:10:5\n  |\n  = note: the expression requires 2 matching patterns out of 1'
    const other = 'warning[text_as_hex]: hex pattern could be written as text literal\n --> line:8:10\n  |'
    const a = analyzeYara(src, { errors: [], warnings: [warning, other] }, [], LINT_DEFAULTS)
    expect(a.warnings.map((w) => [w.source, w.code, w.rule])).toEqual([
      ['compiler', 'text_as_hex', 'Of_Rule'],
      ['lint', 'of_exceeds_strings', 'Of_Rule'],
    ])
    expect(a.rules[0]).toMatchObject({ name: 'Of_Rule', line: 1, strings: 1, meta: { author: 'ana' } })
  })
})
