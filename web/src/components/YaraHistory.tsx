import { For, Show } from 'solid-js'
import type { YaraHistoryEvent } from '../api/client'
import { t, tryT } from '../i18n'
import { isolate } from '../i18n/format'
import { yaraErrorMessage } from '../lib/yara-errors'
import { FormError } from './FormError'
import { When } from './IocBits'

/** What an event changed, in a line: the reason of a rejection, new content, changed fields. */
function summary(e: YaraHistoryEvent): string | undefined {
  const diff = (e.diff ?? {}) as Record<string, unknown>
  if (e.event === 'rejected' && typeof diff.reason === 'string') return t('yara.history.reason', { reason: isolate(diff.reason) })
  if (e.event === 'edited') return t('yara.history.newContent')
  if (e.event === 'metadata') {
    const fields = Object.keys(diff).map((f) => tryT(`yara.fields.${f}`) ?? f)
    return fields.length ? t('yara.history.fields', { fields: fields.join(', ') }) : undefined
  }
  return undefined
}

/** The file's append-only timeline, newest first. */
export function YaraHistoryList(props: { items?: YaraHistoryEvent[]; error?: unknown }) {
  return (
    <>
      <FormError message={props.error ? yaraErrorMessage(props.error) : undefined} />
      <ol class="yara-history" data-testid="yara-history">
        <For each={props.items ?? []}>
          {(e) => (
            <li data-event={e.event}>
              <span class="yara-history-event">{tryT(`yara.history.events.${e.event}`) ?? e.event}</span>
              <span class="muted small">
                {isolate(e.actor)} · <When at={e.at} />
              </span>
              <Show when={summary(e)}>{(s) => <span class="small" dir="auto">{s()}</span>}</Show>
            </li>
          )}
        </For>
      </ol>
    </>
  )
}
