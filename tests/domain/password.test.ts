import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, SCRYPT, verifyPassword } from '../../functions/lib/password'

describe('password hashing', () => {
  it('stores scrypt parameters and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('Blue-harbour-lantern-42')
    const b = await hashPassword('Blue-harbour-lantern-42')
    expect(a).toMatch(new RegExp(`^scrypt\\$${SCRYPT.N}\\$8\\$1\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}$`))
    expect(a).not.toBe(b)
    expect(await verifyPassword('Blue-harbour-lantern-42', a)).toBe(true)
    expect(await verifyPassword('blue-harbour-lantern-42', a)).toBe(false)
    expect(await verifyPassword('anything', null)).toBe(false)
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false)
  })

  it('asks for a rehash when the stored cost is below the current one', () => {
    expect(needsRehash('scrypt$16384$8$1$c2FsdA==$aGFzaA==')).toBe(true)
    expect(needsRehash(`scrypt$${SCRYPT.N}$8$1$c2FsdA==$aGFzaA==`)).toBe(false)
  })
})
