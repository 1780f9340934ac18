import { A } from '@solidjs/router'
import { createResource, createSignal, For, Show } from 'solid-js'
import { AUDIT_ACTION_NAMES, auditSeverity, severityBand } from '../../../functions/domain/audit-actions'
import type { AuditFilters, AuditRecord } from '../api/client'
import { Field } from '../components/Field'
import { FormError } from '../components/FormError'
import { IconAudit, IconDownload, IconEye, IconSearch } from '../components/Icons'
import { Loading } from '../components/Loading'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { Select } from '../components/Select'
import { RowButton, RowPanel, TableHead } from '../components/TableParts'
import { auditExportUrl, auditPreview, listAudit } from '../data/admin'
import { user } from '../data/session'
import { t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatDateTime } from '../i18n/format'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const CATEGORIES = [...new Set(AUDIT_ACTION_NAMES.map((a) => a.split('.')[0]))]

/** The action in the user's language (falls back to the action code). */
export const actionLabel = (action: string) => tryT(`audit.actions.${action.replace(/\./g, '_')}`) ?? action

export default function AuditPage() {
  usePageTitle(() => t('audit.title'))
  return (
    <div class="page page-wide">
      <PageHeader icon={IconAudit} title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('audit.adminOnly')}>
        <AuditLog />
        {/* Syslog delivery and retention moved to the Settings screen (/admin/settings#audit). */}
        <p class="muted small" data-testid="audit-settings-link">
          {t('settings.auditMoved')}{' '}
          <A href="/admin/settings#audit">{t('settings.auditMovedLink')}</A>
        </p>
      </AdminOnly>
    </div>
  )
}

interface Page {
  items: AuditRecord[]
  nextCursor: string | null
}

/** datetime-local (local time) -> ISO-8601 UTC for the API. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined)

function AuditLog() {
  const [filters, setFilters] = createSignal<AuditFilters>({})
  const [rows, setRows] = createSignal<AuditRecord[]>([])
  const [next, setNext] = createSignal<string | null>(null)
  const [loadError, setLoadError] = createSignal<unknown>()
  const [loadingMore, setLoadingMore] = createSignal(false)
  const [first] = createResource(filters, async (f) => {
    const page: Page = await listAudit(f)
    setRows(page.items)
    setNext(page.nextCursor)
    return page
  })
  const more = async () => {
    const cursor = next()
    if (!cursor || loadingMore()) return
    setLoadingMore(true)
    setLoadError(undefined)
    try {
      const page = await listAudit(filters(), cursor)
      setRows((old) => [...old, ...page.items])
      setNext(page.nextCursor)
    } catch (err) {
      setLoadError(err)
    } finally {
      setLoadingMore(false)
    }
  }
  return (
    <section class="card glass" aria-labelledby="audit-log-title">
      <div class="card-header">
        <h2 id="audit-log-title">{t('audit.log')}</h2>
        <a class="btn btn-secondary btn-sm" data-testid="audit-export" href={auditExportUrl(filters())} download="">
          <IconDownload size={16} />
          {t('audit.export')}
        </a>
      </div>
      <AuditFilterForm onApply={setFilters} />
      <FormError message={first.error ? errorMessage(first.error) : loadError() ? errorMessage(loadError()) : undefined} />
      <Show when={!first.loading || rows().length} fallback={<Loading />}>
        <Show when={rows().length} fallback={<p class="empty-state">{t('audit.empty')}</p>}>
          <AuditTable items={rows()} />
          <div class="form-actions">
            <Show when={next()}>
              <button type="button" class="btn btn-secondary btn-sm" data-testid="audit-more" disabled={loadingMore()} onClick={() => void more()}>
                {loadingMore() ? t('audit.loading') : t('audit.more')}
              </button>
            </Show>
            <span class="muted small" data-testid="audit-count">
              {t('audit.shown', { n: rows().length })}
            </span>
          </div>
        </Show>
      </Show>
    </section>
  )
}

function AuditFilterForm(props: { onApply: (f: AuditFilters) => void }) {
  const empty = { action: '', actor: '', outcome: '', from: '', to: '' }
  const [form, setForm] = createSignal({ ...empty })
  const set = (key: keyof typeof empty) => (v: string) => setForm((f) => ({ ...f, [key]: v }))
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    const f = form()
    props.onApply({ action: f.action || undefined, actor: f.actor.trim() || undefined, outcome: f.outcome || undefined, from: toIso(f.from), to: toIso(f.to) })
  }
  const actionOptions = (): [string, string][] => [
    ['', t('audit.anyAction')],
    ...CATEGORIES.map((c): [string, string] => [`${c}.`, t('audit.category', { name: tryT(`audit.categories.${c}`) ?? c })]),
    ...AUDIT_ACTION_NAMES.map((a): [string, string] => [a, actionLabel(a)]),
  ]
  return (
    <form class="form audit-filters" onSubmit={submit} role="search" aria-label={t('audit.filters')}>
      <Select id="audit-action" testId="audit-action" label={t('audit.action')} value={form().action} onValue={set('action')} options={actionOptions()} />
      <Field id="audit-actor" data-testid="audit-actor" label={t('audit.actor')} value={form().actor} onValue={set('actor')} autocomplete="off" dir="ltr" />
      <Select
        id="audit-outcome"
        testId="audit-outcome"
        label={t('audit.outcome')}
        value={form().outcome}
        onValue={set('outcome')}
        options={[
          ['', t('audit.anyOutcome')],
          ['success', t('audit.outcomes.success')],
          ['failure', t('audit.outcomes.failure')],
        ]}
      />
      <Field id="audit-from" data-testid="audit-from" type="datetime-local" label={t('audit.from')} value={form().from} onValue={set('from')} />
      <Field id="audit-to" data-testid="audit-to" type="datetime-local" label={t('audit.to')} value={form().to} onValue={set('to')} />
      <div class="audit-filter-actions">
        <button type="submit" class="btn btn-primary" data-testid="audit-apply">
          <IconSearch size={18} />
          {t('audit.apply')}
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          onClick={() => {
            setForm({ ...empty })
            props.onApply({})
          }}
        >
          {t('audit.reset')}
        </button>
      </div>
    </form>
  )
}

const BAND_TONE = { low: 'info', medium: 'warn', high: 'bad', veryHigh: 'bad' } as const

function AuditTable(props: { items: AuditRecord[] }) {
  const [open, setOpen] = createSignal<number>()
  const columns = () => [t('audit.columns.time'), t('audit.columns.action'), t('audit.columns.outcome'), t('audit.columns.severity'), t('audit.columns.actor'), t('audit.columns.source'), t('audit.columns.target')]
  return (
    <div class="table-wrap consumer-table-wrap">
      <table class="table audit-table" data-testid="audit-table">
        <TableHead columns={columns()} actions />
        <tbody>
          <For each={props.items}>
            {(r) => {
              const severity = auditSeverity(r.action, r.outcome, r.severity)
              const band = severityBand(severity)
              return (
                <>
                  <tr data-testid="audit-row" data-action={r.action} data-outcome={r.outcome}>
                    <td class="nowrap">
                      <time datetime={r.at}>{formatDateTime(r.at)}</time>
                    </td>
                    <td>
                      <span class="strong">{actionLabel(r.action)}</span>
                      <div>
                        <code class="muted small" dir="ltr">
                          {r.action}
                        </code>
                      </div>
                    </td>
                    <td>
                      <span class={`badge badge-${r.outcome === 'success' ? 'ok' : 'bad'}`}>
                        <span class="dot" aria-hidden="true" />
                        {t(`audit.outcomes.${r.outcome}`)}
                      </span>
                    </td>
                    <td>
                      <span class={`badge badge-${BAND_TONE[band]}`} title={t('audit.severityTitle', { n: severity })}>
                        <span class="num">{severity}</span> {t(`audit.bands.${band}`)}
                      </span>
                    </td>
                    <td>
                      <bdi>{r.actor ?? '—'}</bdi>
                    </td>
                    <td>
                      <code class="small" dir="ltr">
                        {r.sourceIp ?? '—'}
                      </code>
                    </td>
                    <td class="audit-target">
                      <bdi class="clamp-2">{r.target ?? '—'}</bdi>
                    </td>
                    <td class="cell-action">
                      <RowButton
                        icon={IconEye}
                        testId="audit-preview"
                        label={t('audit.previewLabel', { id: r.id })}
                        text={t('audit.preview')}
                        expanded={open() === r.id}
                        onClick={() => setOpen(open() === r.id ? undefined : r.id)}
                      />
                    </td>
                  </tr>
                  <Show when={open() === r.id}>
                    <RowPanel columns={columns().length + 1} panel>
                      <AuditPreview id={r.id} details={r.details} />
                    </RowPanel>
                  </Show>
                </>
              )
            }}
          </For>
        </tbody>
      </table>
    </div>
  )
}

const hasDetails = (d: unknown) => d !== null && d !== undefined && !(typeof d === 'object' && Object.keys(d as object).length === 0)

function AuditPreview(props: { id: number; details: unknown }) {
  const [preview] = createResource(() => props.id, auditPreview)
  return (
    <div class="audit-preview" data-testid="audit-preview-panel">
      <Show when={hasDetails(props.details)}>
        <h3>{t('audit.details')}</h3>
        <pre class="code-block" dir="ltr">
          {JSON.stringify(props.details, null, 2)}
        </pre>
      </Show>
      <FormError message={preview.error ? errorMessage(preview.error) : undefined} />
      <Show when={preview()} fallback={<Show when={!preview.error}><Loading /></Show>}>
        {(p) => (
          <>
            <h3>{t('audit.cef')}</h3>
            <pre class="code-block" dir="ltr" data-testid="audit-cef">
              {p().cef}
            </pre>
            <h3>{t('audit.syslogFrame')}</h3>
            <pre class="code-block" dir="ltr" data-testid="audit-syslog">
              {p().syslog}
            </pre>
          </>
        )}
      </Show>
    </div>
  )
}
