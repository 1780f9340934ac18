import { For, type JSX, Show } from 'solid-js'
import type { Ioc } from '../api/client'
import { t } from '../i18n'
import { IocValue, ShortDate, StatusBadge, submitterName, TypeBadge } from './IocBits'

/**
 * The IOC results table (Search, campaign detail). A row opens the IOC; `action` adds a last
 * column (e.g. "Unlink") whose clicks do not open the row.
 */
export function IocTable(props: {
  items: Ioc[]
  selected?: number
  onOpen: (ioc: Ioc) => void
  action?: (ioc: Ioc) => JSX.Element
  caption?: string
  /** On a campaign's own page the column says the same thing on every row. */
  hideCampaign?: boolean
}) {
  const openOnKey = (e: KeyboardEvent, ioc: Ioc) => {
    if (e.target !== e.currentTarget) return
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      props.onOpen(ioc)
    }
  }
  return (
    <div class="table-wrap">
      <table class="table ioc-table" data-testid="ioc-table">
        <Show when={props.caption}>
          <caption class="visually-hidden">{props.caption}</caption>
        </Show>
        <thead>
          <tr>
            <th scope="col">{t('search.columns.type')}</th>
            <th scope="col">{t('search.columns.value')}</th>
            <th scope="col">{t('search.columns.status')}</th>
            <th scope="col">{t('search.columns.expiry')}</th>
            <th scope="col">{t('search.columns.ticket')}</th>
            <Show when={!props.hideCampaign}>
              <th scope="col">{t('search.columns.campaign')}</th>
            </Show>
            <th scope="col">{t('search.columns.submitter')}</th>
            <th scope="col">{t('search.columns.created')}</th>
            <Show when={props.action}>
              <th scope="col">
                <span class="visually-hidden">{t('search.columns.actions')}</span>
              </th>
            </Show>
          </tr>
        </thead>
        <tbody>
          <For each={props.items}>
            {(ioc) => (
              <tr
                class="ioc-row"
                classList={{ selected: props.selected === ioc.id }}
                data-testid="ioc-row"
                data-id={ioc.id}
                tabindex="0"
                aria-label={t('search.open', { value: ioc.value })}
                onClick={() => props.onOpen(ioc)}
                onKeyDown={(e) => openOnKey(e, ioc)}
              >
                <td>
                  <TypeBadge type={ioc.type} />
                </td>
                <td class="cell-value">
                  <IocValue value={ioc.value} />
                </td>
                <td>
                  <StatusBadge status={ioc.status} />
                </td>
                <td class="nowrap">
                  <ShortDate at={ioc.expiresAt} />
                </td>
                <td class="nowrap">
                  <span dir="ltr" class="ioc-value plain">
                    {ioc.ticket}
                  </span>
                </td>
                <Show when={!props.hideCampaign}>
                  <td>{ioc.campaign?.name ?? <span class="muted">{t('ioc.none')}</span>}</td>
                </Show>
                <td>{submitterName(ioc)}</td>
                <td class="nowrap">
                  <ShortDate at={ioc.createdAt} />
                </td>
                <Show when={props.action}>
                  {(action) => (
                    <td class="cell-action" onClick={(e) => e.stopPropagation()}>
                      {action()(ioc)}
                    </td>
                  )}
                </Show>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  )
}

/** The "load more" button under an IOC list; shown while the list has another page. */
export function LoadMore(props: {
  list: { hasMore: () => boolean; loading: () => boolean; loadMore: () => void }
}) {
  return (
    <Show when={props.list.hasMore()}>
      <div class="load-more">
        <button
          type="button"
          class="btn btn-secondary"
          data-testid="load-more"
          disabled={props.list.loading()}
          onClick={() => props.list.loadMore()}
        >
          {props.list.loading() ? t('search.loadingMore') : t('search.loadMore')}
        </button>
      </div>
    </Show>
  )
}
