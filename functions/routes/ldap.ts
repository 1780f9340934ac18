import { Hono, type Context } from 'hono'
import { LdapSettingsInput, LdapTestInput, type LdapConfig, type LdapSettingsView } from '../../schema/contracts/ldap'
import type { AppEnv, Db } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, fieldError } from '../lib/errors'
import { connectionFor, ldapTest, LdapUnavailable } from '../lib/ldap-client'
import { zv } from '../lib/validate'
import { addAudit } from '../repos/audit'
import { getLdapConfig, saveLdapConfig } from '../repos/ldap'
import { secretStatus, writeSecretSetting } from '../repos/secret-settings'

// LDAP / Active Directory settings and "test connection" (admin only). The bind password is
// write-only: answers say whether it is set, never any part of it (not even a masked tail).

async function settingsView(db: Db): Promise<LdapSettingsView> {
  const { set, updatedAt, updatedBy } = await secretStatus(db, 'ldap.bindPassword')
  return { settings: { ...(await getLdapConfig(db)), bindPassword: { set, updatedAt, updatedBy } } }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** What must hold before the directory may sign anyone in. */
function checkUsable(next: LdapConfig, passwordSet: boolean) {
  const on = next.mode !== 'local'
  if (next.startTls && next.url.startsWith('ldaps:')) throw fieldError(400, 'startTls', 'is for ldap:// addresses; ldaps:// is already encrypted', 'starttls_with_ldaps')
  if (!on) return
  if (!next.url) throw fieldError(400, 'url', 'is required to sign in through the directory', 'required')
  if (!next.searchBase) throw fieldError(400, 'searchBase', 'is required to sign in through the directory', 'required')
  if (!next.groups.length) throw fieldError(400, 'groups', 'needs at least one group mapping: users in no mapped group are refused', 'required')
  if (next.bindDn && !passwordSet) throw fieldError(400, 'bindPassword', 'is required with a bind DN', 'required')
}

async function testConnection(c: Context<AppEnv>, input: LdapTestInput) {
  const db = c.var.db
  const saved = await getLdapConfig(db)
  const merged: LdapConfig = {
    ...saved,
    ...Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k in saved)),
  } as LdapConfig
  if (!merged.url) throw fieldError(400, 'url', 'is required (no directory address is configured)', 'required')
  if (!merged.searchBase) throw fieldError(400, 'searchBase', 'is required (no search base is configured)', 'required')
  if (merged.startTls && merged.url.startsWith('ldaps:')) throw fieldError(400, 'startTls', 'is for ldap:// addresses; ldaps:// is already encrypted', 'starttls_with_ldaps')
  const conn = await connectionFor(db, c.env, merged)
  // A bind password typed in the form is tried without saving it.
  if (input.bindPassword) conn.bindPassword = input.bindPassword
  return { conn, merged }
}

export const ldapRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/settings', async (c) => c.json(await settingsView(c.var.db)))
  .patch('/settings', zv('json', LdapSettingsInput), async (c) => {
    const db = c.var.db
    const { bindPassword, ...input } = c.req.valid('json')
    const current = await getLdapConfig(db)
    const next: LdapConfig = { ...current, ...input } as LdapConfig
    const passwordSet = bindPassword !== undefined ? bindPassword !== '' : (await secretStatus(db, 'ldap.bindPassword')).set
    checkUsable(next, passwordSet)
    const changed = (Object.keys(input) as (keyof LdapConfig)[]).filter((k) => !same(current[k], next[k]))
    if (bindPassword !== undefined) await writeSecretSetting(db, c.env.SECRETS_KEY, 'ldap.bindPassword', bindPassword, c.var.user.username)
    await saveLdapConfig(db, next, c.var.user.username)
    // Never the password itself: only that it was set or removed.
    const details: Record<string, unknown> = { fields: changed }
    for (const k of changed) details[k] = k === 'caPem' ? (next.caPem ? 'set' : 'cleared') : next[k]
    if (bindPassword !== undefined) details.bindPassword = bindPassword ? 'set' : 'cleared'
    if (changed.length || bindPassword !== undefined) await auditAction(c, 'settings.change', 'ldap', details)
    return c.json(await settingsView(db))
  })
  .post('/test', zv('json', LdapTestInput), async (c) => {
    const input = c.req.valid('json')
    const { conn, merged } = await testConnection(c, input)
    const audit = (outcome: 'success' | 'failure', details: Record<string, unknown>) => {
      c.set('audited', true)
      return addAudit(c.var.db, { action: 'ldap.test', outcome, severity: outcome === 'success' ? 3 : 5, actor: c.var.user.username, actorId: c.var.user.id, sourceIp: c.var.clientIp, target: merged.url, details })
    }
    try {
      const result = await ldapTest(c.env, conn, merged, input.username, input.password)
      const failed = result.steps.find((s) => !s.ok)
      await audit(result.ok ? 'success' : 'failure', { username: input.username, dn: result.dn, role: result.role, ...(failed ? { step: failed.step, error: failed.message } : {}) })
      return c.json(result)
    } catch (err) {
      if (!(err instanceof LdapUnavailable)) throw err
      await audit('failure', { error: err.message })
      throw new ApiError(503, 'ldap_test_failed', err.message)
    }
  })
