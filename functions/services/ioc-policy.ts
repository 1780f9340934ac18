import { criticalRefusal, sanityModeOf, type SanityMode } from '../domain/sanity-policy'
import { isTtlPreset, type TtlPreset } from '../domain/ttl'
import { cleanTtlByType, type TtlByType } from '../domain/ttl-policy'
import type { IocWarning } from '../domain/ioc'
import type { Db } from '../env'
import { ApiError } from '../lib/errors'
import { getSetting } from '../repos/settings'
import type { Actor } from './iocs'

/** The write-time policy settings every IOC write path reads: default lifetimes and the sanity mode. */
export interface IocPolicy {
  defaultTtl: TtlPreset
  ttlByType: TtlByType
  sanityMode: SanityMode
}

export async function getIocPolicy(db: Db): Promise<IocPolicy> {
  const [defaultTtl, byType, mode] = await Promise.all([
    getSetting(db, 'iocs.defaultTtl'),
    getSetting(db, 'iocs.ttlByType'),
    getSetting(db, 'iocs.sanityMode'),
  ])
  return { defaultTtl: isTtlPreset(defaultTtl) ? defaultTtl : '3m', ttlByType: cleanTtlByType(byType), sanityMode: sanityModeOf(mode) }
}

/** Refuses a single write (UI, API token) whose value is a critical sanity hit the actor may not confirm. */
export function assertNotCritical(warnings: IocWarning[], mode: SanityMode, actor: Pick<Actor, 'role'>, ioc: { type: string; value: string }) {
  const refusal = criticalRefusal(warnings, mode, actor.role)
  if (!refusal) return
  throw new ApiError(422, 'critical_blocked', `value: ${refusal.message}`, {
    fields: [{ field: 'value', reason: refusal.message, code: 'critical_blocked' }],
    check: refusal.part,
    mode,
    warnings,
    type: ioc.type,
    value: ioc.value,
  })
}
