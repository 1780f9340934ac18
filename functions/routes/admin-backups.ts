import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import {
  BackupCheck,
  BackupHostList,
  BackupKeep,
  BackupNameParam,
  BackupSettingsInput,
  type Backup,
  type BackupList,
  type BackupSettings,
} from '../../schema/contracts/backups'
import type { AppEnv, Db } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, fieldError } from '../lib/errors'
import { toFieldIssues, zv } from '../lib/validate'
import { getSetting, settingWrites } from '../repos/settings'

// The Backups tab (admin): the files in <data>/backups are on the launcher's side, so every route
// but the settings goes to HOST /v1/backups (bin/host-backups.ts). A file is named only by a
// `name` that matched the exact backup-name pattern (BackupNameParam, 400 otherwise); HOST checks
// it again and resolves it inside the backups folder only. Restore stays a command-line action
// (Moat must be stopped): the listing carries the exact `moat restore` command for each file.

function host(c: Context<AppEnv>): Fetcher {
  if (!c.env.HOST) throw new ApiError(503, 'host_unavailable', 'This deployment has no launcher that keeps backups (HOST binding)')
  return c.env.HOST
}

/** Passes a HOST error envelope through (its status and code); anything else is a 502. */
async function hostFailure(res: Response, what: string): Promise<ApiError> {
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined
  if (res.status >= 400 && res.status < 500 && body?.error?.code) return new ApiError(res.status as ContentfulStatusCode, body.error.code, body.error.message ?? what, body.error.details)
  return new ApiError(502, 'host_failed', `The launcher could not ${what}`)
}

async function backupSettings(db: Db): Promise<BackupSettings> {
  return { enabled: Boolean(await getSetting(db, 'backup.enabled')), keep: Number(await getSetting(db, 'backup.keep')) }
}

async function view(c: Context<AppEnv>): Promise<BackupList> {
  const res = await host(c).fetch('http://host/v1/backups')
  if (!res.ok) throw await hostFailure(res, 'list the backups')
  const listed = BackupHostList.parse(await res.json())
  const s = await backupSettings(c.var.db)
  return {
    ...listed,
    // The launcher runs the daily job whatever the setting; the job itself checks backup.enabled.
    nextDaily: s.enabled ? listed.nextDaily : null,
    settings: s,
    timeZone: await getSetting(c.var.db, 'general.timezone'),
  }
}

const fileUrl = (path: string, name: string) => `http://host/v1/backups/${path}?name=${encodeURIComponent(name)}`

export const adminBackupRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/', async (c) => c.json(await view(c)))
  .patch('/settings', zv('json', BackupSettingsInput), async (c) => {
    const db = c.var.db
    const input = c.req.valid('json')
    if (input.keep !== undefined) {
      const keep = BackupKeep.safeParse(input.keep)
      if (!keep.success) {
        const issue = toFieldIssues(keep.error)[0]
        throw fieldError(422, 'keep', issue.reason, issue.code)
      }
    }
    const before = await backupSettings(db)
    const next: BackupSettings = { enabled: input.enabled ?? before.enabled, keep: input.keep ?? before.keep }
    const keys = { enabled: 'backup.enabled', keep: 'backup.keep' } as const
    const changed = (Object.keys(keys) as (keyof BackupSettings)[]).filter((k) => next[k] !== before[k])
    if (changed.length) {
      await db.batch(settingWrites(db, Object.fromEntries(changed.map((k) => [keys[k], next[k]])), c.var.user.username) as never)
      const details: Record<string, unknown> = { fields: changed }
      for (const k of changed) details[k] = { from: before[k], to: next[k] }
      await auditAction(c, 'settings.change', 'backup', details)
    }
    return c.json(await view(c))
  })
  .post('/', async (c) => {
    const res = await host(c).fetch('http://host/v1/backups', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actor: c.var.user.username }),
    })
    if (res.status !== 201) throw await hostFailure(res, 'write the backup')
    const { backup } = (await res.json()) as { backup: Backup }
    await auditAction(c, 'backup.create', backup.name, { kind: 'manual', bytes: backup.bytes })
    return c.json({ backup }, 201)
  })
  .get('/:name/download', zv('param', BackupNameParam), async (c) => {
    const { name } = c.req.valid('param')
    const res = await host(c).fetch(fileUrl('file', name))
    if (!res.ok) throw await hostFailure(res, 'read the backup')
    await auditAction(c, 'backup.download', name, { bytes: Number(res.headers.get('content-length')) || undefined })
    return new Response(res.body, {
      headers: {
        'content-type': 'application/vnd.sqlite3',
        ...(res.headers.get('content-length') ? { 'content-length': res.headers.get('content-length')! } : {}),
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    })
  })
  .get('/:name/check', zv('param', BackupNameParam), async (c) => {
    const { name } = c.req.valid('param')
    const res = await host(c).fetch(fileUrl('check', name))
    if (!res.ok) throw await hostFailure(res, 'check the backup')
    return c.json(BackupCheck.parse(await res.json()))
  })
  .delete('/:name', zv('param', BackupNameParam), async (c) => {
    const { name } = c.req.valid('param')
    const res = await host(c).fetch(fileUrl('file', name), { method: 'DELETE' })
    if (res.status !== 204) throw await hostFailure(res, 'delete the backup')
    await auditAction(c, 'backup.delete', name)
    return c.body(null, 204)
  })
