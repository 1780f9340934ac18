import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// scrypt through nodejs_compat: the strongest KDF workerd offers (no argon2 there). N=2^17, r=8,
// p=1 is OWASP's first scrypt recommendation; measured ~0.4 s per hash in local workerd
// (bench/password.ts). The parameters live in the stored string, so raising them later only
// needs a rehash on the next successful login.
export const SCRYPT = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 } as const

function derive(password: string, salt: Buffer, N: number, r: number, p: number, len: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, len, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    )
  })
}

/** Returns `scrypt$N$r$p$salt$hash` (base64 parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const { N, r, p, keyLength } = SCRYPT
  const key = await derive(password, salt, N, r, p, keyLength)
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$') ?? []
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time as a real check so unknown users cannot be told apart by timing.
    await derive(password, randomBytes(16), SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength)
    return false
  }
  const [, n, r, p, salt, hash] = parts
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(password, Buffer.from(salt, 'base64'), +n, +r, +p, expected.length)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

export function needsRehash(stored: string): boolean {
  const [, n, r, p] = stored.split('$')
  return +n < SCRYPT.N || +r !== SCRYPT.r || +p !== SCRYPT.p
}
