import { z } from 'zod'

// The Backups tab of the Settings screen (/api/v1/admin/backups): the files in <data>/backups,
// the daily schedule and its retention, manual snapshots, download, check and delete. The files
// live on the launcher's side (bin/host-backups.ts); the worker reaches them through HOST.

export const BACKUP_KINDS = ['daily', 'pre-upgrade', 'pre-restore', 'manual'] as const
export const BackupKind = z.enum(BACKUP_KINDS)
export type BackupKind = z.infer<typeof BackupKind>

/**
 * The only names the API accepts: exactly what the launcher writes (`moat-<kind>-<UTC stamp>.sqlite`).
 * No slash, dot-dot or other character can pass, so a checked name joined to the backups folder
 * never leaves it.
 */
export const BACKUP_NAME_RE = /^moat-(daily|pre-upgrade|pre-restore|manual)-(\d{8}T\d{6}Z)\.sqlite$/

export const BackupNameParam = z.object({
  name: z.string().max(64, 'is not a backup file name').regex(BACKUP_NAME_RE, 'is not a backup file name (moat-<kind>-<UTC time>.sqlite)'),
})

/** `20261124T023000Z` → ISO-8601. */
export function stampToIso(stamp: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : stamp
}

export const Backup = z.object({
  name: z.string(),
  kind: BackupKind,
  /** When the snapshot was taken (from the name; UTC). */
  createdAt: z.string(),
  bytes: z.number(),
  /** Migrations recorded in the file (cheap to read); null when the file cannot be opened. */
  migrations: z.number().nullable(),
  lastMigration: z.string().nullable(),
  /** The command that restores it, run on the server with Moat stopped. */
  restoreCommand: z.string(),
})
export type Backup = z.infer<typeof Backup>

/** What the launcher reports (HOST GET /v1/backups). */
export const BackupHostList = z.object({
  backups: z.array(Backup),
  backupsDir: z.string(),
  keysFile: z.string(),
  schedule: z.string(),
  nextDaily: z.string().nullable(),
  running: z.boolean(),
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }),
})

/** Retention of the daily backups: the newest `keep` stay. */
export const BackupKeep = z
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 365')
  .max(365, 'must be between 1 and 365')

export const BackupSettings = z.object({ enabled: z.boolean(), keep: BackupKeep })
export type BackupSettings = z.infer<typeof BackupSettings>

/** PATCH body: the shape (400 for wrong types or unknown keys); the range of `keep` answers 422. */
export const BackupSettingsInput = z
  .object({ enabled: z.boolean({ message: 'must be true or false' }).optional(), keep: z.number({ message: 'must be a number' }).optional() })
  .strict()
export type BackupSettingsInput = z.input<typeof BackupSettingsInput>

export const BackupList = BackupHostList.extend({
  settings: BackupSettings,
  /** general.timezone: the zone the UI shows times in. */
  timeZone: z.string(),
})
export type BackupList = z.infer<typeof BackupList>

export const BackupCheck = z.object({
  name: z.string(),
  ok: z.boolean(),
  problem: z.string().optional(),
  migrations: z.number(),
  lastMigration: z.string().nullable(),
  /** Migrations of this version the backup lacks: applied at the next start after a restore. */
  pendingMigrations: z.number(),
})
export type BackupCheck = z.infer<typeof BackupCheck>
