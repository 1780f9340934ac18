import { createResource, createSignal, For, Show } from 'solid-js'
import { Flag, countryName } from '../components/Flag'
import { FormError, SuccessNote } from '../components/FormError'
import { IconActivity, IconDatabase, IconRefresh, IconUpload } from '../components/Icons'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { geoipStatus, liveStats, resetGeoip, uploadGeoip, usePolling, type GeoStatus, type LiveStats } from '../data/analytics'
import { user } from '../data/session'
import { intlLocale, t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatBytes, formatDate, formatRelative, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const
const num = (n: number) => new Intl.NumberFormat(intlLocale()).format(n)

export default function StatsPage() {
  usePageTitle(() => t('stats.title'))
  const live = usePolling(liveStats, 10_000)
  const stats = () => live.data.latest
  return (
    <div class="page page-wide">
      <PageHeader icon={IconActivity} title={t('stats.title')} subtitle={t('stats.subtitle')} />
      <FormError message={live.data.error ? errorMessage(live.data.error) : undefined} />
      <Show when={stats()} fallback={<Show when={!live.data.error}><Loading /></Show>}>
        {(s) => (
          <>
            <div class="refresh-line" data-testid="stats-refresh">
              <span class="muted small" aria-live="polite">
                {live.paused() ? t('stats.paused') : t('stats.updated', { time: formatRelative(s().generatedAt) })}
              </span>
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => live.refetch()}>
                <IconRefresh size={16} />
                {t('stats.refreshNow')}
              </button>
            </div>
            <TypeCounts stats={s()} />
            <div class="analytics-grid">
              <TopList title={t('stats.topCountries')} label={t('stats.country')} items={s().topCountries} testId="top-countries" country />
              <TopList title={t('stats.topTlds')} label={t('stats.tld')} items={s().topTlds} testId="top-tlds" prefix="." />
              <TopList title={t('stats.topEmailDomains')} label={t('stats.domain')} items={s().topEmailDomains} testId="top-email-domains" />
            </div>
            <LatestTable items={s().latest} />
          </>
        )}
      </Show>
      <GeoipCard />
    </div>
  )
}

function TypeCounts(props: { stats: LiveStats }) {
  return (
    <section class="kpi-grid" aria-label={t('stats.total')}>
      <div class="kpi card glass kpi-main" data-testid="kpi-total">
        <span class="kpi-label">{t('stats.total')}</span>
        <span class="kpi-value">{num(props.stats.total)}</span>
      </div>
      <For each={TYPES}>
        {(type) => (
          <div class="kpi card glass" data-testid={`kpi-${type}`}>
            <span class="kpi-label">{t(`iocTypesShort.${type}`)}</span>
            <span class="kpi-value">{num(props.stats.byType[type] ?? 0)}</span>
          </div>
        )}
      </For>
    </section>
  )
}

function TopList(props: { title: string; label: string; items: { key: string; n: number }[]; testId: string; country?: boolean; prefix?: string }) {
  const max = () => Math.max(1, ...props.items.map((i) => i.n))
  return (
    <section class="card glass" data-testid={props.testId}>
      <h2 class="card-title">{props.title}</h2>
      <Show when={props.items.length} fallback={<p class="muted">{t('stats.none')}</p>}>
        <ol class="top-list">
          <For each={props.items}>
            {(item) => (
              <li>
                <span class="top-name">
                  <Show when={props.country}>
                    <Flag code={item.key} />
                  </Show>
                  <span dir="auto">{props.country ? countryName(item.key) : `${props.prefix ?? ''}${item.key}`}</span>
                </span>
                <span class="top-bar" aria-hidden="true">
                  <span style={{ width: `${(100 * item.n) / max()}%` }} />
                </span>
                <span class="top-count">{num(item.n)}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  )
}

function LatestTable(props: { items: LiveStats['latest'] }) {
  return (
    <section class="card glass" data-testid="latest-iocs">
      <h2 class="card-title">{t('stats.latest')}</h2>
      <p class="muted small">{t('stats.latestHint')}</p>
      <Show when={props.items.length} fallback={<p class="muted">{t('stats.none')}</p>}>
        <div class="table-wrap">
          <table class="table table-compact">
            <thead>
              <tr>
                <th>{t('stats.when')}</th>
                <th>{t('stats.type')}</th>
                <th>{t('stats.value')}</th>
                <th>{t('stats.country')}</th>
                <th>{t('stats.analyst')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.items}>
                {(ioc) => (
                  <tr>
                    <td class="nowrap muted">{formatRelative(ioc.createdAt)}</td>
                    <td>
                      <span class={`badge badge-type badge-type-${ioc.type}`}>{t(`iocTypesShort.${ioc.type as 'ip'}`)}</span>
                    </td>
                    <td class="mono ioc-value" dir="ltr">{ioc.value}</td>
                    <td>
                      <Flag code={ioc.country} />
                    </td>
                    <td>{isolate(ioc.displayName || ioc.username || '?')}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  )
}

function GeoipCard() {
  const [status, { mutate }] = createResource(geoipStatus)
  const [file, setFile] = createSignal<File>()
  const [note, setNote] = createSignal<string>()
  const action = useAction(() => setNote(undefined))
  const done = (next: GeoStatus, message: string) => {
    mutate(next)
    setNote(message)
  }
  const upload = () =>
    action.run(async () => {
      const f = file()
      if (!f) return
      const next = await uploadGeoip(f)
      done(next, t('stats.geoip.replaced', { n: next.relookup ?? 0 }))
    })
  const reset = () => action.run(async () => done(await resetGeoip(), t('stats.geoip.resetDone')))
  return (
    <section class="card glass geoip-card" data-testid="geoip-card">
      <h2 class="card-title">
        <IconDatabase size={18} />
        {t('stats.geoip.title')}
      </h2>
      <Show when={status.latest}>
        {(s) => (
          <Show when={s().database} fallback={<p class="muted">{t('stats.geoip.unavailable')}</p>}>
            {(db) => (
              <div class="geoip-info">
                <span class={`badge ${db().source === 'custom' ? 'badge-warn' : 'badge-info'}`}>
                  {db().source === 'custom' ? t('stats.geoip.custom') : t('stats.geoip.bundled')}
                </span>
                <span class="mono small" dir="ltr">{db().databaseType}</span>
                <span class="small">{t('stats.geoip.built', { date: formatDate(db().buildEpoch) })}</span>
                <span class="small muted" dir="ltr">{t('stats.geoip.size', { size: formatBytes(db().bytes), version: db().ipVersion })}</span>
                <Show when={s().attribution}>
                  <p class="small muted attribution" dir="ltr">{s().attribution}</p>
                </Show>
                <Show when={s().pendingLookups > 0}>
                  <p class="small">{t('stats.geoip.pending', { n: num(s().pendingLookups) })}</p>
                </Show>
              </div>
            )}
          </Show>
        )}
      </Show>
      <Show when={isAdmin(user())}>
        <div class="geoip-admin">
          <label class="field">
            <span>{t('stats.geoip.replace')}</span>
            <input type="file" accept=".mmdb" data-testid="geoip-file" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
            <span class="field-hint">{t('stats.geoip.replaceHint')}</span>
          </label>
          <div class="button-row">
            <button type="button" class="btn btn-primary btn-sm" disabled={!file() || action.busy()} onClick={upload} data-testid="geoip-upload">
              <IconUpload size={16} />
              {action.busy() ? t('stats.geoip.uploading') : t('stats.geoip.upload')}
            </button>
            <Show when={status.latest?.database?.source === 'custom'}>
              <button type="button" class="btn btn-secondary btn-sm" disabled={action.busy()} onClick={reset}>
                {t('stats.geoip.reset')}
              </button>
            </Show>
          </div>
          <FormError message={action.error() ? errorMessage(action.error()) : undefined} testId="geoip-error" />
          <SuccessNote message={note()} />
        </div>
      </Show>
    </section>
  )
}
