import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCompilerReport } from '../../functions/domain/yara-diagnostics'
import { parseYara, tokenize, unquote } from '../../functions/domain/yara-parse'

const DATA = path.resolve('../shared/data/yara')

function validFiles(): string[] {
  return ['eset', 'reversinglabs'].flatMap((d) =>
    readdirSync(path.join(DATA, 'valid', d))
      .filter((f) => /\.yara?$/.test(f))
      .map((f) => `${d}/${f}`),
  )
}

describe('parseYara', () => {
  it('finds every rule of the valid corpus with the counts the corpus README lists', () => {
    const readme = readFileSync(path.join(DATA, 'README.md'), 'utf8')
    const counts = new Map([...readme.matchAll(/^\| valid\/(\S+) \| (\d+) \| OK \|$/gm)].map((m) => [m[1], Number(m[2])]))
    const files = validFiles()
    expect(files).toHaveLength(69)
    let total = 0
    for (const f of files) {
      const parsed = parseYara(readFileSync(path.join(DATA, 'valid', f), 'utf8'))
      expect(parsed.rules.length, f).toBe(counts.get(f))
      for (const r of parsed.rules) expect(r.condition.length, `${f} ${r.name}`).toBeGreaterThan(0)
      total += parsed.rules.length
    }
    expect(total).toBe(1036)
  })

  it('reads modifiers, tags, meta, strings and the condition with their lines', () => {
    const src = [
      'import "pe"',
      '// a comment with rule Fake { }',
      'private global rule Two_Tags : apt loader {',
      '  meta:',
      '    author = "ana \\"the\\" analyst"',
      '    score = -5',
      '    active = true',
      '  strings:',
      '    $t = "a/b{c}" wide ascii nocase',
      '    $h = { 4D 5A [2-4] ?? (90 | 91) } /* hex */',
      '    $r = /ab+c\\/d/is',
      '    $x = "xor me" xor(1-255) base64("!@#$%^&*(){}[].,|ABCDEFGHIJ\\x09LMNOPQRSTUVWXYZabcdefghijklmnopqrstu")',
      '  condition:',
      '    pe.is_dll() and filesize / 2 < 100 and #t > 1 and ($h at 0 or any of ($r, $x))',
      '}',
    ].join('\n')
    const { imports, rules } = parseYara(src)
    expect(imports).toEqual(['pe'])
    expect(rules).toHaveLength(1)
    const r = rules[0]
    expect(r).toMatchObject({ name: 'Two_Tags', line: 3, private: true, global: true, tags: ['apt', 'loader'], conditionLine: 14 })
    expect(r.meta).toEqual([
      { key: 'author', value: 'ana "the" analyst', line: 5 },
      { key: 'score', value: '-5', line: 6 },
      { key: 'active', value: 'true', line: 7 },
    ])
    expect(r.strings.map((s) => [s.id, s.kind, s.line, s.modifiers])).toEqual([
      ['$t', 'text', 9, ['wide', 'ascii', 'nocase']],
      ['$h', 'hex', 10, []],
      ['$r', 'regex', 11, []],
      ['$x', 'text', 12, ['xor', 'base64']],
    ])
    expect(r.strings[2].raw).toBe('/ab+c\\/d/is')
    expect(r.condition.map((t) => t.text).join(' ')).toBe('pe . is_dll ( ) and filesize / 2 < 100 and #t > 1 and ( $h at 0 or any of ( $r , $x ) )')
  })

  it('keeps going after a broken rule', () => {
    const { rules } = parseYara('rule A_B { condition: \nrule C_D { strings: $a = "x" condition: $a }')
    expect(rules.map((r) => r.name)).toContain('C_D')
  })
})

describe('tokenize', () => {
  it('tracks lines and columns and tells regexes from division', () => {
    const toks = tokenize('a = /x/\n  b matches /y/i and c / 2')
    expect(toks.map((t) => [t.kind, t.text, t.line, t.column])).toEqual([
      ['ident', 'a', 1, 1],
      ['punct', '=', 1, 3],
      ['regex', '/x/', 1, 5],
      ['ident', 'b', 2, 3],
      ['ident', 'matches', 2, 5],
      ['regex', '/y/i', 2, 13],
      ['ident', 'and', 2, 18],
      ['ident', 'c', 2, 22],
      ['punct', '/', 2, 24],
      ['number', '2', 2, 26],
    ])
  })

  it('resolves YARA string escapes', () => {
    expect(unquote('"a\\x41\\n\\"\\\\"')).toBe('aA\n"\\')
  })
})

describe('parseCompilerReport', () => {
  it('takes the code, line, column and the primary label from a YARA-X report', () => {
    const report = [
      'error[E012]: duplicate rule `Emotet_Loader`',
      '  --> line:10:6',
      '   |',
      ' 2 | rule Emotet_Loader',
      '   |      ------------- `Emotet_Loader` declared here for the first time',
      '...',
      '10 | rule Emotet_Loader',
      '   |      ^^^^^^^^^^^^^ duplicate declaration of `Emotet_Loader`',
    ].join('\n')
    expect(parseCompilerReport(report)).toMatchObject({
      severity: 'error',
      source: 'compiler',
      code: 'E012',
      line: 10,
      column: 6,
      message: 'duplicate rule `Emotet_Loader`: duplicate declaration of `Emotet_Loader`',
      detail: report,
    })
  })

  it('reads warnings and falls back to the note when there is no primary label', () => {
    const w = parseCompilerReport(
      'warning[invariant_expr]: invariant boolean expression\n --> line:1:40\n  |\n1 | x\n  |   ---- this expression is always false\n  |\n  = note: the expression requires 2 matching patterns out of 1',
    )
    expect(w).toMatchObject({ severity: 'warning', code: 'invariant_expr', line: 1, column: 40, message: 'invariant boolean expression: the expression requires 2 matching patterns out of 1' })
    expect(parseCompilerReport('error: the rules could not be built')).toMatchObject({ code: 'error', line: null, message: 'the rules could not be built' })
  })
})
