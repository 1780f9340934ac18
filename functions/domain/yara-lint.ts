import { atomBytes, unboundedWildcard } from './yara-atoms'
import type { YaraDiagnostic } from './yara-diagnostics'
import type { Token, YaraFile, YaraRule, YaraString } from './yara-parse'

/** Admin-configurable lint settings (`yara.lint` setting). */
export interface YaraLintSettings {
  /** Meta keys every non-private rule must carry. */
  requiredMeta: string[]
  /** Rule names must match this regular expression. */
  namePattern: string
  /** Patterns whose longest fixed run is shorter than this many bytes are "short atoms". */
  minAtomBytes: number
}

export const LINT_DEFAULTS: YaraLintSettings = {
  requiredMeta: ['author', 'description', 'date'],
  // Family_Variant style, as in Win32_Ransomware_GandCrab.
  namePattern: '^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$',
  minAtomBytes: 4,
}

/** Rules of the rest of the library (pending and approved files other than the one checked). */
export interface LibraryRule {
  name: string
  logicHash: string
  filename: string
}

/** 53-bit string hash (cyrb53): a stable fingerprint, not a security boundary. */
export function cyrb53(str: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0')
}

/**
 * The rule's logic without its name, meta, comments, layout or string identifiers: two rules with
 * the same patterns and condition get the same hash however they are named.
 */
export function logicHash(rule: YaraRule): string {
  const ids = new Map(rule.strings.map((s, i) => [s.id.slice(1), `s${i}`]))
  const strings = rule.strings.map((s) => {
    const raw = s.kind === 'hex' ? s.raw.replace(/\s+/g, '').toUpperCase() : s.raw
    return `${s.kind}:${raw}:${[...s.modifiers].sort().join(',')}`
  })
  const condition = rule.condition.map((t) => {
    if (t.kind !== 'var') return t.text
    const name = t.text.slice(1)
    return t.text[0] + (ids.get(name) ?? name)
  })
  return cyrb53(`${strings.join('\n')}\n--\n${condition.join(' ')}`)
}

const warn = (rule: YaraRule, code: string, message: string, at: { line: number; column: number }, params: Record<string, string | number>): YaraDiagnostic => ({
  severity: 'warning',
  source: 'lint',
  code,
  message,
  line: at.line,
  column: at.column,
  rule: rule.name,
  params: { rule: rule.name, ...params },
})

/** How many declared strings an `of` set names: `them`, `($a, $b*)`. */
function setSize(rule: YaraRule, tokens: Token[], start: number): number | null {
  if (tokens[start]?.text === 'them') return rule.strings.length
  if (tokens[start]?.text !== '(') return null
  let count = 0
  for (let i = start + 1; i < tokens.length && tokens[i].text !== ')'; i++) {
    const t = tokens[i]
    if (t.kind !== 'var') {
      if (t.text !== ',') return null
      continue
    }
    const id = t.text
    count += id.endsWith('*') ? rule.strings.filter((s) => s.id.startsWith(id.slice(0, -1))).length : rule.strings.some((s) => s.id === id) ? 1 : 0
  }
  return count
}

function ruleChecks(rule: YaraRule, settings: YaraLintSettings): YaraDiagnostic[] {
  const out: YaraDiagnostic[] = []
  const at = { line: rule.line, column: rule.column }
  if (!rule.private) {
    const present = new Set(rule.meta.filter((m) => m.value.trim()).map((m) => m.key.toLowerCase()))
    const missing = settings.requiredMeta.filter((k) => !present.has(k.toLowerCase()))
    if (missing.length) out.push(warn(rule, 'missing_meta', `rule ${rule.name} has no ${missing.join(', ')} in its meta section`, at, { keys: missing.join(', ') }))
  }
  let pattern: RegExp | null = null
  try {
    pattern = new RegExp(settings.namePattern)
  } catch {
    pattern = null
  }
  if (pattern && !pattern.test(rule.name)) {
    out.push(warn(rule, 'rule_name_convention', `rule name ${rule.name} does not follow the naming convention ${settings.namePattern}`, at, { pattern: settings.namePattern }))
  }
  if (rule.global) out.push(warn(rule, 'global_rule', `rule ${rule.name} is global: it constrains every other rule in the bundle`, at, {}))
  for (const s of rule.strings) out.push(...stringChecks(rule, s, settings))
  const c = rule.condition
  for (let i = 0; i + 2 < c.length; i++) {
    if (c[i].kind !== 'number' || c[i + 1].text !== 'of') continue
    const n = Number(c[i].text)
    const size = setSize(rule, c, i + 2)
    if (size !== null && n > size) {
      out.push(warn(rule, 'of_exceeds_strings', `rule ${rule.name}: "${n} of" asks for more matching strings than the ${size} it names, so it can never match`, c[i], { n, count: size }))
    }
  }
  return out
}

function stringChecks(rule: YaraRule, s: YaraString, settings: YaraLintSettings): YaraDiagnostic[] {
  const bytes = atomBytes(s)
  const min = settings.minAtomBytes
  if (s.kind === 'regex') {
    const wild = unboundedWildcard(s.raw)
    if (wild.leading) {
      return [warn(rule, 'expensive_regex', `${s.id} starts with an unbounded wildcard: it is tried at every offset; drop the leading .* or bound it (.{0,64})`, s, { string: s.id })]
    }
    if (wild.found && bytes < min) {
      return [warn(rule, 'expensive_regex', `${s.id} has an unbounded wildcard and no literal of ${min} bytes to anchor on: add a longer literal or bound the repetition (.{0,64})`, s, { string: s.id, min })]
    }
  }
  if (bytes < min) {
    return [warn(rule, 'short_atom', `${s.id} has only ${bytes} fixed byte${bytes === 1 ? '' : 's'} to search for (at least ${min} keep scans fast)`, s, { string: s.id, bytes, min })]
  }
  return []
}

/** Every lint finding of a parsed file, given the rest of the library and the settings. */
export function lintYara(file: YaraFile, library: LibraryRule[], settings: YaraLintSettings = LINT_DEFAULTS): YaraDiagnostic[] {
  const out: YaraDiagnostic[] = []
  const byName = new Map(library.map((r) => [r.name, r]))
  const byLogic = new Map<string, { name: string; filename?: string }>()
  for (const r of library) if (!byLogic.has(r.logicHash)) byLogic.set(r.logicHash, r)
  for (const rule of file.rules) {
    out.push(...ruleChecks(rule, settings))
    const at = { line: rule.line, column: rule.column }
    const other = byName.get(rule.name)
    if (other) {
      out.push(warn(rule, 'duplicate_rule_name', `rule name ${rule.name} is already used in ${other.filename}; the bundle can hold only one`, at, { file: other.filename }))
    }
    const hash = logicHash(rule)
    const twin = byLogic.get(hash)
    if (twin) {
      const where = twin.filename ? `${twin.name} in ${twin.filename}` : twin.name
      out.push(warn(rule, 'duplicate_logic', `rule ${rule.name} has the same strings and condition as ${where}`, at, { other: twin.name, file: twin.filename ?? '' }))
    } else byLogic.set(hash, { name: rule.name })
  }
  return out
}
