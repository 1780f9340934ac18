import { Hono } from 'hono'
import { DefaultSettingsInput, type DefaultSettings, type SubmissionDefaults } from '../../schema/contracts/settings'
import type { AppEnv, Db } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { zv } from '../lib/validate'
import { getSetting, settingWrites, type SettingKey } from '../repos/settings'
import { getIocPolicy } from '../services/ioc-policy'

// General defaults of the Settings screen (admin). Each field is one row of `settings`.

const KEYS = {
  defaultTtl: 'iocs.defaultTtl',
  ttlByType: 'iocs.ttlByType',
  sanityMode: 'iocs.sanityMode',
  defaultConfidence: 'iocs.defaultConfidence',
  defaultSeverity: 'iocs.defaultSeverity',
  timezone: 'general.timezone',
} as const satisfies Record<keyof DefaultSettings, SettingKey>

async function view(db: Db): Promise<{ settings: DefaultSettings }> {
  const policy = await getIocPolicy(db)
  return {
    settings: {
      defaultTtl: policy.defaultTtl,
      ttlByType: policy.ttlByType,
      sanityMode: policy.sanityMode,
      defaultConfidence: await getSetting(db, KEYS.defaultConfidence),
      defaultSeverity: (await getSetting(db, KEYS.defaultSeverity)) as DefaultSettings['defaultSeverity'],
      timezone: await getSetting(db, KEYS.timezone),
    },
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export const settingsRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  // Any signed-in user: the submit and import forms show the lifetime and sanity rule that will apply.
  .get('/submission', async (c) => {
    const { settings: s } = await view(c.var.db)
    const body: { settings: SubmissionDefaults } = {
      settings: { defaultTtl: s.defaultTtl, ttlByType: s.ttlByType, sanityMode: s.sanityMode, defaultConfidence: s.defaultConfidence, defaultSeverity: s.defaultSeverity },
    }
    return c.json(body)
  })
  .use('/defaults', requireRole('admin'))
  .get('/defaults', async (c) => c.json(await view(c.var.db)))
  .patch('/defaults', zv('json', DefaultSettingsInput), async (c) => {
    const db = c.var.db
    const input = c.req.valid('json')
    const before = (await view(db)).settings
    const changed = (Object.keys(input) as (keyof DefaultSettings)[]).filter((k) => !same(input[k], before[k]))
    if (changed.length) {
      await db.batch(settingWrites(db, Object.fromEntries(changed.map((k) => [KEYS[k], input[k]])), c.var.user.username) as never)
      const details: Record<string, unknown> = { fields: changed }
      for (const k of changed) details[k] = { from: before[k], to: input[k] }
      await auditAction(c, 'settings.change', 'defaults', details)
    }
    return c.json(await view(db))
  })
