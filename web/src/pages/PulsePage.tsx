import { useSearchParams } from '@solidjs/router'
import { createResource, For, Show } from 'solid-js'
import type { PulseSummary, PulseWindow } from '../api/client'
import { Chart } from '../components/Chart'
import { FormError } from '../components/FormError'
import { IconRefresh } from '../components/Icons'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { AnomaliesCard, ExclusionsCard } from '../components/PulseAnomalies'
import { IconPulse, Kpi, num, openIoc, setOpenIoc, signed } from '../components/PulseBits'
import { IocDrawer } from '../components/IocDrawer'
import { ConsumersCard, FeedsCard } from '../components/PulseFeeds'
import { IncomingCard, OutgoingCard } from '../components/PulseLists'
import { pulseSummary } from '../data/pulse'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { usePageTitle } from '../lib/title'
import '../styles/pulse.css'

const WINDOWS: PulseWindow[] = ['24h', '7d', '30d']
const TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const

export default function PulsePage() {
  usePageTitle(() => t('pulse.title'))
  const [params, setParams] = useSearchParams<{ window?: string }>()
  const win = (): PulseWindow => (WINDOWS.includes(params.window as PulseWindow) ? (params.window as PulseWindow) : '24h')
  const [summary, { refetch }] = createResource(win, pulseSummary)
  return (
    <div class="page page-wide pulse-page">
      <PageHeader icon={IconPulse} title={t('pulse.title')} subtitle={t('pulse.subtitle')} />
      <div class="pulse-controls">
        <div class="segmented" role="tablist" aria-label={t('pulse.window')}>
          <For each={WINDOWS}>
            {(w) => (
              <button type="button" role="tab" aria-selected={win() === w} classList={{ active: win() === w }} onClick={() => setParams({ window: w })} data-testid={`window-${w}`}>
                {t(`pulse.windows.${w}`)}
              </button>
            )}
          </For>
        </div>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => void refetch()}>
          <IconRefresh size={16} />
          {t('pulse.refresh')}
        </button>
      </div>
      <FormError message={summary.error ? errorMessage(summary.error) : undefined} />
      <Show when={summary.latest} fallback={<Show when={!summary.error}><Loading /></Show>}>
        {(s) => <Summary s={s()} />}
      </Show>
      <IncomingCard window={win()} />
      <OutgoingCard window={win()} />
      <AnomaliesCard onChange={() => void refetch()} />
      <ExclusionsCard window={win()} />
      <FeedsCard window={win()} />
      <ConsumersCard window={win()} />
      <Show when={openIoc()} keyed>
        {(id) => <IocDrawer id={id} onClose={() => setOpenIoc(undefined)} />}
      </Show>
    </div>
  )
}

function Summary(props: { s: PulseSummary }) {
  const s = () => props.s
  const label = (bucket: string) => (s().unit === 'hour' ? `${bucket.slice(11, 13)}:00` : bucket.slice(5))
  return (
    <>
      <section class="kpi-grid" aria-label={t('pulse.incoming')} data-testid="pulse-kpis">
        <Kpi label={t('pulse.added')} value={s().incoming.total} tone="main" testId="kpi-added" />
        <Kpi label={t('pulse.deleted')} value={s().outgoing.deleted} testId="kpi-deleted" />
        <Kpi label={t('pulse.expired')} value={s().outgoing.expired} testId="kpi-expired" />
        <Kpi label={t('pulse.netChange')} value={signed(s().netChange)} tone={s().netChange < 0 ? 'bad' : 'good'} testId="kpi-net" />
        <Kpi label={t('pulse.totalActive')} value={s().totalActive} testId="kpi-active" />
        <For each={(['analyst', 'import', 'misp'] as const)}>
          {(k) => <Kpi label={t(`pulse.sources.${k}`)} value={s().incoming.bySource[k]} testId={`kpi-source-${k}`} />}
        </For>
      </section>
      <div class="analytics-grid two">
        <section class="card glass">
          <h2 class="card-title">{t('pulse.flowChart')}</h2>
          <Chart
            label={t('pulse.flowChart')}
            testId="flow-chart"
            options={() => ({
              chart: { type: 'bar', stacked: true },
              dataLabels: { enabled: false },
              plotOptions: { bar: { columnWidth: '70%', borderRadius: 2 } },
              series: [
                { name: t('pulse.added'), data: s().series.map((p) => p.incoming) },
                { name: t('pulse.deleted'), data: s().series.map((p) => -p.deleted) },
                { name: t('pulse.expired'), data: s().series.map((p) => -p.expired) },
              ],
              colors: ['#14b8a6', '#ef4444', '#f59e0b'],
              xaxis: { categories: s().series.map((p) => label(p.bucket)), tickAmount: 8, labels: { rotate: 0, hideOverlappingLabels: true } },
              yaxis: { labels: { formatter: (v: number) => num(Math.abs(Math.round(v))) } },
              tooltip: { y: { formatter: (v: number) => num(Math.abs(v)) } },
              legend: { position: 'top' },
            })}
          />
        </section>
        <section class="card glass">
          <h2 class="card-title">{t('pulse.byType')}</h2>
          <table class="table table-compact pulse-types" data-testid="pulse-by-type">
            <thead>
              <tr>
                <th>{t('pulse.type')}</th>
                <th class="num">{t('pulse.incoming')}</th>
                <th class="num">{t('pulse.outgoing')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={TYPES}>
                {(type) => (
                  <tr>
                    <td>
                      <span class={`badge badge-type badge-type-${type}`}>{t(`iocTypesShort.${type}`)}</span>
                    </td>
                    <td class="num">{num(s().incoming.byType[type] ?? 0)}</td>
                    <td class="num">{num(s().outgoing.byType[type] ?? 0)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </section>
      </div>
    </>
  )
}
