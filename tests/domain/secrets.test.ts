import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptSecret, encryptSecret, maskSecret } from '../../functions/lib/secrets'

const key = randomBytes(32).toString('base64url')

describe('secrets at rest', () => {
  it('encrypts with AES-GCM and a fresh IV, and decrypts back', async () => {
    const a = await encryptSecret(key, 'misp.apiKey', 'Sup3r-secret-MISP-key')
    const b = await encryptSecret(key, 'misp.apiKey', 'Sup3r-secret-MISP-key')
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('Sup3r')
    expect(await decryptSecret(key, 'misp.apiKey', a)).toBe('Sup3r-secret-MISP-key')
  })

  it('refuses a ciphertext moved to another setting, altered, or read with another key', async () => {
    const stored = await encryptSecret(key, 'misp.apiKey', 'value-1234')
    await expect(decryptSecret(key, 'ldap.bindPassword', stored)).rejects.toThrow(/cannot be decrypted/)
    const [v, iv, ct] = stored.split('.')
    // Change one character of the ciphertext for sure (the replaced one, not its neighbour, decides).
    const flipped = `${v}.${iv}.${ct.slice(0, -2)}${ct.at(-2) === 'A' ? 'B' : 'A'}${ct.slice(-1)}`
    await expect(decryptSecret(key, 'misp.apiKey', flipped)).rejects.toThrow(/cannot be decrypted/)
    await expect(decryptSecret(randomBytes(32).toString('base64url'), 'misp.apiKey', stored)).rejects.toThrow(/cannot be decrypted/)
    await expect(decryptSecret(key, 'misp.apiKey', 'plaintext')).rejects.toThrow(/not in a known format/)
  })

  it('never puts the secret into an error message', async () => {
    const stored = await encryptSecret(key, 'misp.apiKey', 'leak-me-not-9876')
    const err = await decryptSecret(key, 'other', stored).catch((e: Error) => e)
    expect(String((err as Error).message)).not.toContain('leak-me-not')
  })

  it('refuses a missing or short key', async () => {
    await expect(encryptSecret(undefined, 'x', 'y')).rejects.toThrow(/not configured/)
    await expect(encryptSecret('c2hvcnQ', 'x', 'y')).rejects.toThrow(/32 bytes/)
  })

  it('masks all but the last four characters of long secrets', () => {
    expect(maskSecret('abcdefghij1234')).toBe('••••1234')
    expect(maskSecret('short')).toBe('••••')
  })
})
