import { describe, expect, it } from 'vitest'
import { autoTicket } from '../../functions/domain/ticket'

const at = new Date('2026-11-23T21:05:00.000Z')

describe('autoTicket', () => {
  it('takes the first letters of the first two words of the display name', () => {
    expect(autoTicket('Dana Levi', at)).toBe('DL-20261123-2105')
  })
  it('takes two letters of a single word and doubles a one-letter name', () => {
    expect(autoTicket('administrator', at)).toBe('AD-20261123-2105')
    expect(autoTicket('q', at)).toBe('QQ-20261123-2105')
  })
  it('falls back to XX for names without Latin letters', () => {
    expect(autoTicket('דנה לוי', at)).toBe('XX-20261123-2105')
  })
  it('uses the configured time zone for the date and time', () => {
    expect(autoTicket('Dana Levi', at, 'Asia/Jerusalem')).toBe('DL-20261123-2305')
  })
})
