import { describe, expect, it } from 'vitest'
import { passwordWeakness } from '../../functions/domain/password-policy'

describe('passwordWeakness', () => {
  it.each([
    ['short1!', /at least 12/],
    ['aaaaaaaaaaaaaa', /too few different/],
    ['xx-alice-2026-xx', /username/],
    ['Password2024!!', /common password \('password'/],
    ['Qwerty123456789', /common password \('qwerty'/],
    ['P@ssw0rd!2026!', /common password/],
    ['12345678901234', /common password|digit sequence/],
  ])('refuses %s', (pw, reason) => {
    expect(passwordWeakness(pw, 'alice')).toMatch(reason)
  })

  it.each(['Blue-harbour-lantern-42', 'correct horse battery staple', 'Tq8#mZ!x2Lp9vR'])('accepts %s', (pw) => {
    expect(passwordWeakness(pw, 'alice')).toBeNull()
  })
})
