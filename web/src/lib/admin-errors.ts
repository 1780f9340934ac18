import { ApiFailure } from '../api/client'
import { tryT } from '../i18n'
import { errorMessage, formErrors, type FormErrors } from '../i18n/errors'

type Section = 'users' | 'tokens' | 'audit'

/** The sentence for a failure of an admin action: the admin wording for its code, else the usual one. */
export function adminErrorMessage(err: unknown): string {
  return (err instanceof ApiFailure && tryT(`users.errors.${err.code}`)) || errorMessage(err)
}

/**
 * formErrors, with the admin screens' own wording: `<section>.fieldErrors.<field>.<code>` (or
 * `.any` for every code of that field) next to the field, `users.errors.<code>` for the form.
 */
export function adminFormErrors(err: unknown, shown: readonly string[], section: Section): FormErrors {
  const result = formErrors(err, shown)
  if (!(err instanceof ApiFailure)) return result
  for (const issue of err.fields) {
    if (!shown.includes(issue.field)) continue
    const own = tryT(`${section}.fieldErrors.${issue.field}.${issue.code}`) ?? tryT(`${section}.fieldErrors.${issue.field}.any`)
    if (own) result.fields[issue.field] = own
  }
  if (err.code !== 'validation_failed') result.form = adminErrorMessage(err)
  return result
}
