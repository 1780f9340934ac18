import { atomBytes, unboundedWildcard } from './yara-atoms'
import type { YaraDiagnostic } from './yara-diagnostics'
import type { YaraLintSettings } from './yara-lint'
import type { YaraRule } from './yara-parse'

export interface QualityPart {
  key: 'metadata' | 'references' | 'strings' | 'condition' | 'lint'
  points: number
  max: number
}

/**
 * Quality score, 10 to 50: a base of 10 plus five criteria (README "YARA Manager" has the table).
 *
 * - metadata (10): the required meta keys (6, in proportion), a description of 20+ characters (2),
 *   four or more meta entries (2)
 * - references (8): a reference (reference/ref/url/link/report/source) (4), a sample hash
 *   (a 32, 40 or 64 hex digit meta value) (4)
 * - strings (10): one string (2), two or more (2), no short atoms (3), no expensive regex (3); a
 *   rule without strings whose condition reads a module or other rules scores 6
 * - condition (8): a file-type or size guard (uint16/uint32 at 0, filesize, `at 0`, a module)
 *   (4), more than one term (2), not trivially broad (not `true`, not "any of them" over one
 *   string) (2)
 * - lint (4): 4 minus one per compiler or lint warning on the rule
 */
export const QUALITY_BASE = 10
export const QUALITY_MAX = { metadata: 10, references: 8, strings: 10, condition: 8, lint: 4 } as const

const REFERENCE_KEYS = /^(reference|references|ref|url|link|report|source)\d*$/i
const HASH_VALUE = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i
const MODULE_USE = /^(pe|elf|macho|dotnet|math|hash|cuckoo|magic|console|time|string|lnk|dex|crx|vt)$/

function metadata(rule: YaraRule, settings: YaraLintSettings): number {
  const present = new Set(rule.meta.filter((m) => m.value.trim()).map((m) => m.key.toLowerCase()))
  const required = settings.requiredMeta
  const share = required.length ? required.filter((k) => present.has(k.toLowerCase())).length / required.length : 1
  const description = rule.meta.find((m) => m.key.toLowerCase() === 'description')?.value ?? ''
  return 6 * share + (description.trim().length >= 20 ? 2 : 0) + (rule.meta.length >= 4 ? 2 : 0)
}

function references(rule: YaraRule): number {
  const ref = rule.meta.some((m) => REFERENCE_KEYS.test(m.key) && m.value.trim().length > 3)
  const hash = rule.meta.some((m) => HASH_VALUE.test(m.value.trim()))
  return (ref ? 4 : 0) + (hash ? 4 : 0)
}

function usesModule(rule: YaraRule): boolean {
  return rule.condition.some((t, i) => t.kind === 'ident' && MODULE_USE.test(t.text) && rule.condition[i + 1]?.text === '.')
}

function strings(rule: YaraRule, settings: YaraLintSettings, siblings: Set<string>): number {
  const list = rule.strings
  if (!list.length) return usesModule(rule) || rule.condition.some((t) => t.kind === 'ident' && siblings.has(t.text)) ? 6 : 0
  const short = list.some((s) => atomBytes(s) < settings.minAtomBytes)
  const expensive = list.some((s) => s.kind === 'regex' && unboundedWildcard(s.raw).found)
  return 2 + (list.length >= 2 ? 2 : 0) + (short ? 0 : 3) + (expensive ? 0 : 3)
}

function condition(rule: YaraRule): number {
  const c = rule.condition
  const text = c.map((t) => t.text)
  const guard =
    usesModule(rule) ||
    text.includes('filesize') ||
    c.some((t, i) => /^u?int(8|16|32)(be)?$/.test(t.text) && text[i + 1] === '(' && /^(0|0x0+)$/.test(text[i + 2] ?? '')) ||
    c.some((t, i) => t.text === 'at' && /^(0|0x0+)$/.test(text[i + 1] ?? ''))
  const terms = text.includes('and') || text.includes('all') || c.some((t, i) => t.kind === 'number' && Number(t.text) >= 2 && text[i + 1] === 'of')
  const trivial = (text.length === 1 && text[0] === 'true') || (text.join(' ') === 'any of them' && rule.strings.length <= 1)
  return (guard ? 4 : 0) + (terms ? 2 : 0) + (trivial ? 0 : 2)
}

/**
 * Score parts of one rule; `warnings` are the findings on this rule (compiler and lint),
 * `siblings` the names of the other rules in its file.
 */
export function scoreRule(rule: YaraRule, warnings: YaraDiagnostic[], settings: YaraLintSettings, siblings: Set<string> = new Set()): QualityPart[] {
  const parts: [QualityPart['key'], number][] = [
    ['metadata', metadata(rule, settings)],
    ['references', references(rule)],
    ['strings', strings(rule, settings, siblings)],
    ['condition', condition(rule)],
    ['lint', Math.max(0, QUALITY_MAX.lint - warnings.length)],
  ]
  return parts.map(([key, points]) => ({ key, points: Math.round(points * 10) / 10, max: QUALITY_MAX[key] }))
}

export const totalOf = (parts: QualityPart[]) =>
  Math.min(50, Math.max(QUALITY_BASE, Math.round(QUALITY_BASE + parts.reduce((a, p) => a + p.points, 0))))

/** A file's score: the mean of each part over its public rules (all rules when every one is private). */
export function scoreFile(perRule: { private: boolean; parts: QualityPart[] }[]): { quality: number; parts: QualityPart[] } {
  const counted = perRule.some((r) => !r.private) ? perRule.filter((r) => !r.private) : perRule
  const keys = Object.keys(QUALITY_MAX) as QualityPart['key'][]
  const parts = keys.map((key) => {
    const values = counted.map((r) => r.parts.find((p) => p.key === key)?.points ?? 0)
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0
    return { key, points: Math.round(mean * 10) / 10, max: QUALITY_MAX[key] }
  })
  return { quality: totalOf(parts), parts }
}
