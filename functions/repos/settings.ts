import { eq } from 'drizzle-orm'
import { settings } from '../../schema/tables'
import type { Db } from '../env'

/** Settings with their defaults: one place that says what can be configured. */
export const SETTING_DEFAULTS = {
  'iocs.defaultTtl': '3m',
  'iocs.defaultConfidence': 70,
  'iocs.defaultSeverity': 'medium',
  'general.timezone': 'UTC',
} as const
export type SettingKey = keyof typeof SETTING_DEFAULTS

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const row = await db.select().from(settings).where(eq(settings.key, key)).get()
  return (row?.value as (typeof SETTING_DEFAULTS)[K] | undefined) ?? SETTING_DEFAULTS[key]
}
