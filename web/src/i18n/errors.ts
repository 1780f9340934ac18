import type { FieldIssue } from '../../../schema/contracts/common'
import { ApiFailure } from '../api/client'
import { formatBytes, formatDuration, isolate } from './format'
import { t, tryT } from './index'
import { IOC_ERROR_CODES, iocErrorText } from './ioc'

/** The last path segment that is a name (`tags.3` -> `tags`). */
function leafOf(field: string): string {
  const names = field.split('.').filter((part) => !/^\d+$/.test(part))
  return names.pop() ?? field
}

/** One field problem in the user's language; falls back to the server's English reason. */
export function fieldMessage(issue: FieldIssue): string {
  const params: Record<string, string | number> = { ...issue.params }
  let code = issue.code
  // `min(1)` is how the contracts say "required".
  if (code === 'too_small' && Number(params.minimum) === 1) code = 'required'
  if (IOC_ERROR_CODES.has(code)) return iocErrorText({ code, message: issue.reason })
  params.reason = isolate(issue.reason)
  const leaf = leafOf(issue.field)
  return (
    tryT(`validation.${leaf}.${code}`, params) ??
    tryT(`validation.${code}`, params) ??
    issue.reason ??
    t('errors.generic')
  )
}

export function fieldLabel(field: string): string {
  return tryT(`fields.${field}`) ?? tryT(`fields.${leafOf(field)}`) ?? field
}

/** The sentence for a whole failure (top-level code), in the user's language. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiFailure)) return t('errors.generic')
  const wait = err.retryAfter
  switch (err.code) {
    case 'too_many_attempts':
      return t('errors.too_many_attempts', { wait: formatDuration(wait ?? 60) })
    case 'account_locked':
      return wait
        ? t('errors.account_locked', { wait: formatDuration(wait) })
        : t('errors.account_locked_now')
    case 'payload_too_large': {
      const max = (err.details as { maxBytes?: unknown } | undefined)?.maxBytes
      return typeof max === 'number'
        ? t('errors.payload_too_large', { max: isolate(formatBytes(max)) })
        : t('errors.payload_too_large_plain')
    }
    case 'invalid_ioc': {
      const [first] = err.fields
      const part = (err.details as { part?: unknown } | undefined)?.part
      if (first) {
        return iocErrorText({
          code: first.code,
          message: first.reason,
          part: typeof part === 'string' ? part : undefined,
        })
      }
      return t('errors.invalid_ioc')
    }
    case 'invalid_warninglist':
      return err.message
        ? t('errors.invalid_warninglist_detail', { reason: isolate(err.message) })
        : t('errors.invalid_warninglist')
    case 'validation_failed': {
      const [first, ...rest] = err.fields
      if (first && rest.length === 0) {
        return t('validation.withField', {
          field: fieldLabel(first.field),
          message: fieldMessage(first),
        })
      }
      return t('errors.validation_failed')
    }
  }
  const requestId = (err.details as { requestId?: unknown } | undefined)?.requestId
  if (err.code === 'internal' && typeof requestId === 'string') {
    return t('errors.internal_ref', { id: isolate(requestId) })
  }
  const known = tryT(`errors.${err.code}`)
  if (known) return known
  if (err.status >= 500) return t('errors.internal')
  return err.message || t('errors.generic')
}

export interface FormErrors {
  /** Shown in the form's alert area; undefined when every problem sits next to its field. */
  form?: string
  fields: Record<string, string>
}

/**
 * Splits a failure between the fields the form shows (`shown`) and the form-level alert, so each
 * message appears once and nothing the server said is lost.
 */
export function formErrors(err: unknown, shown: readonly string[]): FormErrors {
  const fields: Record<string, string> = {}
  const stray: FieldIssue[] = []
  const issues = err instanceof ApiFailure ? err.fields : []
  for (const issue of issues) {
    if (!shown.includes(issue.field)) stray.push(issue)
    else fields[issue.field] ??= fieldMessage(issue)
  }
  if (issues.length === 0) return { form: errorMessage(err), fields }
  if (stray.length === 0) {
    // The details sit next to the fields; the alert (announced by screen readers) sums them up.
    const generic = (err as ApiFailure).code === 'validation_failed'
    return { form: generic ? t('errors.validation_failed') : errorMessage(err), fields }
  }
  const form = stray
    .map((issue) =>
      t('validation.withField', { field: fieldLabel(issue.field), message: fieldMessage(issue) }),
    )
    .join(' ')
  return { form, fields }
}
