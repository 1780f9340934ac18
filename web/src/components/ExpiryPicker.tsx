import { Show } from 'solid-js'
import { t } from '../i18n'
import { Field } from './Field'
import { tomorrow } from './IocBits'
import { Select } from './Select'

export const TTL_CHOICES = ['1w', '1m', '3m', '1y', 'permanent'] as const
export type TtlChoice = (typeof TTL_CHOICES)[number]
/** A preset, an explicit date, (when editing) no change, or (when submitting) the type's default. */
export type ExpiryMode = TtlChoice | 'date' | 'keep' | 'default'

/** TTL preset select with an optional explicit date. */
export function ExpiryPicker(props: {
  idPrefix: string
  label: string
  mode: ExpiryMode
  onMode: (mode: ExpiryMode) => void
  date: string
  onDate: (date: string) => void
  allowKeep?: boolean
  /** Offer "the default lifetime" (no TTL sent: the server applies the type's default), labelled so. */
  defaultLabel?: string
  error?: string
  dateError?: string
}) {
  const options = (): [string, string][] => [
    ...(props.allowKeep ? ([['keep', t('ioc.ttl.keep')]] as [string, string][]) : []),
    ...(props.defaultLabel ? ([['default', props.defaultLabel]] as [string, string][]) : []),
    ...TTL_CHOICES.map((ttl): [string, string] => [ttl, t(`ioc.ttl.${ttl}`)]),
    ['date', t('ioc.ttl.date')],
  ]
  return (
    <>
      <Select
        id={`${props.idPrefix}-ttl`}
        label={props.label}
        value={props.mode}
        onValue={(value) => props.onMode(value as ExpiryMode)}
        options={options()}
        error={props.error}
        testId={`${props.idPrefix}-ttl`}
      />
      <Show when={props.mode === 'date'}>
        <Field
          id={`${props.idPrefix}-expires`}
          data-testid={`${props.idPrefix}-expires`}
          type="date"
          label={t('submit.expiresAt')}
          hint={t('submit.expiresHint')}
          min={tomorrow()}
          value={props.date}
          onValue={props.onDate}
          error={props.dateError}
          required
        />
      </Show>
    </>
  )
}
