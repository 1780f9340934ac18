import { eq } from 'drizzle-orm'
import { settings } from '../../schema/tables'
import type { Db } from '../env'

/** Settings with their defaults: one place that says what can be configured. */
export const SETTING_DEFAULTS = {
  'iocs.defaultTtl': '3m',
  /** Per-type lifetimes over `iocs.defaultTtl` (`{"ip": "1m", "hash": "permanent"}`; domain/ttl-policy.ts). */
  'iocs.ttlByType': {} as Record<string, string>,
  /** Who may confirm a critical sanity hit: `block_all`, `block_non_admin` or `warn_all` (domain/sanity-policy.ts). */
  'iocs.sanityMode': 'block_non_admin',
  'iocs.defaultConfidence': 70,
  'iocs.defaultSeverity': 'medium',
  'general.timezone': 'UTC',
  /** `public` (restrict by firewall) or `token` (every poll needs a consumer token). */
  'feeds.access': 'public',
  'feeds.paDomainWildcard': false,
  'feeds.cpIpv6': false,
  /** A rebuilt feed with fewer than this share of its previous entries raises a shrink alert. */
  'feeds.shrinkAlertShare': 0.5,
  'feeds.tokenGraceHours': 24,
  /** Per-feed maximum lines (`{"/feed/pa/url": 50000}`): devices have capacities; the catalogue warns when a feed is over. */
  'feeds.limits': {} as Record<string, number>,
  /** Audit stream to a syslog collector (RFC 5424 over UDP, CEF messages); off until an admin sets it. */
  'syslog.enabled': false,
  'syslog.host': '',
  'syslog.port': 514,
  'syslog.facility': 'local0',
  /** audit_log rows older than this are deleted (only once shipped to the local CEF file). */
  'audit.retentionDays': 365,
  /** Shipping cursors: the last audit id written to data/audit/cef.log and sent to syslog. */
  'audit.cursor.file': 0,
  'audit.cursor.syslog': 0,
  /** Last delivery run: times, last ids and the last error of each destination (lib/audit-ship.ts). */
  'audit.delivery': {} as Record<string, string | number | null>,
  /** `https://moat.example.org`: base of the absolute addresses TAXII discovery hands out ('' = relative). */
  'feeds.publicUrl': '',
  /** TLP marking (`white|green|amber|red`, '' = none) on STIX versions published from now on. */
  'feeds.taxiiTlp': '',
  /** Content blocks per TAXII 1.1 poll response part (more follow by Poll_Fulfillment). */
  'feeds.taxii1PartSize': 10000,
  /** Champs (functions/domain/champs.ts): scoring method 1..8, system users left out, weekend days (0 = Sunday), custom ticker. */
  'champs.method': 1,
  'champs.excludeSystem': true,
  'champs.weekendDays': [5, 6] as number[],
  'champs.ticker': [] as { text: string; color: string; dir: 'ltr' | 'rtl' }[],
  /** Daily database backups into data/backups, written by the launcher (bin/backup-cli.ts); the newest `backup.keep` stay. */
  'backup.enabled': true,
  'backup.keep': 7,
} as const
export type SettingKey = keyof typeof SETTING_DEFAULTS
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T
export type SettingValue<K extends SettingKey> = Widen<(typeof SETTING_DEFAULTS)[K]>

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<SettingValue<K>> {
  const row = await db.select().from(settings).where(eq(settings.key, key)).get()
  return (row?.value as SettingValue<K> | undefined) ?? (SETTING_DEFAULTS[key] as SettingValue<K>)
}

/**
 * One upsert per setting (`{ 'backup.keep': 14, ... }`), stamped with who and when, for a single
 * `db.batch` so a settings change is all or nothing. Empty when there is nothing to write.
 */
export function settingWrites(db: Db, values: Record<string, unknown>, by: string, at = new Date().toISOString()) {
  return Object.entries(values).map(([key, value]) =>
    db
      .insert(settings)
      .values({ key, value, updatedAt: at, updatedBy: by })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at, updatedBy: by } }),
  )
}
