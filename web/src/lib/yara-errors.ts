import { ApiFailure, type YaraDiagnostic } from '../api/client'
import { tryT } from '../i18n'
import { errorMessage, formErrors, type FormErrors } from '../i18n/errors'
import { isolate } from '../i18n/format'

/** A failure of a YARA call in the user's language (the codes of the YARA routes first). */
export function yaraErrorMessage(err: unknown): string {
  if (err instanceof ApiFailure) {
    const details = (err.details ?? {}) as { errors?: YaraDiagnostic[]; filename?: string; rule?: string; status?: string }
    if (err.code === 'yara_compile_failed' && details.errors?.length) {
      const first = details.errors[0]
      return (
        tryT('yara.errors.yara_compile_failed', { n: details.errors.length, line: first.line ?? '?' }) ?? err.message
      )
    }
    const params: Record<string, string | number> = {}
    for (const key of ['filename', 'rule'] as const) if (details[key]) params[key] = isolate(String(details[key]))
    if (details.status) params.status = tryT(`yara.statuses.${details.status}`) ?? details.status
    const code = err.code === 'bundle_conflict' && !details.rule ? 'bundle_conflict_compile' : err.code
    const own = tryT(`yara.errors.${code}`, params)
    if (own) return own
  }
  return errorMessage(err)
}

/** formErrors with the YARA field codes (file name, reviewers) translated too. */
export function yaraFormErrors(err: unknown, shown: readonly string[]): FormErrors {
  const base = formErrors(err, shown)
  if (!(err instanceof ApiFailure)) return base
  for (const issue of err.fields) {
    const own = tryT(`yara.validation.${issue.code}`)
    if (own && shown.includes(issue.field)) base.fields[issue.field] = own
  }
  const yaraCode = tryT(`yara.errors.${err.code}`) !== undefined || err.code === 'yara_compile_failed'
  return yaraCode ? { ...base, form: yaraErrorMessage(err) } : base
}
