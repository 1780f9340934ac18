import { For, type JSX, Show } from 'solid-js'
import type { Ioc, PulseOutgoing, PulseWindow } from '../api/client'
import { useCursorList } from '../data/paged'
import { pulseIncoming, pulseOutgoing } from '../data/pulse'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatDateTime, formatRelative, isolate } from '../i18n/format'
import { FormError } from './FormError'
import { TypeBadge } from './IocBits'
import { OpenValue } from './PulseBits'

/** A card with a compact table, "show more" paging and an empty line. */
export function PagedCard(props: {
  title: string
  testId: string
  head: string[]
  list: { items: () => unknown[]; loading: () => boolean; loaded: () => boolean; error: () => unknown; hasMore: () => boolean; loadMore: () => void }
  children: JSX.Element
  extra?: JSX.Element
}) {
  return (
    <section class="card glass" data-testid={props.testId}>
      <h2 class="card-title">{props.title}</h2>
      {props.extra}
      <FormError message={props.list.error() ? errorMessage(props.list.error()) : undefined} />
      <Show when={props.list.items().length} fallback={<Show when={props.list.loaded()}><p class="muted">{t('pulse.none')}</p></Show>}>
        <div class="table-wrap pulse-table">
          <table class="table table-compact">
            <thead>
              <tr>
                <For each={props.head}>{(h) => <th>{h}</th>}</For>
              </tr>
            </thead>
            <tbody>{props.children}</tbody>
          </table>
        </div>
      </Show>
      <Show when={props.list.hasMore()}>
        <button type="button" class="btn btn-ghost btn-sm" disabled={props.list.loading()} onClick={() => props.list.loadMore()}>
          {t('pulse.more')}
        </button>
      </Show>
    </section>
  )
}

export const Ago = (props: { at: string }) => (
  <time class="nowrap muted" datetime={props.at} title={formatDateTime(props.at)}>
    {formatRelative(props.at)}
  </time>
)

export function IncomingCard(props: { window: PulseWindow }) {
  const list = useCursorList<Ioc, PulseWindow, { items: Ioc[]; nextCursor: string | null }>(() => props.window, (w, cursor) => pulseIncoming(w, cursor))
  return (
    <PagedCard title={t('pulse.incomingList')} testId="pulse-incoming" head={[t('pulse.when'), t('pulse.type'), t('pulse.value'), t('pulse.analyst')]} list={list}>
      <For each={list.items()}>
        {(ioc) => (
          <tr>
            <td>
              <Ago at={ioc.createdAt} />
            </td>
            <td>
              <TypeBadge type={ioc.type} />
            </td>
            <td>
              <OpenValue id={ioc.id} value={ioc.value} />
            </td>
            <td>{isolate(ioc.createdBy.displayName || ioc.createdBy.username)}</td>
          </tr>
        )}
      </For>
    </PagedCard>
  )
}

export function OutgoingCard(props: { window: PulseWindow }) {
  const list = useCursorList<PulseOutgoing['items'][number], PulseWindow, PulseOutgoing>(() => props.window, (w, cursor) => pulseOutgoing(w, cursor))
  return (
    <PagedCard title={t('pulse.outgoingList')} testId="pulse-outgoing" head={[t('pulse.when'), t('pulse.reason'), t('pulse.type'), t('pulse.value'), t('pulse.by')]} list={list}>
      <For each={list.items()}>
        {(row) => (
          <tr>
            <td>
              <Ago at={row.at} />
            </td>
            <td>
              <span class={`badge ${row.reason === 'deleted' ? 'badge-bad' : 'badge-warn'}`}>{t(`pulse.reasons.${row.reason}`)}</span>
            </td>
            <td>
              <TypeBadge type={row.type} />
            </td>
            <td>
              <OpenValue id={row.iocId} value={row.value} />
            </td>
            <td>{row.actor ? isolate(row.actor) : <span class="muted">—</span>}</td>
          </tr>
        )}
      </For>
    </PagedCard>
  )
}
