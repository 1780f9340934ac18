import { Hono, type Context } from 'hono'
import { AuditFilter, AuditQuery, AuditSettingsInput, SyslogTestInput } from '../../schema/contracts/audit'
import { auditToCef } from '../domain/cef'
import { csvRow } from '../domain/csv'
import { syslogFrame, type Facility } from '../domain/syslog'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { toShipRecord } from '../lib/audit-ship'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, fieldError, notFound } from '../lib/errors'
import { IdParam, zv } from '../lib/validate'
import { addAudit, getAudit, lastAuditId, listAudit } from '../repos/audit'
import { getSetting, settingWrites } from '../repos/settings'

/** A CSV export stops here; narrow the filters for more. */
export const EXPORT_MAX_ROWS = 100_000

const SETTING_KEYS = {
  syslogEnabled: 'syslog.enabled',
  syslogHost: 'syslog.host',
  syslogPort: 'syslog.port',
  syslogFacility: 'syslog.facility',
  retentionDays: 'audit.retentionDays',
} as const

async function currentSettings(db: AppEnv['Variables']['db']) {
  const delivery = await getSetting(db, 'audit.delivery')
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  return {
    syslogEnabled: await getSetting(db, 'syslog.enabled'),
    syslogHost: await getSetting(db, 'syslog.host'),
    syslogPort: await getSetting(db, 'syslog.port'),
    syslogFacility: (await getSetting(db, 'syslog.facility')) as Facility,
    retentionDays: await getSetting(db, 'audit.retentionDays'),
    delivery: {
      lastAuditId: await lastAuditId(db),
      fileShippedId: await getSetting(db, 'audit.cursor.file'),
      syslogShippedId: await getSetting(db, 'audit.cursor.syslog'),
      lastShippedAt: str(delivery.lastShippedAt),
      lastError: str(delivery.lastError),
      lastErrorAt: str(delivery.lastErrorAt),
      syslogError: str(delivery.syslogError),
      syslogErrorAt: str(delivery.syslogErrorAt),
    },
  }
}

/** The syslog frame a record is shipped as, with this host's name left for the launcher to fill. */
function previewFrame(c: Context<AppEnv>, record: Parameters<typeof auditToCef>[0], facility: Facility) {
  const ship = toShipRecord(record, c.env.MOAT_VERSION ?? 'dev')
  return syslogFrame({ facility, severity: ship.severity, timestamp: ship.at, hostname: '', appName: 'moat', procId: '', msgId: ship.msgId, msg: ship.cef })
}

const CSV_HEADER = ['id', 'at', 'action', 'outcome', 'severity', 'actor', 'actor_id', 'source_ip', 'target', 'details']

export const audit = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/', zv('query', AuditQuery), async (c) => {
    const q = c.req.valid('query')
    const items = await listAudit(c.var.db, q)
    const nextCursor = items.length === q.limit ? String(items[items.length - 1].id) : null
    return c.json({ items, nextCursor })
  })
  .get('/export.csv', zv('query', AuditFilter), async (c) => {
    const q = c.req.valid('query')
    const db = c.var.db
    await auditAction(c, 'audit.export', null, { ...q })
    const encoder = new TextEncoder()
    // Keyset pages of 1000 straight into the response: memory stays flat for any size.
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(csvRow(CSV_HEADER)))
        let cursor: number | undefined
        let sent = 0
        while (sent < EXPORT_MAX_ROWS) {
          const page = await listAudit(db, { ...q, cursor, limit: Math.min(1000, EXPORT_MAX_ROWS - sent) })
          if (!page.length) break
          const text = page
            .map((r) => csvRow([r.id, r.at, r.action, r.outcome, r.severity, r.actor, r.actorId, r.sourceIp, r.target, r.details === null ? '' : JSON.stringify(r.details)], true))
            .join('')
          controller.enqueue(encoder.encode(text))
          sent += page.length
          cursor = page[page.length - 1].id
        }
        controller.close()
      },
    })
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="moat-audit-${stamp}.csv"`,
    })
  })
  .get('/settings', async (c) => c.json({ settings: await currentSettings(c.var.db) }))
  .patch('/settings', zv('json', AuditSettingsInput), async (c) => {
    const input = c.req.valid('json')
    const db = c.var.db
    const enabled = input.syslogEnabled ?? (await getSetting(db, 'syslog.enabled'))
    const host = input.syslogHost ?? (await getSetting(db, 'syslog.host'))
    if (enabled && !host) throw fieldError(400, 'syslogHost', 'is required when syslog is enabled', 'required')
    const stmts = settingWrites(db, Object.fromEntries(Object.entries(input).map(([k, v]) => [SETTING_KEYS[k as keyof typeof SETTING_KEYS], v])), c.var.user.username)
    if (stmts.length) await db.batch(stmts as never)
    await auditAction(c, 'settings.change', 'audit', input)
    return c.json({ settings: await currentSettings(db) })
  })
  .post('/syslog/test', zv('json', SyslogTestInput), async (c) => {
    const input = c.req.valid('json')
    const db = c.var.db
    const target = {
      host: input.host ?? (await getSetting(db, 'syslog.host')),
      port: input.port ?? (await getSetting(db, 'syslog.port')),
      facility: (input.facility ?? (await getSetting(db, 'syslog.facility'))) as Facility,
    }
    if (!target.host) throw fieldError(400, 'host', 'is required (no syslog host is configured)', 'required')
    if (!c.env.HOST) throw new ApiError(503, 'host_unavailable', 'This deployment has no launcher to send syslog from')
    const record = {
      id: 0,
      at: new Date().toISOString(),
      action: 'syslog.test',
      outcome: 'success' as const,
      severity: 3,
      actor: c.var.user.username,
      actorId: c.var.user.id,
      sourceIp: c.var.clientIp,
      target: `${target.host}:${target.port}`,
      details: { message: 'Moat syslog test message' },
    }
    const res = await c.env.HOST.fetch('http://host/v1/audit/test', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target, record: toShipRecord(record, c.env.MOAT_VERSION ?? 'dev') }),
    })
    const reply = (await res.json()) as { ok: boolean; error?: string }
    const outcome = reply.ok ? 'success' : 'failure'
    await addAudit(db, { action: 'syslog.test', outcome, actor: c.var.user.username, actorId: c.var.user.id, sourceIp: c.var.clientIp, target: record.target, details: reply.error ? { error: reply.error } : null })
    if (!reply.ok) throw new ApiError(502, 'syslog_unreachable', `Could not send to ${record.target}: ${reply.error}`, { target: record.target })
    return c.json({ ok: true, target: record.target })
  })
  .get('/:id', zv('param', IdParam), async (c) => {
    const record = await getAudit(c.var.db, c.req.valid('param').id)
    if (!record) throw notFound('Audit record')
    const facility = (await getSetting(c.var.db, 'syslog.facility')) as Facility
    return c.json({ record, cef: auditToCef(record, { version: c.env.MOAT_VERSION ?? 'dev' }), syslog: previewFrame(c, record, facility) })
  })
