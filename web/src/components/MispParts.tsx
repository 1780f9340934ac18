import { type JSX, Show } from 'solid-js'
import { ApiFailure } from '../api/client'
import { t, tryT } from '../i18n'
import { errorMessage, fieldMessage, type FormErrors } from '../i18n/errors'
import { isolate } from '../i18n/format'
import type { IconProps } from './Icons'

/** The MISP mark: linked nodes, for sharing (drawn here: no icon font, no CDN). */
export const IconMisp = (p: IconProps) => (
  <svg
    class={`icon ${p.class ?? ''}`}
    width={p.size ?? 20}
    height={p.size ?? 20}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    stroke-width="1.8"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
  >
    <circle cx="6" cy="12" r="2.5" />
    <circle cx="18" cy="6" r="2.5" />
    <circle cx="18" cy="18" r="2.5" />
    <path d="M8.3 10.9 15.7 7.1M8.3 13.1l7.4 3.8" />
  </svg>
)

/** A switch with its label and hint, as the admin forms use. */
export function SwitchField(props: { id: string; label: string; hint?: string; checked: boolean; onChange: (v: boolean) => void; children?: JSX.Element }) {
  return (
    <div class="switch-field">
      <label class="switch">
        <input
          id={props.id}
          type="checkbox"
          role="switch"
          data-testid={props.id}
          checked={props.checked}
          aria-describedby={props.hint ? `${props.id}-hint` : undefined}
          onChange={(e) => props.onChange(e.currentTarget.checked)}
        />
        <span class="switch-track" aria-hidden="true" />
      </label>
      <div>
        <label for={props.id} class="strong">
          {props.label}
        </label>
        <Show when={props.hint}>
          <p class="field-hint" id={`${props.id}-hint`}>
            {props.hint}
          </p>
        </Show>
        {props.children}
      </div>
    </div>
  )
}

const reasonText = (reason: unknown) => (typeof reason === 'string' ? (tryT(`misp.test.reasons.${reason}`) ?? reason) : '?')

/** A failed MISP call in the user's language: what kind of failure, then MISP's (or Node's) own words. */
export function mispErrorMessage(err: unknown): string {
  if (!(err instanceof ApiFailure)) return errorMessage(err)
  const details = (err.details ?? {}) as { reason?: unknown; code?: unknown }
  if (err.code === 'misp_test_failed') return t('misp.test.failed', { reason: reasonText(details.reason), error: isolate(err.message) })
  if (err.code === 'misp_pull_failed') return t('misp.errors.misp_pull_failed', { reason: reasonText(details.code), error: isolate(err.message) })
  return tryT(`misp.errors.${err.code}`) ?? errorMessage(err)
}

/**
 * Field errors next to their fields, in the user's language (`misp.fieldErrors.<field>.<code>`
 * or `.any`), the rest in the form's alert.
 */
export function mispFormErrors(err: unknown, shown: readonly string[]): FormErrors {
  const result: FormErrors = { fields: {} }
  if (!(err instanceof ApiFailure) || !err.fields.length) return { form: mispErrorMessage(err), fields: {} }
  const stray: string[] = []
  for (const issue of err.fields) {
    const field = issue.field.split('.')[0]
    const text = tryT(`misp.fieldErrors.${field}.${issue.code}`) ?? tryT(`misp.fieldErrors.${field}.any`) ?? fieldMessage(issue)
    if (shown.includes(field)) result.fields[field] ??= text
    else stray.push(text)
  }
  result.form = stray.length ? stray.join(' ') : err.code === 'validation_failed' ? t('errors.validation_failed') : mispErrorMessage(err)
  return result
}
