import { useSearchParams } from '@solidjs/router'
import { createResource, createSignal, For, Show } from 'solid-js'
import type { Report } from '../api/client'
import { Chart } from '../components/Chart'
import { Badges, Medal } from '../components/ChampsParts'
import { countryName, Flag } from '../components/Flag'
import { FormError } from '../components/FormError'
import { IconDownload, IconPrinter, IconReport } from '../components/Icons'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { intelligenceReport } from '../data/analytics'
import { locale, t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatDateTime, isolate } from '../i18n/format'
import { exportReportPdf } from '../lib/report-pdf'
import { KPI_KEYS, kpiRows, num, reportSections, reportTitle } from '../lib/report-view'
import { usePageTitle } from '../lib/title'

type Kind = 'day' | 'week' | 'month' | 'custom'
const KINDS: Kind[] = ['day', 'week', 'month', 'custom']

export default function ReportsPage() {
  usePageTitle(() => t('reports.title'))
  const [params, setParams] = useSearchParams<{ period?: string; date?: string; from?: string; to?: string }>()
  const kind = () => (KINDS.includes(params.period as Kind) ? (params.period as Kind) : 'week')
  const [from, setFrom] = createSignal(params.from ?? '')
  const [to, setTo] = createSignal(params.to ?? '')
  const query = () => ({ period: kind(), date: params.date, from: params.from, to: params.to })
  const [report] = createResource(query, (q) => (q.period === 'custom' && (!q.from || !q.to) ? Promise.resolve(undefined) : intelligenceReport(q)))
  const [pdfBusy, setPdfBusy] = createSignal(false)
  const [pdfError, setPdfError] = createSignal<unknown>()

  const exportPdf = async () => {
    const r = report.latest
    if (!r) return
    setPdfBusy(true)
    setPdfError(undefined)
    try {
      await exportReportPdf({
        rtl: locale() === 'he',
        title: reportTitle(r.period),
        subtitle: t('reports.generated', { time: formatDateTime(r.generatedAt), tz: r.timeZone }),
        footer: (page, pages) => t('reports.pdfFooter', { page, pages }),
        sections: reportSections(r),
        filename: `moat-report-${r.period.kind}-${r.period.startDate}.pdf`,
      })
    } catch (err) {
      setPdfError(err)
    } finally {
      setPdfBusy(false)
    }
  }

  const options = (): [string, string][] => {
    const a = report.latest?.available
    if (!a) return []
    const list = kind() === 'day' ? a.days : kind() === 'week' ? a.weeks : kind() === 'month' ? a.months : []
    const p = { day: 'day', week: 'week', month: 'month' } as const
    return list.map((d) => [d, reportTitle({ kind: p[kind() as 'day'], startDate: d, endDate: kind() === 'month' ? nextMonth(d) : addDays(d, kind() === 'week' ? 7 : 1), start: '', end: '', name: '' })])
  }

  return (
    <div class="page page-wide reports-page">
      <PageHeader icon={IconReport} title={t('reports.title')} subtitle={t('reports.subtitle')} />
      <section class="card glass report-controls no-print" aria-label={t('reports.pick')}>
        <div class="segmented" role="tablist">
          <For each={KINDS}>
            {(k) => (
              <button type="button" role="tab" aria-selected={kind() === k} classList={{ active: kind() === k }} onClick={() => setParams({ period: k, date: undefined, from: undefined, to: undefined })} data-testid={`period-${k}`}>
                {t(`reports.periods.${k}`)}
              </button>
            )}
          </For>
        </div>
        <Show when={kind() !== 'custom'}>
          <label class="field inline">
            <span>{t('reports.pick')}</span>
            <select value={params.date ?? options()[0]?.[0] ?? ''} onChange={(e) => setParams({ date: e.currentTarget.value })} data-testid="period-select">
              <For each={options()}>{([v, label]) => <option value={v}>{label}</option>}</For>
            </select>
          </label>
        </Show>
        <Show when={kind() === 'custom'}>
          <form class="custom-range" onSubmit={(e) => (e.preventDefault(), setParams({ from: from(), to: to() }))}>
            <label class="field inline">
              <span>{t('reports.from')}</span>
              <input type="date" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} required data-testid="range-from" />
            </label>
            <label class="field inline">
              <span>{t('reports.to')}</span>
              <input type="date" value={to()} onInput={(e) => setTo(e.currentTarget.value)} required data-testid="range-to" />
            </label>
            <button type="submit" class="btn btn-secondary btn-sm">{t('reports.show')}</button>
          </form>
        </Show>
        <div class="button-row report-actions">
          <button type="button" class="btn btn-primary btn-sm" disabled={!report.latest || pdfBusy()} onClick={exportPdf} data-testid="export-pdf">
            <IconDownload size={16} />
            {pdfBusy() ? t('reports.exporting') : t('reports.exportPdf')}
          </button>
          <button type="button" class="btn btn-secondary btn-sm" disabled={!report.latest} onClick={() => window.print()}>
            <IconPrinter size={16} />
            {t('reports.print')}
          </button>
        </div>
      </section>
      <FormError message={report.error ? errorMessage(report.error) : pdfError() ? errorMessage(pdfError()) : undefined} />
      <Show when={report.latest} fallback={<Show when={!report.error && kind() !== 'custom'}><Loading /></Show>}>
        {(r) => <ReportBody report={r()} />}
      </Show>
    </div>
  )
}

function addDays(d: string, n: number) {
  const x = new Date(`${d}T00:00:00Z`)
  x.setUTCDate(x.getUTCDate() + n)
  return x.toISOString().slice(0, 10)
}
function nextMonth(d: string) {
  const x = new Date(`${d}T00:00:00Z`)
  x.setUTCMonth(x.getUTCMonth() + 1)
  return x.toISOString().slice(0, 10)
}

function ReportBody(props: { report: Report }) {
  const r = () => props.report
  const o = () => r().operations
  const rows = () => kpiRows(r())
  const sections = () => reportSections(r())
  // Tables shown as plain tables below the charts (everything after the KPIs and types).
  const tables = () => sections().slice(2)
  return (
    <article class="report" data-testid="report">
      <header class="report-head">
        <h2 data-testid="report-title">{reportTitle(r().period)}</h2>
        <p class="muted small">{t('reports.generated', { time: formatDateTime(r().generatedAt), tz: r().timeZone })}</p>
      </header>
      <section class="kpi-grid report-kpis" aria-label={t('reports.kpis')}>
        <For each={KPI_KEYS}>
          {(k, i) => (
            <div class="kpi card glass" classList={{ 'kpi-main': k === 'feed_health_score' }} data-testid={`report-kpi-${k}`}>
              <span class="kpi-label">{rows()[i()][0]}</span>
              <span class="kpi-value">{rows()[i()][1]}</span>
              <span class="kpi-prev small muted">
                {t('reports.previous', { n: rows()[i()][2] })} <span dir="ltr" class="kpi-delta">{rows()[i()][3]}</span>
              </span>
            </div>
          )}
        </For>
      </section>
      <p class="muted small">{t('reports.healthHint')}</p>
      <div class="analytics-grid two">
        <section class="card glass">
          <h3 class="card-title">{t('reports.typeDistribution')}</h3>
          <Show when={Object.keys(o().type_distribution).length} fallback={<p class="muted">{t('reports.nothing')}</p>}>
            <Chart
              label={t('reports.typeDistribution')}
              options={() => ({
                chart: { type: 'donut' },
                series: Object.values(o().type_distribution),
                labels: Object.keys(o().type_distribution).map((k) => t(`iocTypesShort.${k as 'ip'}`)),
                legend: { position: 'bottom' },
              })}
            />
          </Show>
        </section>
        <section class="card glass">
          <h3 class="card-title">{t('reports.submissionRate')}</h3>
          <Chart
            label={t('reports.submissionRate')}
            options={() => ({
              chart: { type: 'bar', stacked: true },
              dataLabels: { enabled: false },
              series: [
                { name: t('champs.team'), data: o().submission_rate.points.map((p) => p.team) },
                { name: t('champs.system'), data: o().submission_rate.points.map((p) => p.system) },
              ],
              xaxis: { categories: o().submission_rate.points.map((p) => (o().submission_rate.unit === 'day' ? p.label.slice(5) : p.label)) },
              legend: { position: 'top' },
            })}
          />
        </section>
      </div>
      <section class="card glass podium-card">
        <h3 class="card-title">{t('reports.podium')}</h3>
        <div class="podium">
          <For each={r().analysts.podium}>
            {(p) => (
              <div class="podium-place">
                <Medal rank={p.rank} />
                <strong>{isolate(p.display_name || p.username)}</strong>
                <span class="muted small">
                  {p.nickname.emoji} {p.nickname.label[locale()]} · {t('champs.level', { level: p.level })} · {num(p.score)}
                </span>
                <Badges badges={p.badges} limit={5} />
                <Chart label={t('champs.activity14')} height={60} options={() => ({ chart: { type: 'line', sparkline: { enabled: true } }, stroke: { width: 2, curve: 'smooth' }, series: [{ name: t('champs.iocs'), data: p.sparkline.map((s) => s.count) }] })} />
              </div>
            )}
          </For>
        </div>
      </section>
      <div class="analytics-grid">
        <For each={tables()}>
          {(s) => (
            <section class="card glass report-table" classList={{ wide: (s.head?.length ?? 0) >= 3 }}>
              <h3 class="card-title">{s.title}</h3>
              <div class="table-wrap">
                <table class="table table-compact">
                  <Show when={s.head}>
                    <thead>
                      <tr>
                        <For each={s.head}>{(h) => <th>{h}</th>}</For>
                      </tr>
                    </thead>
                  </Show>
                  <tbody>
                    <For each={s.rows}>
                      {(row) => (
                        <tr>
                          <For each={row}>
                            {(cell, i) => (
                              <td classList={{ num: i() > 0 && s.rows[0].length > 1 }} dir="auto">
                                <Show when={s.title === t('reports.topCountries') && i() === 0}>
                                  <Flag code={o().top_countries.find((c) => countryName(c.key) === cell)?.key} />{' '}
                                </Show>
                                {cell}
                              </td>
                            )}
                          </For>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </section>
          )}
        </For>
      </div>
    </article>
  )
}
