import { useSearchParams } from '@solidjs/router'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { iocExportUrl, type IocSearch } from '../api/client'
import { FormError } from '../components/FormError'
import { IconCopy, IconSearch } from '../components/Icons'
import { IocDrawer } from '../components/IocDrawer'
import { endOfDayIso, startOfDayIso } from '../components/IocBits'
import { IocTable, LoadMore } from '../components/IocTable'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { DEFAULT_FILTERS, FILTER_KEYS, type Filters, SearchFilters } from '../components/SearchFilters'
import { useCampaigns } from '../data/campaigns'
import { useIocList } from '../data/iocs'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { usePageTitle } from '../lib/title'

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? ''

/** Filters as the API wants them: dates become the start / end of the chosen local day. */
export function toApiSearch(f: Filters): IocSearch {
  return {
    q: f.q.trim() || undefined,
    match: (f.match || 'substring') as IocSearch['match'],
    type: f.type || undefined,
    status: f.status || 'live',
    ticket: f.ticket.trim() || undefined,
    user: f.user.trim() || undefined,
    campaign: f.campaign || undefined,
    tag: f.tag.trim() || undefined,
    from: f.from ? startOfDayIso(f.from) : undefined,
    to: f.to ? endOfDayIso(f.to) : undefined,
    sort: f.sort || 'newest',
  }
}

export default function SearchPage() {
  usePageTitle(() => t('search.title'))
  const [params, setParams] = useSearchParams()
  const campaigns = useCampaigns()
  const [copied, setCopied] = createSignal(false)

  // The URL is the source of truth, so a search can be bookmarked and shared.
  const filters = createMemo<Filters>(() => {
    const out = { ...DEFAULT_FILTERS }
    for (const key of FILTER_KEYS) {
      const value = first(params[key])
      if (value) out[key] = value
    }
    return out
  }, { ...DEFAULT_FILTERS }, { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) })
  const list = useIocList(() => toApiSearch(filters()))
  const openId = () => {
    const id = Number(first(params.open))
    return Number.isInteger(id) && id > 0 ? id : undefined
  }

  const apply = (next: Filters) => {
    const update: Record<string, string | undefined> = { open: undefined }
    for (const key of FILTER_KEYS) update[key] = next[key] === DEFAULT_FILTERS[key] ? undefined : next[key]
    if (JSON.stringify(next) === JSON.stringify(filters())) list.reload()
    setParams(update)
  }

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      setCopied(false)
    }
  }

  return (
    <div class="page page-wide">
      <PageHeader icon={IconSearch} title={t('search.title')} subtitle={t('search.subtitle')} />
      <SearchFilters value={filters()} campaigns={campaigns.list() ?? []} onApply={apply} />
      <section class="card glass results-card" aria-labelledby="results-title">
        <div class="card-header">
          <h2 id="results-title">
            {t('search.results')}{' '}
            <Show when={list.loaded()}>
              <span class="muted count" data-testid="result-count">
                {t('search.shown', { n: list.items().length })}
              </span>
            </Show>
          </h2>
          <div class="card-actions">
            <For each={['csv', 'json', 'txt'] as const}>
              {(format) => (
                <a
                  class="btn btn-ghost btn-sm"
                  data-testid={`export-${format}`}
                  href={iocExportUrl(toApiSearch(filters()), format)}
                  download=""
                  title={t('search.exportHint')}
                >
                  {t('search.export', { format: format.toUpperCase() })}
                </a>
              )}
            </For>
            <button type="button" class="btn btn-ghost btn-sm" data-testid="copy-link" onClick={() => void copyLink()}>
              <IconCopy size={16} />
              {copied() ? t('search.copied') : t('search.copyLink')}
            </button>
          </div>
        </div>
        <FormError message={list.error() ? errorMessage(list.error()) : undefined} testId="search-error" />
        <Show when={list.items().length}>
          <IocTable
            items={list.items()}
            selected={openId()}
            caption={t('search.results')}
            onOpen={(ioc) => setParams({ open: String(ioc.id) })}
          />
        </Show>
        <Show when={list.loaded() && !list.items().length && !list.error()}>
          <p class="empty-state" data-testid="no-results">
            {t('search.noResults')}
          </p>
        </Show>
        <Show when={list.loading() && !list.items().length}>
          <Loading />
        </Show>
        <LoadMore list={list} />
      </section>
      <Show when={openId()} keyed>
        {(id) => (
          <IocDrawer id={id} onClose={() => setParams({ open: undefined })} onChanged={list.replace} />
        )}
      </Show>
    </div>
  )
}
