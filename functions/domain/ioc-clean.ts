// Rules 1 and 2 of DESIGN.md section 3: strip what surrounds a pasted value, then refang it.

// Openers and the closer that must end the value for the pair to be stripped. `+...+` is
// AsciiDoc's passthrough, which ESET reports wrap around every IOC inside backticks.
const PAIRS: Record<string, string> = { '"': '"', "'": "'", '`': '`', '<': '>', '(': ')', '+': '+' }
const CLOSERS: Record<string, string> = { '"': '"', "'": "'", '`': '`', '>': '<', ')': '(' }

export function count(text: string, char: string): number {
  let found = 0
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) found++
  return found
}

/** How often each encloser occurs; kept up to date as characters are stripped. */
function tallyEnclosers(text: string): Map<string, number> {
  const tally = new Map<string, number>()
  for (const char of '"\'`<>()') tally.set(char, count(text, char))
  return tally
}

function isUnbalanced(tally: Map<string, number>, char: string, partner: string): boolean {
  const mine = tally.get(char) ?? 0
  return char === partner ? mine % 2 === 1 : mine > (tally.get(partner) ?? 0)
}

function untally(tally: Map<string, number>, ...chars: string[]): void {
  for (const char of chars) if (tally.has(char)) tally.set(char, (tally.get(char) ?? 0) - 1)
}

/** One cleaning step, or null when there is nothing left to strip. */
function stripOnce(value: string, tally: Map<string, number>): string | null {
  let end = value.length
  while (end > 0 && (value[end - 1] === ',' || value[end - 1] === ';')) end--
  if (end < value.length) return value.slice(0, end).trim()
  const first = value[0]
  const last = value[value.length - 1]
  if (value.length >= 2 && PAIRS[first] === last) {
    untally(tally, first, last)
    return value.slice(1, -1).trim()
  }
  // A lone opener or closer (`(evil.com`, `'https://x/a.ps1')`) is left over from the sentence.
  // Pairs inside the value (`evil(.)com`, `/wiki/Foo_(bar)`) balance and are kept.
  if (first in PAIRS && first !== '+' && isUnbalanced(tally, first, PAIRS[first])) {
    untally(tally, first)
    return value.slice(1).trim()
  }
  if (last in CLOSERS && isUnbalanced(tally, last, CLOSERS[last])) {
    untally(tally, last)
    return value.slice(0, -1).trim()
  }
  return null
}

/** Rule 1: trims and strips surrounding quotes, backticks, `<>`, `()` and trailing `,;`. */
export function cleanIoc(raw: string): string {
  let value = raw.trim()
  const tally = tallyEnclosers(value)
  // Bounded so a megabyte of quotes costs a few linear passes, not one pass per character.
  for (let step = 0; step < 16 && value !== ''; step++) {
    const next = stripOnce(value, tally)
    if (next === null) break
    value = next
  }
  return value
}

const BRACKETED = /([[({])\s{0,2}(\.|dot|:\/\/|:|\/|@|at)\s{0,2}([\])}])/gi
const REFANGED: Record<string, string> = {
  '[.]': '.',
  '(.)': '.',
  '{.}': '.',
  '[dot]': '.',
  '(dot)': '.',
  '{dot}': '.',
  '[:]': ':',
  '[://]': '://',
  '[/]': '/',
  '[@]': '@',
  '(@)': '@',
  '{@}': '@',
  '[at]': '@',
  '(at)': '@',
  '{at}': '@',
}

/**
 * Rule 2, case-insensitive. `hxxp` and `fxp` are only rewritten as a scheme (before `:` or `[:]`),
 * so a domain such as `fxpro.com` keeps its letters.
 */
export function refang(text: string): string {
  return text
    .replace(/(?<![a-z0-9])hxxp(s?)(?=\[?:)/gi, (_match, s: string) => `http${s.toLowerCase()}`)
    .replace(/(?<![a-z0-9])fxp(?=\[?:)/gi, 'ftp')
    .replace(BRACKETED, (match, open: string, inner: string, close: string) => {
      return REFANGED[`${open}${inner.toLowerCase()}${close}`] ?? match
    })
}
