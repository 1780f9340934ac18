import { createEffect, createSignal, on } from 'solid-js'
import { IOC_TYPES } from '../../../functions/domain/ioc'
import type { Campaign } from '../api/client'
import { t } from '../i18n'
import { statusLabel, typeLabel } from '../i18n/ioc'
import { Field } from './Field'
import { IconSearch } from './Icons'
import { Select } from './Select'

export const FILTER_KEYS = ['q', 'match', 'type', 'status', 'ticket', 'user', 'campaign', 'tag', 'from', 'to', 'sort'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]
export type Filters = Record<FilterKey, string>

export const DEFAULT_FILTERS: Filters = {
  q: '',
  match: 'substring',
  type: '',
  status: 'live',
  ticket: '',
  user: '',
  campaign: '',
  tag: '',
  from: '',
  to: '',
  sort: 'newest',
}

const STATUSES = ['live', 'active', 'expired', 'permanent', 'excluded', 'allowlisted', 'deleted', 'all']

/** The search form; its state follows `value` (the URL) and is applied on submit. */
export function SearchFilters(props: {
  value: Filters
  campaigns: Campaign[]
  onApply: (filters: Filters) => void
}) {
  const [form, setForm] = createSignal<Filters>({ ...props.value })
  // Back/forward and shared links change the URL: show what is being searched.
  createEffect(on(() => JSON.stringify(props.value), () => setForm({ ...props.value }), { defer: true }))
  const set = (key: FilterKey) => (v: string) => setForm((f) => ({ ...f, [key]: v }))

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    props.onApply(form())
  }

  return (
    <form class="card glass form search-form" onSubmit={submit} role="search" aria-label={t('search.filters')}>
      <div class="search-main">
        <Field
          id="search-q"
          data-testid="search-q"
          type="search"
          label={t('search.q')}
          placeholder={t('search.qPlaceholder')}
          value={form().q}
          onValue={set('q')}
          dir="ltr"
          class="mono-input"
          autocomplete="off"
          spellcheck={false}
        />
        <Select
          id="search-match"
          testId="search-match"
          label={t('search.match')}
          value={form().match}
          onValue={set('match')}
          options={[
            ['substring', t('search.matchSubstring')],
            ['prefix', t('search.matchPrefix')],
            ['exact', t('search.matchExact')],
          ]}
        />
        <button type="submit" class="btn btn-primary search-submit" data-testid="search-button">
          <IconSearch size={18} />
          {t('search.submit')}
        </button>
      </div>
      <div class="filter-grid">
        <Select
          id="search-type"
          testId="search-type"
          label={t('search.type')}
          value={form().type}
          onValue={set('type')}
          options={[['', t('search.anyType')], ...IOC_TYPES.map((ty): [string, string] => [ty, typeLabel(ty)])]}
        />
        <Select
          id="search-status"
          testId="search-status"
          label={t('search.status')}
          value={form().status}
          onValue={set('status')}
          options={STATUSES.map((s): [string, string] => [s, statusLabel(s)])}
        />
        <Select
          id="search-campaign"
          testId="search-campaign"
          label={t('search.campaign')}
          value={form().campaign}
          onValue={set('campaign')}
          options={[['', t('search.anyCampaign')], ...props.campaigns.map((c): [string, string] => [String(c.id), c.name])]}
        />
        <Field id="search-ticket" data-testid="search-ticket" label={t('search.ticket')} value={form().ticket} onValue={set('ticket')} autocomplete="off" />
        <Field id="search-user" data-testid="search-user" label={t('search.user')} placeholder={t('search.userPlaceholder')} value={form().user} onValue={set('user')} autocomplete="off" />
        <Field id="search-tag" data-testid="search-tag" label={t('search.tag')} value={form().tag} onValue={set('tag')} autocomplete="off" />
        <Field id="search-from" data-testid="search-from" type="date" label={t('search.from')} value={form().from} onValue={set('from')} />
        <Field id="search-to" data-testid="search-to" type="date" label={t('search.to')} value={form().to} onValue={set('to')} />
        <Select
          id="search-sort"
          testId="search-sort"
          label={t('search.sort')}
          value={form().sort}
          onValue={set('sort')}
          options={[
            ['newest', t('search.sortNewest')],
            ['oldest', t('search.sortOldest')],
            ['value', t('search.sortValue')],
            ['expiry', t('search.sortExpiry')],
          ]}
        />
        <div class="filter-reset">
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid="search-reset"
            onClick={() => {
              setForm({ ...DEFAULT_FILTERS })
              props.onApply({ ...DEFAULT_FILTERS })
            }}
          >
            {t('search.reset')}
          </button>
        </div>
      </div>
    </form>
  )
}
