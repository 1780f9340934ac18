import { A, useSearchParams } from '@solidjs/router'
import { createMemo, createSignal, For, Show } from 'solid-js'
import type { YaraSearch } from '../api/client'
import { FormError } from '../components/FormError'
import { IconPlus, IconSearch } from '../components/Icons'
import { ShortDate } from '../components/IocBits'
import { LoadMore } from '../components/IocTable'
import { Loading } from '../components/Loading'
import { TableHead } from '../components/TableParts'
import { IconCode, QualityBadge, YaraStatusBadge } from '../components/YaraBits'
import { YaraScanCard } from '../components/YaraScan'
import { YaraSettingsCard } from '../components/YaraSettings'
import { useCampaigns } from '../data/campaigns'
import { user } from '../data/session'
import { useYaraList } from '../data/yara'
import { t } from '../i18n'
import { isolate } from '../i18n/format'
import { canWrite, isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'
import { yaraErrorMessage } from '../lib/yara-errors'
import '../styles/yara.css'

const STATUSES = ['all', 'pending', 'approved', 'rejected'] as const
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? ''

export default function YaraPage() {
  usePageTitle(() => t('yara.title'))
  const [params, setParams] = useSearchParams()
  const status = () => (STATUSES as readonly string[]).includes(first(params.status)) ? (first(params.status) as YaraSearch['status']) : 'all'
  const search = createMemo<YaraSearch>(
    () => ({ status: status(), q: first(params.q) || undefined, tag: first(params.tag) || undefined, campaign: first(params.campaign) || undefined }),
    { status: 'all' },
    {
      equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    },
  )
  const list = useYaraList(search)
  const campaigns = useCampaigns()
  const [campaign, setCampaign] = createSignal(first(params.campaign))
  const [q, setQ] = createSignal(first(params.q))
  const [tag, setTag] = createSignal(first(params.tag))
  const count = (s: (typeof STATUSES)[number]) => {
    const c = list.counts()
    if (!c) return undefined
    return s === 'all' ? c.pending + c.approved + c.rejected : c[s]
  }

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setParams({ q: q().trim() || undefined, tag: tag().trim() || undefined, campaign: campaign() || undefined })
  }

  return (
    <div class="page page-wide">
      <header class="page-header">
        <span class="page-icon" aria-hidden="true">
          <IconCode size={22} />
        </span>
        <div class="grow">
          <h1>{t('yara.title')}</h1>
          <p class="muted">{t('yara.subtitle')}</p>
        </div>
        <Show when={canWrite(user())}>
          <div class="button-row header-actions">
            <A href="/yara/new" class="btn btn-primary" data-testid="yara-new">
              <IconPlus size={18} />
              {t('yara.new')}
            </A>
          </div>
        </Show>
      </header>
      <section class="card glass results-card" aria-labelledby="yara-library-title">
        <div class="card-header">
          <h2 id="yara-library-title">{t('yara.library')}</h2>
          <div class="card-actions yara-feed-links">
            <span class="muted small">{t('yara.feedsHint')}</span>
            <a href="/feed/yara-list" class="btn btn-ghost btn-sm" rel="external" dir="ltr">/feed/yara-list</a>
            <a href="/feed/yara-bundle" class="btn btn-ghost btn-sm" rel="external" dir="ltr">/feed/yara-bundle</a>
          </div>
        </div>
        <nav class="yara-tabs" aria-label={t('yara.statusFilter')}>
          <For each={STATUSES}>
            {(s) => (
              <button
                type="button"
                class="yara-tab"
                classList={{ active: status() === s }}
                aria-pressed={status() === s}
                data-testid={`yara-tab-${s}`}
                onClick={() => setParams({ status: s === 'all' ? undefined : s })}
              >
                {t(`yara.tabs.${s}`)}
                <Show when={count(s) !== undefined}>
                  <span class="yara-tab-count">{count(s)}</span>
                </Show>
              </button>
            )}
          </For>
        </nav>
        <form class="yara-filters" onSubmit={submit} role="search">
          <input class="input" type="search" data-testid="yara-q" placeholder={t('yara.searchPlaceholder')} aria-label={t('yara.searchPlaceholder')} value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
          <input class="input" type="search" data-testid="yara-tag" placeholder={t('yara.tagPlaceholder')} aria-label={t('yara.tagPlaceholder')} value={tag()} onInput={(e) => setTag(e.currentTarget.value)} />
          <select class="input yara-campaign-filter" data-testid="yara-campaign-filter" aria-label={t('yara.fields.campaign')} value={campaign()} onChange={(e) => setCampaign(e.currentTarget.value)}>
            <option value="">{t('yara.anyCampaign')}</option>
            <For each={campaigns.list() ?? []}>{(c) => <option value={String(c.id)} selected={String(c.id) === campaign()}>{c.name}</option>}</For>
          </select>
          <button type="submit" class="btn btn-secondary">
            <IconSearch size={18} />
            {t('yara.search')}
          </button>
        </form>
        <FormError message={list.error() ? yaraErrorMessage(list.error()) : undefined} />
        <Show when={list.items().length}>
          <div class="table-wrap">
            <table class="table" data-testid="yara-table">
              <TableHead columns={[t('yara.fields.filename'), t('yara.fields.rules'), t('yara.fields.quality'), t('yara.fields.status'), t('yara.fields.uploadedBy'), t('yara.fields.updatedAt')]} />
              <tbody>
                <For each={list.items()}>
                  {(f) => (
                    <tr data-testid="yara-row" data-id={f.id} data-filename={f.filename}>
                      <td>
                        <A href={`/yara/${f.id}`} class="strong-link" dir="ltr">
                          {f.filename}
                        </A>
                        <Show when={f.tags.length}>
                          <span class="tag-list">
                            <For each={f.tags}>{(tg) => <span class="tag">{tg}</span>}</For>
                          </span>
                        </Show>
                      </td>
                      <td>
                        <span class="nowrap">{t('yara.ruleCount', { n: f.ruleNames.length })}</span>
                        <p class="muted small yara-names" dir="ltr">{f.ruleNames.slice(0, 3).join(', ')}{f.ruleNames.length > 3 ? ' …' : ''}</p>
                      </td>
                      <td class="nowrap">
                        <QualityBadge quality={f.quality} />
                        <Show when={f.warningCount}>
                          <p class="muted small">{t('yara.warningCount', { n: f.warningCount })}</p>
                        </Show>
                      </td>
                      <td><YaraStatusBadge status={f.status} /></td>
                      <td class="nowrap">{isolate(f.createdBy.displayName)}</td>
                      <td class="nowrap"><ShortDate at={f.updatedAt} /></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <Show when={list.loaded() && !list.items().length && !list.error()}>
          <p class="empty-state" data-testid="yara-empty">{t('yara.empty')}</p>
        </Show>
        <Show when={list.loading() && !list.items().length}>
          <Loading />
        </Show>
        <LoadMore list={list} />
      </section>
      <YaraScanCard />
      <Show when={isAdmin(user())}>
        <YaraSettingsCard />
      </Show>
    </div>
  )
}
