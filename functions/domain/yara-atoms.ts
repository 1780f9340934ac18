import { unquote, type YaraString } from './yara-parse'

/**
 * What YARA can search for before it checks a pattern: the longest run of fixed bytes ("atom").
 * A pattern whose longest run is 1-3 bytes matches almost everywhere and slows every scan.
 */
export function atomBytes(s: YaraString): number {
  if (s.kind === 'text') return new TextEncoder().encode(unquote(s.raw)).length
  if (s.kind === 'hex') return hexAtom(s.raw)
  return regexAtom(regexBody(s.raw))
}

function hexAtom(raw: string): number {
  const body = raw.replace(/^\{|\}$/g, '').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
  let best = 0
  let run = 0
  let i = 0
  const cut = () => {
    best = Math.max(best, run)
    run = 0
  }
  while (i < body.length) {
    const ch = body[i]
    if (/\s/.test(ch)) i++
    else if (/[0-9A-Fa-f]/.test(ch) && /[0-9A-Fa-f]/.test(body[i + 1] ?? '')) {
      run++
      i += 2
    } else if (ch === '[') {
      cut()
      i = body.indexOf(']', i) < 0 ? body.length : body.indexOf(']', i) + 1
    } else {
      // ?? wildcards, ~ negation, ( | ) alternatives: none of them is a fixed byte.
      cut()
      i += ch === '~' ? 1 : ch === '?' || /[0-9A-Fa-f]/.test(ch) ? 2 : 1
    }
  }
  cut()
  return best
}

export function regexBody(raw: string): string {
  const end = raw.lastIndexOf('/')
  return end > 0 ? raw.slice(1, end) : raw.slice(1)
}

/** Splits a regex body at top-level `|`. */
function alternatives(body: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  let inClass = false
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (ch === '\\') i++
    else if (inClass) inClass = ch !== ']'
    else if (ch === '[') inClass = true
    else if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === '|' && depth === 0) {
      out.push(body.slice(start, i))
      start = i + 1
    }
  }
  out.push(body.slice(start))
  return out
}

function closingParen(body: string, open: number): number {
  let depth = 0
  let inClass = false
  for (let i = open; i < body.length; i++) {
    const ch = body[i]
    if (ch === '\\') i++
    else if (inClass) inClass = ch !== ']'
    else if (ch === '[') inClass = true
    else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return i
  }
  return body.length
}

/** Longest mandatory literal run of a regex; with top-level alternatives, the weakest branch counts. */
function regexAtom(body: string): number {
  const branches = alternatives(body)
  if (branches.length > 1) return Math.min(...branches.map(regexAtom))
  let best = 0
  let run = 0
  let i = 0
  const cut = () => {
    best = Math.max(best, run)
    run = 0
  }
  while (i < body.length) {
    const ch = body[i]
    if (ch === '\\') {
      const next = body[i + 1] ?? ''
      if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(body.slice(i + 2, i + 4))) {
        run++
        i += 4
      } else if (/[dwsDWSbB]/.test(next)) {
        cut()
        i += 2
      } else {
        run++
        i += 2
      }
    } else if (ch === '[') {
      cut()
      let j = i + 1
      if (body[j] === '^') j++
      if (body[j] === ']') j++
      while (j < body.length && body[j] !== ']') j += body[j] === '\\' ? 2 : 1
      i = j + 1
    } else if (ch === '*' || ch === '?' || (ch === '{' && /^\{0?,/.test(body.slice(i)))) {
      // The previous character was optional after all.
      run = Math.max(0, run - 1)
      cut()
      i = ch === '{' ? body.indexOf('}', i) + 1 || body.length : i + 1
    } else if (ch === '{') {
      cut()
      i = body.indexOf('}', i) + 1 || body.length
    } else if (ch === '(') {
      // A group counts as its weakest alternative, and not at all when it is optional.
      const close = closingParen(body, i)
      cut()
      const inner = body.slice(i + 1, close).replace(/^\?:/, '')
      if (!/^(?:[?*]|\{0?,)/.test(body.slice(close + 1))) best = Math.max(best, regexAtom(inner))
      i = close + 1
    } else if ('.)^$+|'.includes(ch)) {
      cut()
      i++
    } else {
      run++
      i++
    }
  }
  cut()
  return best
}

/**
 * An unbounded wildcard repetition (`.*`, `.+`, `.{n,}`, `[^x]*`): the engine may have to try it
 * from every offset to the end of the file.
 */
export function unboundedWildcard(raw: string): { leading: boolean; found: boolean } {
  const body = regexBody(raw)
  let i = 0
  while (i < body.length) {
    let end = i + 1
    let wildcard = false
    if (body[i] === '\\') end = i + 2
    else if (body[i] === '.') wildcard = true
    else if (body[i] === '[') {
      wildcard = body[i + 1] === '^'
      let j = i + (wildcard ? 2 : 1)
      if (body[j] === ']') j++
      while (j < body.length && body[j] !== ']') j += body[j] === '\\' ? 2 : 1
      end = j + 1
    }
    if (wildcard && /^(?:\*|\+|\{\d*,\})/.test(body.slice(end))) {
      return { found: true, leading: /^\^?$/.test(body.slice(0, i)) }
    }
    i = end
  }
  return { leading: false, found: false }
}
