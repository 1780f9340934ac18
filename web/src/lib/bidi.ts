// A small subset of the Unicode bidi algorithm, enough for report text drawn by jsPDF (which lays
// glyphs out left to right): Hebrew runs reversed, Latin words and numbers kept, neutrals take the
// direction of their neighbours. Pure, so it is unit-tested.

const HEBREW = /[\u0590-\u05FF\uFB1D-\uFB4F]/
const STRONG_LTR = /[A-Za-z0-9\u00C0-\u024F]/
const DIGIT = /[0-9]/
/** Number punctuation that stays with its digits (83.3%, 1,234, 10:30, -5). */
const NUMBER_MARK = /[%.,:/+\-#°]/
const MIRROR: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<' }

type Dir = 'R' | 'L'

export const hasHebrew = (s: string) => HEBREW.test(s)

/** Resolved direction of each character of a paragraph. */
function classify(chars: string[], base: Dir): Dir[] {
  const raw = chars.map((c, i) => {
    if (HEBREW.test(c)) return 'R'
    if (STRONG_LTR.test(c)) return 'L'
    if (NUMBER_MARK.test(c) && (DIGIT.test(chars[i - 1] ?? '') || DIGIT.test(chars[i + 1] ?? ''))) return 'L'
    return 'N'
  })
  const out: Dir[] = []
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== 'N') {
      out.push(raw[i] as Dir)
      i++
      continue
    }
    let j = i
    while (j < raw.length && raw[j] === 'N') j++
    const before = i === 0 ? base : (raw[i - 1] as Dir)
    const after = j === raw.length ? base : (raw[j] as Dir)
    const dir = before === after ? before : base
    for (let k = i; k < j; k++) out.push(dir)
    i = j
  }
  pairBrackets(chars, raw, out, base)
  return out
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' }

/** A bracket pair takes the direction of the strong text inside it (one direction only), else the paragraph's. */
function pairBrackets(chars: string[], raw: string[], out: Dir[], base: Dir) {
  const stack: number[] = []
  chars.forEach((c, i) => {
    if (OPENERS[c]) stack.push(i)
    else if (Object.values(OPENERS).includes(c) && stack.length && OPENERS[chars[stack[stack.length - 1]]] === c) {
      const open = stack.pop()!
      const inside = new Set(raw.slice(open + 1, i).filter((d) => d !== 'N'))
      const dir: Dir = inside.size === 1 ? ([...inside][0] as Dir) : base
      out[open] = dir
      out[i] = dir
    }
  })
}

/** Runs of one direction in logical order. */
export function bidiRuns(text: string, rtl: boolean): { dir: Dir; text: string }[] {
  const chars = [...text]
  const dirs = classify(chars, rtl ? 'R' : 'L')
  const runs: { dir: Dir; text: string }[] = []
  chars.forEach((c, i) => {
    const last = runs[runs.length - 1]
    if (last && last.dir === dirs[i]) last.text += c
    else runs.push({ dir: dirs[i], text: c })
  })
  return runs
}

/** The text in visual (left-to-right drawing) order for a paragraph of the given direction. */
export function visualOrder(text: string, rtl: boolean): string {
  const runs = bidiRuns(text, rtl).map((r) => (r.dir === 'R' ? [...r.text].reverse().map((c) => MIRROR[c] ?? c).join('') : r.text))
  return (rtl ? runs.reverse() : runs).join('')
}
