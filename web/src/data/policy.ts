import { createResource } from 'solid-js'
import type { IocType } from '../../../functions/domain/ioc'
import { defaultTtlFor, TTL_TYPE_GROUPS, type TtlTypeGroup } from '../../../functions/domain/ttl-policy'
import * as api from '../api/client'
import { t, tryT } from '../i18n'

export type { SubmissionDefaults } from '../api/client'

/** What a submission gets when left out (lifetimes per type, sanity mode), for the submit and import forms. */
export function useSubmissionDefaults() {
  const [defaults] = createResource(async () => (await api.submissionDefaults()).settings)
  return defaults
}

export function ttlName(ttl: string): string {
  return tryT(`bulk.ttl.${ttl}`) ?? ttl
}

/** The lifetime a new IOC of this type gets when the submitter names none. */
export function defaultTtlOf(s: api.SubmissionDefaults, type: IocType): string {
  return defaultTtlFor(type, s.ttlByType, s.defaultTtl)
}

/** `IP 1 week, domain 3 months, …` for hints. */
export function ttlSummary(s: api.SubmissionDefaults): string {
  return TTL_TYPE_GROUPS.map((g: TtlTypeGroup) => `${t(`policy.groupShort.${g}`)} ${ttlName(s.ttlByType[g] ?? s.defaultTtl)}`).join(', ')
}

/**
 * A `critical_blocked` refusal (submit result, staged row) in the user's language: `forAll` when
 * the mode was block_all (a submission's details.mode; a staged row's English reason says it).
 */
export function blockedText(check: string | undefined, forAll: boolean, kind: 'body' | 'row'): string {
  const name = tryT(`iocWarnings.${check ?? ''}`) ?? t('iocWarnings.generic')
  if (kind === 'row') return t(forAll ? 'policy.blockedRowAll' : 'policy.blockedRow', { check: name })
  return t(forAll ? 'policy.blockedBodyAll' : 'policy.blockedBody', { check: name })
}
