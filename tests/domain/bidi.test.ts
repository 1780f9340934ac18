import { describe, expect, it } from 'vitest'
import { bidiRuns, visualOrder } from '../../web/src/lib/bidi'

describe('visualOrder (PDF text drawn left to right)', () => {
  it('reverses Hebrew and keeps numbers, in an RTL paragraph', () => {
    expect(visualOrder('עמוד 1 מתוך 3', true)).toBe('3 ךותמ 1 דומע')
  })

  it('keeps percentages and decimals with their digits', () => {
    expect(visualOrder('בריאות 83.3%', true)).toBe('83.3% תואירב')
  })

  it('keeps Latin words in order inside Hebrew, and Hebrew words reversed inside English', () => {
    expect(visualOrder('דוח Moat שבועי', true)).toBe('יעובש Moat חוד')
    expect(visualOrder('Campaign שלום 2', false)).toBe('Campaign םולש 2')
  })

  it('mirrors brackets in Hebrew runs and leaves plain English alone', () => {
    expect(visualOrder('קמפיין (חדש)', true)).toBe('(שדח) ןייפמק')
    expect(visualOrder('Weekly Report - Nov 23 - Nov 29, 2026', false)).toBe('Weekly Report - Nov 23 - Nov 29, 2026')
  })

  it('splits runs by resolved direction', () => {
    expect(bidiRuns('אבג abc', true)).toEqual([
      { dir: 'R', text: 'אבג ' },
      { dir: 'L', text: 'abc' },
    ])
  })
})

describe('paired brackets', () => {
  it('keep a Latin parenthesis with its Latin content at the end of a Hebrew line', () => {
    expect(visualOrder('הופק 24 (UTC)', true)).toBe('24 (UTC) קפוה')
  })
})
