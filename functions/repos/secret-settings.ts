import { eq } from 'drizzle-orm'
import { settings } from '../../schema/tables'
import type { Db } from '../env'
import { decryptSecret, encryptSecret, maskSecret } from '../lib/secrets'

/** Settings that hold a secret: stored encrypted, readable only through readSecretSetting. */
export type SecretKey = 'misp.apiKey' | 'ldap.bindPassword'

interface Stored {
  enc: string
  /** The masked form (`••••1234`), for screens that show that a secret is set. */
  masked: string
}

const isStored = (v: unknown): v is Stored =>
  typeof v === 'object' && v !== null && typeof (v as Stored).enc === 'string' && typeof (v as Stored).masked === 'string'

export interface SecretStatus {
  set: boolean
  masked: string | null
  updatedAt: string | null
  updatedBy: string | null
}

/** Encrypts and stores a secret (an empty string clears it). Never returns or logs the value. */
export async function writeSecretSetting(db: Db, secretsKey: string | undefined, key: SecretKey, value: string, actor: string) {
  if (value === '') {
    await db.delete(settings).where(eq(settings.key, key))
    return
  }
  // A password shows no tail at all: its last characters would shorten a guess.
  const masked = key === 'ldap.bindPassword' ? '••••' : maskSecret(value)
  const stored: Stored = { enc: await encryptSecret(secretsKey, key, value), masked }
  const at = new Date().toISOString()
  await db
    .insert(settings)
    .values({ key, value: stored, updatedAt: at, updatedBy: actor })
    .onConflictDoUpdate({ target: settings.key, set: { value: stored, updatedAt: at, updatedBy: actor } })
}

/** The plaintext, for the code that uses it (an outbound call); null when not set. */
export async function readSecretSetting(db: Db, secretsKey: string | undefined, key: SecretKey): Promise<string | null> {
  const row = await db.select().from(settings).where(eq(settings.key, key)).get()
  if (!row || !isStored(row.value)) return null
  return decryptSecret(secretsKey, key, row.value.enc)
}

/** What an API may return about a secret. */
export async function secretStatus(db: Db, key: SecretKey): Promise<SecretStatus> {
  const row = await db.select().from(settings).where(eq(settings.key, key)).get()
  if (!row || !isStored(row.value)) return { set: false, masked: null, updatedAt: null, updatedBy: null }
  return { set: true, masked: row.value.masked, updatedAt: row.updatedAt, updatedBy: row.updatedBy }
}
