import { For, Show } from 'solid-js'
import type { HistoryEvent } from '../api/client'
import { t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatDateTime, isolate } from '../i18n/format'
import { eventLabel, severityLabel, warningTitle } from '../i18n/ioc'
import { FormError } from './FormError'
import { When } from './IocBits'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/
// Shown in the drawer's header already.
const SKIP_ON_CREATE = new Set(['value', 'type'])

function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return field === 'expiresAt' ? t('ioc.permanent') : t('history.emptyValue')
  }
  if (Array.isArray(value)) {
    if (!value.length) return t('history.emptyValue')
    const items = field === 'warnings' ? value.map((code) => warningTitle(String(code))) : value
    return items.map((item) => isolate(String(item))).join(', ')
  }
  if (typeof value === 'string' && ISO_DATE.test(value)) return formatDateTime(value)
  if (field === 'severity' && typeof value === 'string') return severityLabel(value)
  if (field === 'campaignId' && typeof value === 'number') return isolate(`#${value}`)
  if (typeof value === 'object') return isolate(JSON.stringify(value))
  return isolate(String(value))
}

/** One readable line per changed field: "Ticket: A-1 → A-2", or "Reason: false positive". */
export function diffLines(event: string, diff: unknown): { field: string; text: string }[] {
  if (!diff || typeof diff !== 'object' || Array.isArray(diff)) return []
  const lines: { field: string; text: string }[] = []
  for (const [field, value] of Object.entries(diff as Record<string, unknown>)) {
    if (event === 'created' && SKIP_ON_CREATE.has(field)) continue
    if (event === 'deleted' && field === 'value') continue
    const label = tryT(`fields.${field}`) ?? field
    const change = Array.isArray(value) && value.length === 2 && event !== 'created'
    const text = change
      ? t('history.change', { from: formatValue(field, value[0]), to: formatValue(field, value[1]) })
      : formatValue(field, value)
    lines.push({ field: label, text })
  }
  return lines
}

/** The IOC's append-only timeline, newest first. */
export function IocHistory(props: { items?: HistoryEvent[]; error?: unknown }) {
  const newestFirst = () => [...(props.items ?? [])].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id)
  return (
    <section class="drawer-section" aria-labelledby="history-title">
      <h3 id="history-title">{t('history.title')}</h3>
      <FormError message={props.error ? errorMessage(props.error) : undefined} testId="history-error" />
      <Show when={props.items && !props.items.length}>
        <p class="muted">{t('history.empty')}</p>
      </Show>
      <ol class="timeline" data-testid="history">
        <For each={newestFirst()}>
          {(item) => (
            <li class={`timeline-item event-${item.event}`} data-event={item.event}>
              <div class="timeline-head">
                <strong class="timeline-event">{eventLabel(item.event)}</strong>
                <span class="muted">{t('history.by', { actor: isolate(item.actor) })}</span>
                <span class="muted timeline-time">
                  <When at={item.at} />
                </span>
              </div>
              <Show when={diffLines(item.event, item.diff).length}>
                <div class="timeline-diff">
                  <For each={diffLines(item.event, item.diff)}>
                    {(line) => (
                      <p class="diff-line">
                        <span class="diff-field">{line.field}:</span> <span>{line.text}</span>
                      </p>
                    )}
                  </For>
                </div>
              </Show>
            </li>
          )}
        </For>
      </ol>
    </section>
  )
}
