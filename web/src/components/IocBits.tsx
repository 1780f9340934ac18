import { Show } from 'solid-js'
import type { Ioc } from '../api/client'
import { intlLocale, t } from '../i18n'
import { formatDateTime } from '../i18n/format'
import { severityLabel, statusLabel, typeLabel } from '../i18n/ioc'

/** An indicator value: always left-to-right and isolated, so Hebrew text around it stays put. */
export function IocValue(props: { value: string; class?: string; testId?: string }) {
  return (
    <span dir="ltr" class={`ioc-value ${props.class ?? ''}`} data-testid={props.testId}>
      {props.value}
    </span>
  )
}

export function TypeBadge(props: { type: string; testId?: string }) {
  return (
    <span class={`badge badge-type badge-type-${props.type}`} data-testid={props.testId}>
      {typeLabel(props.type)}
    </span>
  )
}

const STATUS_TONE: Record<string, string> = {
  active: 'badge-ok',
  expired: 'badge-warn',
  excluded: 'badge-info',
  allowlisted: 'badge-info',
  deleted: 'badge-bad',
}

export function StatusBadge(props: { status: string }) {
  return (
    <span class={`badge ${STATUS_TONE[props.status] ?? ''}`} data-status={props.status}>
      <span class="dot" aria-hidden="true" />
      {statusLabel(props.status)}
    </span>
  )
}

export function SeverityBadge(props: { severity: string }) {
  return <span class={`badge badge-sev badge-sev-${props.severity}`}>{severityLabel(props.severity)}</span>
}

/** Expiry as a date, or "Permanent". */
export function Expiry(props: { at: string | null }) {
  return (
    <Show when={props.at} fallback={<span class="muted">{t('ioc.permanent')}</span>}>
      {(at) => <time datetime={at()}>{formatDateTime(at())}</time>}
    </Show>
  )
}

/** A date without the time, the full date-time on hover (for dense tables). */
export function ShortDate(props: { at: string | null }) {
  return (
    <Show when={props.at} fallback={<span class="muted">{t('ioc.permanent')}</span>}>
      {(at) => (
        <time datetime={at()} title={formatDateTime(at())}>
          {new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium' }).format(new Date(at()))}
        </time>
      )}
    </Show>
  )
}

export function When(props: { at: string }) {
  return <time datetime={props.at}>{formatDateTime(props.at)}</time>
}

export const submitterName = (ioc: Ioc) => ioc.createdBy.displayName || ioc.createdBy.username

/** Comma-separated tags to a clean list. */
export const splitTags = (text: string) =>
  [...new Set(text.split(/[,\n]/).map((tag) => tag.trim()).filter(Boolean))]

/** A date input's `YYYY-MM-DD` as the end of that day, local time, in ISO form. */
export function endOfDayIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const date = new Date(`${day}T23:59:59`)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

export function startOfDayIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const date = new Date(`${day}T00:00:00`)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/** Tomorrow as `YYYY-MM-DD`, the earliest expiry a date input should offer. */
export function tomorrow(): string {
  const d = new Date(Date.now() + 24 * 3600 * 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
