import { eq } from 'drizzle-orm'
import { LDAP_DEFAULTS, LdapConfig } from '../../schema/contracts/ldap'
import { settings } from '../../schema/tables'
import type { Db } from '../env'

/** The settings row holding every LDAP option but the bind password (`ldap.bindPassword`, secret-settings.ts). */
export const LDAP_CONFIG_KEY = 'ldap.config'

/** Saved settings over the defaults; a value that no longer validates falls back to its default. */
export async function getLdapConfig(db: Db): Promise<LdapConfig> {
  const row = await db.select().from(settings).where(eq(settings.key, LDAP_CONFIG_KEY)).get()
  const stored = (row?.value ?? {}) as Record<string, unknown>
  const merged: Record<string, unknown> = { ...LDAP_DEFAULTS }
  for (const [k, v] of Object.entries(stored)) {
    if (!(k in LDAP_DEFAULTS)) continue
    const one = LdapConfig.shape[k as keyof LdapConfig].safeParse(v)
    if (one.success) merged[k] = one.data
  }
  return merged as LdapConfig
}

export async function saveLdapConfig(db: Db, config: LdapConfig, actor: string) {
  const at = new Date().toISOString()
  await db
    .insert(settings)
    .values({ key: LDAP_CONFIG_KEY, value: config, updatedAt: at, updatedBy: actor })
    .onConflictDoUpdate({ target: settings.key, set: { value: config, updatedAt: at, updatedBy: actor } })
}
