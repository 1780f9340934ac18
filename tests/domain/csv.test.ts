import { describe, expect, it } from 'vitest'
import { csvCell, csvRow } from '../../functions/domain/csv'

describe('csv', () => {
  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'x\ny'])).toBe('a,"b,c","say ""hi""","x\ny"\r\n')
  })
  it('neutralises formula cells in human-facing exports', () => {
    expect(csvCell('=HYPERLINK("http://evil")', true)).toBe(`"'=HYPERLINK(""http://evil"")"`)
    expect(csvCell('+1', true)).toBe(`"'+1"`)
    expect(csvCell('@SUM(A1)', true)).toBe(`"'@SUM(A1)"`)
  })
  it('keeps values exact without the guard', () => {
    expect(csvCell('-1', false)).toBe('-1')
    expect(csvCell(null)).toBe('')
  })
})
