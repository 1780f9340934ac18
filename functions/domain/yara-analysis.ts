import { byPosition, parseCompilerReport, type YaraDiagnostic } from './yara-diagnostics'
import { lintYara, logicHash, type LibraryRule, type YaraLintSettings } from './yara-lint'
import { parseYara, type YaraFile, type YaraRule } from './yara-parse'
import { scoreFile, scoreRule, totalOf, type QualityPart } from './yara-score'

/** What the compiler said about one source (YARA-X reports, one string each). */
export interface CompileReport {
  errors: string[]
  warnings: string[]
}

/** What the library keeps about one rule of a file. */
export interface YaraRuleSummary {
  name: string
  line: number
  private: boolean
  global: boolean
  tags: string[]
  meta: Record<string, string>
  strings: number
  logicHash: string
  quality: number
}

export interface YaraAnalysis {
  ok: boolean
  errors: YaraDiagnostic[]
  /** Compiler warnings and lint findings, in line order. */
  warnings: YaraDiagnostic[]
  imports: string[]
  rules: YaraRuleSummary[]
  ruleNames: string[]
  quality: number
  qualityParts: QualityPart[]
}

/** The rule whose declaration is the last one at or before `line`. */
function ruleAt(file: YaraFile, line: number | null): YaraRule | undefined {
  if (line === null) return undefined
  let found: YaraRule | undefined
  for (const r of file.rules) if (r.line <= line) found = r
  return found
}

const META_VALUE_MAX = 500

/**
 * Combines the compiler's verdict with lint and scoring: a file with any compile error (or
 * without a rule) is refused with every error at its line; otherwise its warnings, rule summaries
 * and quality score are what the library stores.
 */
export function analyzeYara(content: string, report: CompileReport, library: LibraryRule[], settings: YaraLintSettings): YaraAnalysis {
  const file = parseYara(content)
  const compiler = [...report.errors, ...report.warnings].map(parseCompilerReport)
  for (const d of compiler) d.rule ??= ruleAt(file, d.line)?.name
  const errors = compiler.filter((d) => d.severity === 'error')
  if (!errors.length && !file.rules.length) {
    errors.push({ severity: 'error', source: 'lint', code: 'no_rules', message: 'the file holds no rule', line: 1, column: 1 })
  }
  const empty = { imports: file.imports, rules: [], ruleNames: file.rules.map((r) => r.name), quality: 0, qualityParts: [] }
  if (errors.length) {
    return { ok: false, errors: errors.sort(byPosition), warnings: compiler.filter((d) => d.severity === 'warning').sort(byPosition), ...empty }
  }
  const lint = lintYara(file, library, settings)
  // The compiler already says "always false" where lint explains an impossible `N of`: keep one.
  const impossible = new Set(lint.filter((d) => d.code === 'of_exceeds_strings').map((d) => d.line))
  const warnings = [...compiler.filter((d) => !(d.code === 'invariant_expr' && impossible.has(d.line))), ...lint].sort(byPosition)
  const names = new Set(file.rules.map((r) => r.name))
  const perRule = file.rules.map((rule) => {
    const parts = scoreRule(rule, warnings.filter((w) => w.rule === rule.name), settings, names)
    return { rule, private: rule.private, parts, quality: totalOf(parts) }
  })
  const score = scoreFile(perRule)
  return {
    ok: true,
    errors: [],
    warnings,
    imports: [...new Set(file.imports)],
    rules: perRule.map(({ rule, quality }) => ({
      name: rule.name,
      line: rule.line,
      private: rule.private,
      global: rule.global,
      tags: rule.tags,
      meta: Object.fromEntries(rule.meta.map((m) => [m.key, m.value.slice(0, META_VALUE_MAX)])),
      strings: rule.strings.length,
      logicHash: logicHash(rule),
      quality,
    })),
    ruleNames: file.rules.map((r) => r.name),
    quality: score.quality,
    qualityParts: score.parts,
  }
}
