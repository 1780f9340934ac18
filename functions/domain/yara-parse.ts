/**
 * A small, forgiving reader of YARA source: enough structure for lint, scoring and the library
 * (imports, rules with their modifiers, tags, meta, strings and condition, each with its line).
 * It never decides whether a rule is valid — the real compiler (YARA-X) does that.
 */

export type TokenKind = 'ident' | 'string' | 'regex' | 'hex' | 'number' | 'var' | 'punct'

export interface Token {
  kind: TokenKind
  text: string
  line: number
  column: number
}

export interface YaraString {
  id: string
  kind: 'text' | 'hex' | 'regex'
  /** As written (quotes, braces or slashes included). */
  raw: string
  modifiers: string[]
  line: number
  column: number
}

export interface YaraRule {
  name: string
  line: number
  column: number
  private: boolean
  global: boolean
  tags: string[]
  meta: { key: string; value: string; line: number }[]
  strings: YaraString[]
  /** The condition's tokens (comments and layout gone). */
  condition: Token[]
  conditionLine: number | null
}

export interface YaraFile {
  imports: string[]
  rules: YaraRule[]
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y
const VAR = /[$#@!][A-Za-z0-9_]*\*?/y
const NUMBER = /(?:0x[0-9A-Fa-f]+|0o[0-7]+|\d+(?:\.\d+)?)(?:KB|MB)?/y
const REGEX_BEFORE = new Set(['=', 'matches'])

/** Splits source into tokens; `/` starts a regex only where one can stand (after `=` or `matches`). */
export function tokenize(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const push = (kind: TokenKind, end: number) => {
    out.push({ kind, text: src.slice(i, end), line, column: i - lineStart + 1 })
    advance(end)
  }
  const advance = (end: number) => {
    for (let k = i; k < end; k++) {
      if (src.charCodeAt(k) === 10) {
        line++
        lineStart = k + 1
      }
    }
    i = end
  }
  const sticky = (re: RegExp) => {
    re.lastIndex = i
    return re.exec(src)?.[0]
  }
  while (i < src.length) {
    const ch = src[i]
    const prev = out[out.length - 1]?.text
    if (/\s/.test(ch)) advance(i + 1)
    else if (src.startsWith('//', i)) advance(src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i))
    else if (src.startsWith('/*', i)) advance(src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2)
    else if (ch === '"') push('string', scanQuoted(src, i, '"'))
    else if (ch === '/' && REGEX_BEFORE.has(prev ?? '')) {
      let end = scanQuoted(src, i, '/')
      while (/[a-z]/.test(src[end] ?? '')) end++
      push('regex', end)
    } else if (ch === '{' && prev === '=') {
      const close = src.indexOf('}', i)
      push('hex', close < 0 ? src.length : close + 1)
    } else if ('$#@!'.includes(ch) && /[A-Za-z0-9_$*]/.test(src[i + 1] ?? '') ) push('var', i + (sticky(VAR)?.length ?? 1))
    else if (ch === '$') push('var', i + 1)
    else if (/[0-9]/.test(ch)) push('number', i + (sticky(NUMBER)?.length ?? 1))
    else if (/[A-Za-z_]/.test(ch)) push('ident', i + sticky(IDENT)!.length)
    else if (src.startsWith('..', i)) push('punct', i + 2)
    else push('punct', i + 1)
  }
  return out
}

/** End index (exclusive) of a quoted run starting at `start`, honouring backslash escapes; stops at a newline. */
function scanQuoted(src: string, start: number, quote: string): number {
  let i = start + 1
  while (i < src.length && src[i] !== quote && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1
  return src[i] === quote ? i + 1 : i
}

const MODIFIERS = new Set(['ascii', 'wide', 'nocase', 'fullword', 'private', 'xor', 'base64', 'base64wide'])

class Reader {
  pos = 0
  constructor(readonly tokens: Token[]) {}
  peek(offset = 0) {
    return this.tokens[this.pos + offset]
  }
  next() {
    return this.tokens[this.pos++]
  }
  is(text: string, offset = 0) {
    return this.peek(offset)?.text === text
  }
  done() {
    return this.pos >= this.tokens.length
  }
}

/** Parses imports and rules; malformed parts are skipped rather than reported. */
export function parseYara(src: string): YaraFile {
  const r = new Reader(tokenize(src))
  const file: YaraFile = { imports: [], rules: [] }
  while (!r.done()) {
    if (r.is('import') && r.peek(1)?.kind === 'string') {
      r.next()
      file.imports.push(unquote(r.next().text))
      continue
    }
    const start = r.pos
    const mods = { private: false, global: false }
    while (r.is('private') || r.is('global')) mods[r.next().text as 'private' | 'global'] = true
    if (r.is('rule') && r.peek(1)?.kind === 'ident') {
      file.rules.push(parseRule(r, mods))
      continue
    }
    r.pos = Math.max(start + 1, r.pos)
  }
  return file
}

function parseRule(r: Reader, mods: { private: boolean; global: boolean }): YaraRule {
  r.next()
  const nameTok = r.next()
  const rule: YaraRule = {
    name: nameTok.text,
    line: nameTok.line,
    column: nameTok.column,
    ...mods,
    tags: [],
    meta: [],
    strings: [],
    condition: [],
    conditionLine: null,
  }
  if (r.is(':')) {
    r.next()
    while (r.peek()?.kind === 'ident' && !r.is('{')) rule.tags.push(r.next().text)
  }
  if (!r.is('{')) return rule
  r.next()
  let section = ''
  let depth = 0
  while (!r.done()) {
    const tok = r.peek()
    if (depth === 0 && tok.text === '}') {
      r.next()
      break
    }
    // A new rule before this one closed: the file is broken here; stop at the rule keyword.
    if (tok.text === 'rule' && r.peek(1)?.kind === 'ident') break
    if (depth === 0 && ['meta', 'strings', 'condition'].includes(tok.text) && r.is(':', 1)) {
      section = tok.text
      r.next()
      r.next()
      if (section === 'condition') rule.conditionLine = r.peek()?.line ?? tok.line
      continue
    }
    if (section === 'meta' && tok.kind === 'ident' && r.is('=', 1)) {
      r.next()
      r.next()
      const neg = r.is('-') ? r.next().text : ''
      const value = r.next()
      if (value) rule.meta.push({ key: tok.text, value: value.kind === 'string' ? unquote(value.text) : neg + value.text, line: tok.line })
      continue
    }
    if (section === 'strings' && tok.kind === 'var' && r.is('=', 1)) {
      r.next()
      r.next()
      const value = r.next()
      if (!value) break
      const kind = value.kind === 'hex' ? 'hex' : value.kind === 'regex' ? 'regex' : 'text'
      const modifiers: string[] = []
      while (r.peek()?.kind === 'ident' && MODIFIERS.has(r.peek().text)) {
        modifiers.push(r.next().text)
        // xor(1-255), base64("alphabet")
        if (r.is('(')) while (!r.done() && !r.is(')')) r.next()
        if (r.is(')')) r.next()
      }
      rule.strings.push({ id: tok.text, kind, raw: value.text, modifiers, line: tok.line, column: tok.column })
      continue
    }
    if (section === 'condition') {
      if (tok.text === '(') depth++
      if (tok.text === ')') depth = Math.max(0, depth - 1)
      rule.condition.push(tok)
    }
    r.next()
  }
  return rule
}

/** A double-quoted YARA string's text with the escapes YARA knows resolved. */
export function unquote(raw: string): string {
  const body = raw.replace(/^"/, '').replace(/"$/, '')
  return body.replace(/\\(x[0-9A-Fa-f]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16))
    return e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e
  })
}
