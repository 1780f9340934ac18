// The report as labelled tables in the UI language: one model for the screen's tables and the PDF.
import type { Report } from '../api/client'
import { countryName } from '../components/Flag'
import { intlLocale, t, tryT } from '../i18n'
import type { PdfSection } from './report-pdf'

export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : new Intl.NumberFormat(intlLocale()).format(n))

const utc = (date: string) => new Date(`${date}T00:00:00Z`)
const fmt = (date: string, opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(intlLocale(), { timeZone: 'UTC', ...opts }).format(utc(date))

function lastDay(endDate: string) {
  const d = utc(endDate)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/** "Weekly Report - Nov 23 - Nov 29, 2026" in the UI language. */
export function reportTitle(p: Report['period']): string {
  const range = () => {
    const a = fmt(p.startDate, { month: 'short', day: 'numeric' })
    const b = fmt(lastDay(p.endDate), { month: 'short', day: 'numeric', year: 'numeric' })
    return `${a} - ${b}`
  }
  if (p.kind === 'day') return t('reports.names.day', { date: fmt(p.startDate, { month: 'short', day: 'numeric', year: 'numeric' }) })
  if (p.kind === 'week') return t('reports.names.week', { range: range() })
  if (p.kind === 'month') return t('reports.names.month', { month: fmt(p.startDate, { month: 'long', year: 'numeric' }) })
  return t('reports.names.custom', { range: range() })
}

export const KPI_KEYS = ['active_iocs', 'created', 'cleanup_count', 'net_change', 'active_campaigns', 'yara_rules', 'feed_health_score'] as const

const pct = (n: number) => `${new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(n)}%`
const kpiValue = (key: (typeof KPI_KEYS)[number], v: number | null) => (key === 'feed_health_score' && v !== null ? pct(v) : num(v))

export function kpiRows(r: Report): string[][] {
  return KPI_KEYS.map((k) => {
    const cur = r.kpis[k]
    const prev = r.kpis_prev[k]
    const delta = cur === null || prev === null ? '—' : `${cur - prev > 0 ? '+' : ''}${k === 'feed_health_score' ? pct(Math.round((cur - prev) * 10) / 10) : num(cur - prev)}`
    return [t(`reports.kpi.${k}`), kpiValue(k, cur), kpiValue(k, prev), delta]
  })
}

const counted = (items: { key: string; n: number }[], label = (k: string) => k) => items.map((i) => [label(i.key), num(i.n)])

/** Every table of the report, in order (the screen shows some as charts as well). */
export function reportSections(r: Report): PdfSection[] {
  const o = r.operations
  const head = [t('reports.item'), t('reports.count')]
  const sections: PdfSection[] = [
    { title: t('reports.kpis'), head: ['', t('reports.current'), t('reports.previousPeriod'), '±'], rows: kpiRows(r), note: t('reports.healthHint') },
    { title: t('reports.typeDistribution'), head, rows: Object.entries(o.type_distribution).map(([k, n]) => [t(`iocTypesShort.${k as 'ip'}`), num(n)]) },
    { title: t('reports.topCountries'), head, rows: counted(o.top_countries, countryName) },
    { title: t('reports.topCampaigns'), head, rows: o.top_campaigns.map((c) => [c.name, num(c.n)]) },
    { title: t('reports.campaignsByAnalyst'), head, rows: o.campaigns_created_by_analyst.map((c) => [c.name || c.username, num(c.n)]) },
    { title: t('reports.submissionMethods'), head, rows: counted(o.submission_methods, (k) => tryT(`reports.methods.${k}`) ?? k) },
    {
      title: t('reports.expiration'),
      head,
      rows: (['permanent', 'active', 'expired'] as const).map((k) => [t(`reports.expirationKeys.${k}`), num(o.expiration_policy[k])]),
    },
    { title: t('reports.topTlds'), head, rows: counted(o.top_tlds, (k) => `.${k}`) },
    { title: t('reports.emailDomains'), head, rows: counted(o.email_domains) },
    {
      title: t('reports.quality'),
      head: [t('reports.item'), t('reports.value')],
      rows: (['with_comment_pct', 'with_ticket_pct', 'with_campaign_pct', 'with_tags_pct'] as const)
        .map((k) => [t(`reports.qualityKeys.${k}`), pct(o.ioc_quality[k])])
        .concat([[t('reports.qualityKeys.avg_comment_length'), num(o.ioc_quality.avg_comment_length)]]),
    },
    {
      title: t('reports.anomalies'),
      head: [t('reports.anomalyType'), t('reports.count'), t('reports.samples')],
      rows: o.anomalies_summary.map((a) => [tryT(`reports.anomalyNames.${a.type}`) ?? a.type, num(a.count), a.samples.map((s) => s.value).join(', ')]),
    },
    o.yara_quality
      ? {
          title: t('reports.yaraQuality'),
          head: [t('reports.item'), t('reports.value')],
          rows: (['total_approved', 'pending', 'rejected'] as const)
            .map((k) => [t(`reports.yaraKeys.${k}`), num(o.yara_quality![k])])
            .concat([
              [t('reports.yaraKeys.avg_quality'), num(o.yara_quality.avg_quality)],
              [t('reports.yaraKeys.with_campaign_pct'), pct(o.yara_quality.with_campaign_pct)],
              [t('reports.yaraKeys.with_ticket_pct'), pct(o.yara_quality.with_ticket_pct)],
            ]),
        }
      : { title: t('reports.yaraQuality'), rows: [[t('reports.noYara')]] },
    {
      title: t('reports.rareFinds'),
      head: [t('reports.item'), t('champs.analyst')],
      rows: (o.rare_finds as { dim: 'country' | 'tld' | 'email_domain'; key: string; name: string | null; username: string | null }[]).map((f) => [
        t('champs.rareFind', { dim: t(`champs.dims.${f.dim}`), key: f.dim === 'country' ? countryName(f.key) : f.key }),
        f.name || f.username || '?',
      ]),
    },
    { title: t('reports.analystActivity'), head, rows: o.analyst_activity.map((a) => [a.name || a.username, num(a.n)]) },
    {
      title: t('reports.analysts'),
      head: [t('champs.analyst'), t('champs.rank'), t('champs.levelShort'), t('champs.score')],
      rows: r.analysts.leaderboard.slice(0, 15).map((a) => [a.display_name || a.username, `#${a.rank}`, String(a.level), num(a.score)]),
    },
  ]
  return sections.map((s) => (s.rows.length ? s : { ...s, rows: [[t('reports.nothing')]] }))
}
