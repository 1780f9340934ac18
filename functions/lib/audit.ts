import type { Context } from 'hono'
import type { AppEnv } from '../env'
import { addAudit } from '../repos/audit'

/** Audits a successful action by the signed-in user: actor, id and address come from the request. */
export function auditAction(c: Context<AppEnv>, action: string, target?: string | null, details?: Record<string, unknown>) {
  c.set('audited', true)
  return addAudit(c.var.db, {
    action,
    outcome: 'success',
    actor: c.var.user.username,
    actorId: c.var.user.id,
    sourceIp: c.var.clientIp,
    target: target ?? null,
    details: details ?? null,
  })
}
