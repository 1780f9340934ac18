import { sql } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import { MispPullInput, MispRunsQuery, MispSettingsInput, MispTestInput, type MispConfig, type MispState } from '../../schema/contracts/misp'
import { nextPullAt } from '../../scheduled/misp'
import type { AppEnv, Db } from '../env'
import { auditAction } from '../lib/audit'
import { runBatch } from '../lib/d1-batch'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, fieldError } from '../lib/errors'
import { MispError, mispVersion } from '../lib/misp-client'
import { zv } from '../lib/validate'
import { addAudit } from '../repos/audit'
import { getMispConfig, getMispState, listRuns, saveMispConfigStatement } from '../repos/misp'
import { readSecretSetting, secretStatus, writeSecretSetting } from '../repos/secret-settings'
import { runMispPull } from '../services/misp-pull'

async function stateView(db: Db, config: MispConfig): Promise<MispState> {
  const s = await getMispState(db)
  const now = Date.now()
  const next = config.enabled ? (nextPullAt(s.lastAttemptAt, config.intervalMinutes) ?? new Date(now)) : null
  return {
    cursor: s.cursor,
    running: !!s.leaseUntil && Date.parse(s.leaseUntil) > now,
    lastAttemptAt: s.lastAttemptAt,
    lastSuccessAt: s.lastSuccessAt,
    lastStatus: s.lastStatus,
    lastError: s.lastError,
    lastReconcileAt: s.lastReconcileAt,
    nextDueAt: next ? next.toISOString() : null,
  }
}

async function settingsView(db: Db) {
  const config = await getMispConfig(db)
  return { settings: { ...config, apiKey: await secretStatus(db, 'misp.apiKey') }, state: await stateView(db, config) }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The connection to test: the saved settings with the form's unsaved values over them. */
async function testConnection(c: Context<AppEnv>, input: MispTestInput) {
  const saved = await getMispConfig(c.var.db)
  const url = input.url ?? saved.url
  if (!url) throw fieldError(400, 'url', 'is required (no MISP URL is configured)', 'required')
  const apiKey = input.apiKey || (await readSecretSetting(c.var.db, c.env.SECRETS_KEY, 'misp.apiKey'))
  if (!apiKey) throw fieldError(400, 'apiKey', 'is required (no MISP API key is saved)', 'required')
  const verifyTls = input.verifyTls ?? saved.verifyTls
  const caPem = input.caPem ?? saved.caPem
  const timeoutMs = (input.timeoutSeconds ?? saved.timeoutSeconds) * 1000
  return { url, apiKey, verifyTls, caPem, timeoutMs }
}

export const mispRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/settings', async (c) => c.json(await settingsView(c.var.db)))
  .patch('/settings', zv('json', MispSettingsInput), async (c) => {
    const db = c.var.db
    const { apiKey, ...input } = c.req.valid('json')
    const current = await getMispConfig(db)
    const next: MispConfig = { ...current, ...input }
    if (next.enabled && !next.url) throw fieldError(400, 'url', 'is required to enable the pull', 'required')
    const keySet = apiKey !== undefined ? apiKey !== '' : (await secretStatus(db, 'misp.apiKey')).set
    if (next.enabled && !keySet) throw fieldError(400, 'apiKey', 'is required to enable the pull', 'required')
    const both = next.tagsInclude.filter((t) => next.tagsExclude.some((x) => x.toLowerCase() === t.toLowerCase()))
    if (both.length) throw fieldError(400, 'tagsExclude', `lists ${both[0]}, which tags to include also lists`, 'conflict')
    const changed = (Object.keys(input) as (keyof MispConfig)[]).filter((k) => !same(current[k], next[k]))
    // The cursor is a point on one MISP server's clock: another server starts from its window.
    const newServer = changed.includes('url')
    if (apiKey !== undefined) await writeSecretSetting(db, c.env.SECRETS_KEY, 'misp.apiKey', apiKey, c.var.user.username)
    await runBatch(db, [
      saveMispConfigStatement(db, next, c.var.user.username),
      ...(newServer ? [sql`UPDATE misp_sync_state SET cursor = NULL WHERE id = 1`] : []),
    ])
    // Never the key itself: only that it was set or removed.
    const details: Record<string, unknown> = { fields: changed }
    for (const k of changed) details[k] = k === 'caPem' ? (next.caPem ? 'set' : 'cleared') : next[k]
    if (apiKey !== undefined) details.apiKey = apiKey ? 'set' : 'cleared'
    if (newServer) details.cursorReset = true
    if (changed.length || apiKey !== undefined) await auditAction(c, 'settings.change', 'misp', details)
    return c.json(await settingsView(db))
  })
  .post('/test', zv('json', MispTestInput), async (c) => {
    const conn = await testConnection(c, c.req.valid('json'))
    const started = Date.now()
    const audit = (outcome: 'success' | 'failure', details: Record<string, unknown>) => {
      c.set('audited', true)
      return addAudit(c.var.db, { action: 'misp.test', outcome, actor: c.var.user.username, actorId: c.var.user.id, sourceIp: c.var.clientIp, target: conn.url, details })
    }
    try {
      const version = await mispVersion(c.env, conn)
      const ms = Date.now() - started
      await audit('success', { version, ms, verifyTls: conn.verifyTls, customCa: !!conn.caPem })
      return c.json({ ok: true as const, version, url: conn.url, ms })
    } catch (err) {
      if (!(err instanceof MispError)) throw err
      await audit('failure', { reason: err.code, status: err.status ?? null, error: err.message })
      const status = err.code === 'no_host' ? 503 : 502
      throw new ApiError(status, 'misp_test_failed', err.message, { reason: err.code, status: err.status ?? null, url: conn.url })
    }
  })
  .post('/pull', zv('json', MispPullInput), async (c) => {
    const { full, reconcile } = c.req.valid('json')
    c.set('audited', true)
    const run = await runMispPull(c.var.db, c.env, {
      trigger: 'manual',
      actor: { id: c.var.user.id, username: c.var.user.username, ip: c.var.clientIp },
      full,
      reconcile,
      now: new Date(),
    })
    return c.json({ run })
  })
  .get('/runs', zv('query', MispRunsQuery), async (c) => c.json({ items: await listRuns(c.var.db, c.req.valid('query').limit) }))
