// Removals (specs/misp.md section 7): every linked attribute whose indicator is a live IOC of the
// `misp` user is asked for again by uuid. Gone (deleted, unpublished, no longer shared), deleted,
// no longer to_ids (when the pull requires it), or now naming another value: the link is withdrawn.
// An IOC whose every link is withdrawn expires now, with reason misp_withdrawn, in one transaction.
import { sql } from 'drizzle-orm'
import type { MispConfig } from '../../schema/contracts/misp'
import { candidatesOf, parseCandidate, reconcileBody, type MispAttribute } from '../domain/misp'
import { MISP_MAPPED_TYPES } from '../domain/misp-types'
import type { Bindings, Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { restSearchPages, type MispConnection } from '../lib/misp-client'
import { bumpGeneration } from '../repos/generation'
import { linksToReconcile } from '../repos/misp'

/** uuids per restSearch request: small bodies, one page each. */
export const RECONCILE_CHUNK = 500
const ALL_TYPES = new Set<string>(MISP_MAPPED_TYPES)

export type WithdrawReason = 'gone' | 'deleted' | 'not_to_ids' | 'value_changed'

/** Why a link no longer stands, or null when MISP still says the same. */
export function withdrawReason(link: { iocType: string; iocValue: string }, a: MispAttribute | undefined, requireToIds: boolean): WithdrawReason | null {
  if (!a) return 'gone'
  if (a.deleted) return 'deleted'
  if (requireToIds && !a.toIds) return 'not_to_ids'
  const offered = candidatesOf(a, { allowed: ALL_TYPES, domainIpBoth: true, requireToIds: false })
  if ('skip' in offered) return 'value_changed'
  const still = offered.items.some((c) => {
    const p = parseCandidate(c)
    return p.ok && p.type === link.iocType && p.value === link.iocValue
  })
  return still ? null : 'value_changed'
}

export async function reconcileLinks(
  db: Db,
  env: Bindings,
  conn: MispConnection,
  config: MispConfig,
  ctx: { mispUserId: number; runId: number; now: Date; actor: { id: number | null; username: string; ip: string | null }; renew: () => Promise<void> },
) {
  const links = await linksToReconcile(db, ctx.mispUserId)
  const uuids = [...new Set(links.map((l) => l.uuid))]
  const found = new Map<string, MispAttribute>()
  for (let i = 0; i < uuids.length; i += RECONCILE_CHUNK) {
    const chunk = uuids.slice(i, i + RECONCILE_CHUNK)
    const { attributes } = await restSearchPages(env, conn, (page) => reconcileBody(config, chunk, page, RECONCILE_CHUNK), RECONCILE_CHUNK)
    for (const a of attributes) found.set(a.uuid, a)
    await ctx.renew()
  }
  const withdrawn: [string, string, string, WithdrawReason][] = []
  for (const l of links) {
    const why = withdrawReason(l, found.get(l.uuid), config.toIds)
    if (why) withdrawn.push([l.uuid, l.iocType, l.iocValue, why])
  }
  if (!withdrawn.length) return { checked: uuids.length, withdrawn: 0, expired: 0 }
  const nowIso = ctx.now.toISOString()
  const chunks: string[] = []
  for (let i = 0; i < withdrawn.length; i += 2000) chunks.push(JSON.stringify(withdrawn.slice(i, i + 2000)))
  const doomed = sql`i.deleted_at IS NULL AND i.created_by = ${ctx.mispUserId} AND (i.expires_at IS NULL OR i.expires_at > ${nowIso})
    AND i.id IN (SELECT i2.id FROM misp_attributes a JOIN iocs i2 ON i2.type = a.ioc_type AND i2.value = a.ioc_value AND i2.deleted_at IS NULL
                 WHERE a.withdrawn_run = ${ctx.runId})
    AND NOT EXISTS (SELECT 1 FROM misp_attributes a WHERE a.ioc_type = i.type AND a.ioc_value = i.value AND a.withdrawn_at IS NULL)`
  const statements = [
    ...chunks.map(
      (json) => sql`UPDATE misp_attributes SET withdrawn_at = ${nowIso}, withdrawn_reason = json_extract(w.value, '$[3]'), withdrawn_run = ${ctx.runId}
        FROM json_each(${json}) AS w
        WHERE misp_attributes.uuid = json_extract(w.value, '$[0]') AND misp_attributes.ioc_type = json_extract(w.value, '$[1]')
          AND misp_attributes.ioc_value = json_extract(w.value, '$[2]') AND misp_attributes.withdrawn_at IS NULL`,
    ),
    sql`INSERT INTO ioc_history (ioc_id, type, value, event, actor_id, actor, at, diff)
      SELECT i.id, i.type, i.value, 'expired', ${ctx.mispUserId}, 'misp', ${nowIso},
        json_object('reason', 'misp_withdrawn', 'expiresAt', json_array(i.expires_at, ${nowIso}),
          'attributes', (SELECT json_group_array(json_object('uuid', a.uuid, 'reason', a.withdrawn_reason)) FROM misp_attributes a
                         WHERE a.ioc_type = i.type AND a.ioc_value = i.value AND a.withdrawn_run = ${ctx.runId}))
      FROM iocs i WHERE ${doomed}`,
  ]
  statements.push(
    sql`UPDATE iocs AS i SET expires_at = ${nowIso}, expiry_logged = 1, updated_at = ${nowIso}, updated_by = ${ctx.mispUserId} WHERE ${doomed}`,
    bumpGeneration(db) as never,
    sql`INSERT INTO audit_log (action, outcome, actor, actor_id, source_ip, target, details)
      VALUES ('misp.reconcile', 'success', ${ctx.actor.username}, ${ctx.actor.id}, ${ctx.actor.ip}, 'misp',
        json_object('run', ${ctx.runId}, 'checked', ${uuids.length}, 'withdrawn', ${withdrawn.length},
          'expired', (SELECT count(*) FROM ioc_history WHERE event = 'expired' AND at = ${nowIso} AND json_extract(diff, '$.reason') = 'misp_withdrawn')))`,
  )
  // Counted by a query in the same transaction: D1's change counts include the writes of the
  // roll-up triggers on iocs and ioc_history (stats, Champs, Feed Pulse).
  const counted = statements.length
  statements.push(
    sql`SELECT count(*) AS n FROM ioc_history WHERE event = 'expired' AND at = ${nowIso} AND actor_id = ${ctx.mispUserId}
      AND json_extract(diff, '$.reason') = 'misp_withdrawn'`,
  )
  const results = await runBatch(db, statements)
  const expired = (results[counted].results[0] as { n: number } | undefined)?.n ?? 0
  return { checked: uuids.length, withdrawn: withdrawn.length, expired }
}
