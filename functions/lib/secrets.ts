// Secrets at rest (MISP API key, LDAP bind password, outbound tokens): AES-256-GCM through
// WebCrypto, so the same code runs in workerd, Node and on Cloudflare. The key is SECRETS_KEY, 32
// random bytes (base64url) that the launcher keeps in `<data>/keys.json` (mode 0600), never in the
// database: a copy of the database alone does not reveal a secret.
//
// Stored form: `v1.<iv>.<ciphertext+tag>` (base64url). The setting name is bound in as additional
// authenticated data, so a ciphertext moved to another setting does not decrypt.
import { ApiError } from './errors'

const VERSION = 'v1'

function toB64url(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromB64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0))
}

const keys = new Map<string, Promise<CryptoKey>>()

function importKey(secretsKey: string | undefined): Promise<CryptoKey> {
  if (!secretsKey) throw new ApiError(500, 'secrets_key_missing', 'The secrets key is not configured')
  let key = keys.get(secretsKey)
  if (!key) {
    const raw = fromB64url(secretsKey)
    if (raw.length !== 32) throw new ApiError(500, 'secrets_key_invalid', 'The secrets key must be 32 bytes')
    key = crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt'])
    keys.set(secretsKey, key)
  }
  return key
}

/** Encrypts `plaintext` for the setting `purpose`; a fresh random IV every time. */
export async function encryptSecret(secretsKey: string | undefined, purpose: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: new TextEncoder().encode(purpose) },
    await importKey(secretsKey),
    new TextEncoder().encode(plaintext),
  )
  return `${VERSION}.${toB64url(iv)}.${toB64url(new Uint8Array(ct))}`
}

/** Decrypts a value from encryptSecret; throws (without the value) if it was altered or moved. */
export async function decryptSecret(secretsKey: string | undefined, purpose: string, stored: string): Promise<string> {
  const [version, iv, ct] = stored.split('.')
  if (version !== VERSION || !iv || !ct) throw new ApiError(500, 'secret_unreadable', `The stored secret for ${purpose} is not in a known format`)
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64url(iv) as BufferSource, additionalData: new TextEncoder().encode(purpose) },
      await importKey(secretsKey),
      fromB64url(ct) as BufferSource,
    )
    return new TextDecoder().decode(plain)
  } catch {
    throw new ApiError(500, 'secret_unreadable', `The stored secret for ${purpose} cannot be decrypted (wrong key or altered)`)
  }
}

/** What an API may show of a secret: that it is set, and its last four characters. */
export function maskSecret(plaintext: string): string {
  return plaintext.length > 8 ? `••••${plaintext.slice(-4)}` : '••••'
}
