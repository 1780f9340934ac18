import { batch, createResource, createSignal, For, onCleanup, Show } from 'solid-js'
import { IOC_TYPES, type IocType } from '../../../functions/domain/ioc'
import {
  ApiFailure,
  commitImport,
  discardImport,
  getImport,
  importRows,
  listImports,
  patchImportRow,
  selectImportRows,
  stageImportFile,
  stageImportText,
  type ImportCounts,
  type ImportRow,
  type ImportRowPatch,
  type ImportStatus,
  type StagedImport,
} from '../api/client'
import { useCampaigns } from '../data/campaigns'
import { blockedText, ttlSummary, useSubmissionDefaults } from '../data/policy'
import { t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatBytes, formatDateTime } from '../i18n/format'
import { iocErrorText, typeLabel, warningTitle } from '../i18n/ioc'
import { Field } from './Field'
import { FormError } from './FormError'
import { IconCheck, IconEdit, IconSearch, IconTrash, IconUpload, IconX } from './Icons'
import { IocValue, TypeBadge, splitTags } from './IocBits'
import { Select } from './Select'
import { TextArea } from './TextArea'

const PAGE = '200'
const STATUSES: ImportStatus[] = ['new', 'warning', 'duplicate', 'allowlisted', 'invalid']
const TTLS = ['1w', '1m', '3m', '1y', 'permanent'] as const
const MAX_BYTES = 50 * 1024 * 1024

type Phase = { kind: 'idle' } | { kind: 'uploading'; fraction: number } | { kind: 'analysing' } | { kind: 'committing'; started: number }

const STATUS_TONE: Record<ImportStatus, string> = {
  new: 'badge-ok',
  warning: 'badge-warn',
  duplicate: 'badge-info',
  allowlisted: 'badge-info',
  invalid: 'badge-bad',
}

/** Why a row has its status, in the user's language (parser details stay in English, isolated). */
function rowReason(r: ImportRow): string {
  if (r.status === 'invalid' && r.error) {
    // A critical sanity hit the sanity mode refuses to this user (the English reason says whether to everyone).
    if (r.error.code === 'critical_blocked') return blockedText(r.error.part, /nobody may confirm it/.test(r.error.message), 'row')
    if (!r.error.field || r.error.field === 'value') return iocErrorText(r.error)
    return t('bulk.reason.field', { field: tryT(`bulk.fields.${r.error.field}`) ?? r.error.field, detail: r.error.message })
  }
  if (r.status === 'duplicate') {
    return r.dupIocId ? t('bulk.reason.dupIoc', { id: r.dupIocId }) : t('bulk.reason.dupLine', { line: r.dupOfLine ?? 0 })
  }
  if (r.status === 'allowlisted' && r.allowlist) return t('bulk.reason.allowlisted', { value: r.allowlist.value, reason: r.allowlist.reason })
  const notes = r.warnings.map((w) => warningTitle(w.code))
  if (r.listed) notes.push(t('bulk.reason.listed', { list: r.listed.list }))
  return notes.join(' · ')
}

function ttlLabel(ttl: string) {
  return (tryT(`bulk.ttl.${ttl}`) ?? '')
}

/** One editable preview row. */
function RowEditor(props: { row: ImportRow; onSave: (patch: ImportRowPatch) => Promise<void>; onCancel: () => void }) {
  const m = props.row.meta
  const [value, setValue] = createSignal(props.row.value ?? props.row.raw)
  const [type, setType] = createSignal<string>(props.row.type ?? '')
  const [ticket, setTicket] = createSignal(m.ticket ?? '')
  const [campaign, setCampaign] = createSignal(m.campaign ?? '')
  const [tags, setTags] = createSignal((m.tags ?? []).join(', '))
  const [ttl, setTtl] = createSignal(m.ttl ?? '')
  const [comment, setComment] = createSignal(m.comment ?? '')
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const save = async (e: SubmitEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    const patch: ImportRowPatch = {}
    if (value() !== (props.row.value ?? props.row.raw) || type() !== (props.row.type ?? '')) {
      patch.value = value()
      patch.type = (type() || null) as IocType | null
    }
    if (ticket() !== (m.ticket ?? '')) patch.ticket = ticket().trim() || null
    if (campaign() !== (m.campaign ?? '')) patch.campaign = campaign().trim() || null
    if (tags() !== (m.tags ?? []).join(', ')) patch.tags = splitTags(tags()).length ? splitTags(tags()) : null
    if (ttl() !== (m.ttl ?? '')) patch.ttl = (ttl() || null) as ImportRowPatch['ttl']
    if (comment() !== (m.comment ?? '')) patch.comment = comment() || null
    try {
      await props.onSave(patch)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="bulk-edit form" onSubmit={save} data-testid="bulk-row-editor">
      <FormError message={error()} />
      <div class="field-row">
        <Field id="bulk-edit-value" data-testid="bulk-edit-value" class="mono-input" dir="ltr" label={t('bulk.columns.value')} value={value()} onValue={setValue} />
        <Select
          id="bulk-edit-type"
          label={t('submit.type')}
          value={type()}
          onValue={setType}
          options={[['', t('submit.typeAuto')], ...IOC_TYPES.map((ty): [string, string] => [ty, typeLabel(ty)])]}
        />
      </div>
      <div class="field-row">
        <Field id="bulk-edit-ticket" label={t('submit.ticket')} value={ticket()} onValue={setTicket} maxLength={64} />
        <Field id="bulk-edit-campaign" label={t('submit.campaign')} value={campaign()} onValue={setCampaign} maxLength={100} list="bulk-campaigns" />
        <Select id="bulk-edit-ttl" label={t('submit.lifetime')} value={ttl()} onValue={setTtl} options={[['', t('bulk.ttlBatch')], ...TTLS.map((x): [string, string] => [x, ttlLabel(x)])]} />
      </div>
      <div class="field-row">
        <Field id="bulk-edit-tags" label={t('submit.tags')} value={tags()} onValue={setTags} hint={t('submit.tagsHint')} />
        <TextArea id="bulk-edit-comment" label={t('submit.comment')} rows={1} maxLength={2000} value={comment()} onValue={setComment} />
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t('bulk.cancel')}
        </button>
        <button type="submit" class="btn btn-primary" data-testid="bulk-edit-save" disabled={busy()}>
          <IconCheck size={16} />
          {busy() ? t('bulk.saving') : t('bulk.saveRow')}
        </button>
      </div>
    </form>
  )
}

/**
 * Bulk import: upload a CSV/TXT file or paste text, review every staged row (status and reason,
 * edit, select), set batch-level values, commit all at once. `batch`: open this staged batch
 * for review on arrival (the MISP screen links its held indicators here).
 */
export function BulkImport(props: { batch?: number } = {}) {
  const campaigns = useCampaigns()
  const defaults = useSubmissionDefaults()
  const [phase, setPhase] = createSignal<Phase>({ kind: 'idle' })
  const [file, setFile] = createSignal<File>()
  const [text, setText] = createSignal('')
  const [format, setFormat] = createSignal('')
  const [error, setError] = createSignal<string>()
  const [staged, setStaged] = createSignal<StagedImport>()
  const [counts, setCounts] = createSignal<ImportCounts>()
  const [rows, setRows] = createSignal<ImportRow[]>([])
  const [cursor, setCursor] = createSignal<number | null>(null)
  const [filter, setFilter] = createSignal<ImportStatus | ''>('')
  const [editing, setEditing] = createSignal<number>()
  const [ttl, setTtl] = createSignal('')
  const [campaign, setCampaign] = createSignal('')
  const [ticket, setTicket] = createSignal('')
  const [result, setResult] = createSignal<{ created: number; skipped: number; ticket?: string }>()
  const [dragging, setDragging] = createSignal(false)
  const [now, setNow] = createSignal(Date.now())
  const timer = setInterval(() => setNow(Date.now()), 500)
  onCleanup(() => clearInterval(timer))
  let fileInput: HTMLInputElement | undefined
  const [batches, { refetch: refetchBatches }] = createResource(() => listImports().then((r) => r.items).catch(() => []))

  const busy = () => phase().kind !== 'idle'

  const chooseFile = (f: File | undefined) => {
    setError(undefined)
    if (f && f.size > MAX_BYTES) {
      setError(t('bulk.tooLarge', { size: formatBytes(f.size), max: formatBytes(MAX_BYTES) }))
      return
    }
    setFile(f)
  }

  async function stage(e: SubmitEvent) {
    e.preventDefault()
    setError(undefined)
    setResult(undefined)
    const f = file()
    if (!f && !text().trim()) return setError(t('bulk.nothing'))
    try {
      let res: StagedImport
      if (f) {
        setPhase({ kind: 'uploading', fraction: 0 })
        res = await stageImportFile(f, format(), (fraction) => setPhase(fraction >= 1 ? { kind: 'analysing' } : { kind: 'uploading', fraction }))
      } else {
        setPhase({ kind: 'analysing' })
        res = await stageImportText(text(), (format() || undefined) as 'csv' | 'txt' | 'text' | 'stix' | undefined)
      }
      batch(() => {
        setStaged(res)
        setCounts(res.counts)
        setRows(res.rows)
        setCursor(res.nextCursor)
        setFilter('')
        setTtl(res.batch.options.ttl ?? '')
        setCampaign(res.batch.options.campaign ?? '')
        setTicket(res.batch.options.ticket ?? '')
      })
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 413 ? t('bulk.tooLarge', { size: formatBytes(file()?.size ?? 0), max: formatBytes(MAX_BYTES) }) : errorMessage(err))
    } finally {
      setPhase({ kind: 'idle' })
    }
  }

  if (props.batch) void resume(props.batch)

  /** Opens a batch staged earlier (or by `moat import ziochub`) for review. */
  async function resume(id: number) {
    setError(undefined)
    setResult(undefined)
    try {
      const [{ batch: b, counts: c }, page] = await Promise.all([getImport(id), importRows(id, { limit: PAGE })])
      batch(() => {
        setStaged({ id, batch: b, counts: c, rows: page.items, nextCursor: page.nextCursor })
        setCounts(c)
        setRows(page.items)
        setCursor(page.nextCursor)
        setFilter('')
        setTtl(b.options.ttl ?? '')
        setCampaign(b.options.campaign ?? '')
        setTicket(b.options.ticket ?? '')
      })
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  async function load(append: boolean) {
    const s = staged()
    if (!s) return
    try {
      const page = await importRows(s.id, { status: filter() || undefined, limit: PAGE, cursor: append ? String(cursor()) : undefined })
      batch(() => {
        setRows((old) => (append ? [...old, ...page.items] : page.items))
        setCursor(page.nextCursor)
      })
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const applyFilter = (status: ImportStatus | '') => {
    setFilter(status)
    setEditing(undefined)
    void load(false)
  }

  const replaceRow = (row: ImportRow, next: ImportCounts) =>
    batch(() => {
      setRows((old) => old.map((r) => (r.idx === row.idx ? row : r)))
      setCounts(next)
    })

  async function toggle(row: ImportRow, selected: boolean) {
    setError(undefined)
    try {
      const res = await patchImportRow(staged()!.id, row.idx, { selected })
      replaceRow(res.row, res.counts)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  async function saveRow(row: ImportRow, patch: ImportRowPatch) {
    const res = await patchImportRow(staged()!.id, row.idx, patch)
    replaceRow(res.row, res.counts)
    setEditing(undefined)
  }

  async function selectAll(statuses: ('new' | 'warning')[], selected: boolean) {
    setError(undefined)
    try {
      const res = await selectImportRows(staged()!.id, statuses, selected)
      setCounts(res.counts)
      await load(false)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  async function commit() {
    const s = staged()
    if (!s) return
    setError(undefined)
    setPhase({ kind: 'committing', started: Date.now() })
    try {
      const res = await commitImport(s.id, { ttl: (ttl() || null) as ImportRowPatch['ttl'], campaign: campaign().trim() || null, ticket: ticket().trim() || null })
      batch(() => {
        setResult({ created: res.created, skipped: res.skipped, ticket: ticket().trim() || undefined })
        setStaged(undefined)
        setRows([])
        setFile(undefined)
        setText('')
      })
      if (campaign().trim()) void campaigns.refetch()
      void refetchBatches()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setPhase({ kind: 'idle' })
    }
  }

  async function discard() {
    const s = staged()
    if (!s) return
    try {
      await discardImport(s.id)
    } catch (err) {
      if (!(err instanceof ApiFailure && err.status === 409)) return setError(errorMessage(err))
    }
    batch(() => {
      setStaged(undefined)
      setRows([])
    })
    void refetchBatches()
  }

  const Progress = () => (
    <Show when={phase().kind !== 'idle'}>
      <div class="bulk-progress" role="status" aria-live="polite" data-testid="bulk-progress">
        <Show
          when={phase().kind === 'uploading'}
          fallback={
            <>
              <div class="progress progress-indeterminate" aria-hidden="true">
                <span />
              </div>
              <span>
                {phase().kind === 'committing'
                  ? t('bulk.committing', { n: counts()?.selected ?? 0, s: Math.round((now() - (phase() as { started: number }).started) / 1000) })
                  : t('bulk.analysing')}
              </span>
            </>
          }
        >
          <progress class="progress" max="1" value={(phase() as { fraction: number }).fraction} />
          <span>{t('bulk.uploading', { pct: Math.round((phase() as { fraction: number }).fraction * 100) })}</span>
        </Show>
      </div>
    </Show>
  )

  return (
    <div class="stack bulk" data-testid="bulk-import">
      <datalist id="bulk-campaigns">
        <For each={campaigns.list() ?? []}>{(c) => <option value={c.name} />}</For>
      </datalist>
      <Show when={result()}>
        {(r) => (
          <div class="alert alert-success" role="status" data-testid="bulk-result">
            <strong>{t('bulk.doneTitle')}</strong> {t('bulk.doneBody', { created: r().created, skipped: r().skipped })}{' '}
            <a href={r().ticket ? `/search?ticket=${encodeURIComponent(r().ticket!)}` : '/search?sort=newest'}>{t('result.openInSearch')}</a>
          </div>
        )}
      </Show>
      <Show when={!staged()}>
        <form class="card glass form" onSubmit={stage} novalidate>
          <FormError message={error()} />
          <div
            class="dropzone"
            classList={{ dragging: dragging() }}
            data-testid="bulk-dropzone"
            onDragOver={(e) => {
              e.preventDefault()
              setDragging(true)
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault()
              setDragging(false)
              chooseFile(e.dataTransfer?.files[0])
            }}
          >
            <IconUpload size={28} />
            <p>{t('bulk.dropHint')}</p>
            <input
              ref={fileInput}
              type="file"
              id="bulk-file"
              data-testid="bulk-file"
              accept=".csv,.tsv,.txt,.json,text/plain,text/csv,application/json"
              class="visually-hidden"
              onChange={(e) => chooseFile(e.currentTarget.files?.[0])}
            />
            <button type="button" class="btn btn-secondary" onClick={() => fileInput?.click()}>
              {t('bulk.chooseFile')}
            </button>
            <Show when={file()}>
              {(f) => (
                <p class="dropzone-file" data-testid="bulk-file-name">
                  <span dir="ltr">{f().name}</span> · {formatBytes(f().size)}{' '}
                  <button type="button" class="btn btn-ghost btn-sm" aria-label={t('bulk.removeFile')} onClick={() => setFile(undefined)}>
                    <IconX size={14} />
                  </button>
                </p>
              )}
            </Show>
          </div>
          <Show when={!file()}>
            <TextArea id="bulk-text" data-testid="bulk-text" label={t('bulk.pasteLabel')} rows={8} value={text()} onValue={setText} hint={t('bulk.pasteHint')} />
          </Show>
          <div class="field-row">
            <Select
              id="bulk-format"
              testId="bulk-format"
              label={t('bulk.format')}
              value={format()}
              onValue={setFormat}
              options={[['', t('bulk.formats.auto')], ['csv', t('bulk.formats.csv')], ['txt', t('bulk.formats.txt')], ['text', t('bulk.formats.text')], ['stix', t('bulk.formats.stix')]]}
            />
          </div>
          <details class="bulk-grammar">
            <summary>{t('bulk.grammarTitle')}</summary>
            <pre dir="ltr">{'# ticket: INC-123\n# campaign: Operation X\n# ttl: 1m   (1w, 1m, 3m, 1y, permanent)\n# tags: phishing, finance\n# comment: from the vendor report\nevil[.]example\n203.0.113.7 # inline comment'}</pre>
            <p>{t('bulk.grammarCsv')}</p>
          </details>
          <Progress />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" data-testid="bulk-stage" disabled={busy() || (!file() && !text().trim())}>
              <IconSearch size={18} />
              {t('bulk.preview')}
            </button>
          </div>
        </form>
        <Show when={(batches() ?? []).length}>
          <section class="card glass" aria-labelledby="bulk-batches-title">
            <h2 id="bulk-batches-title">{t('bulk.recent')}</h2>
            <div class="table-wrap">
              <table class="table bulk-batches" data-testid="bulk-batches">
                <thead>
                  <tr>
                    <th scope="col">{t('bulk.batchCols.when')}</th>
                    <th scope="col">{t('bulk.batchCols.source')}</th>
                    <th scope="col" class="num">{t('bulk.batchCols.rows')}</th>
                    <th scope="col">{t('bulk.batchCols.status')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('search.columns.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={batches()}>
                    {(b) => (
                      <tr data-testid="bulk-batch" data-status={b.status}>
                        <td>{formatDateTime(b.createdAt)}</td>
                        <td>
                          <span dir="ltr">{b.filename ?? tryT(`bulk.sources.${b.source}`) ?? b.source}</span>
                        </td>
                        <td class="num">{b.rowCount}</td>
                        <td>
                          {tryT(`bulk.batchStatus.${b.status}`) ?? b.status}
                          <Show when={b.result}>{(r) => <span class="muted"> · {t('bulk.createdN', { n: r().created })}</span>}</Show>
                        </td>
                        <td>
                          <Show when={b.status === 'staged'}>
                            <button type="button" class="btn btn-ghost btn-sm" data-testid="bulk-batch-resume" onClick={() => void resume(b.id)}>
                              <IconEdit size={16} />
                              {t('bulk.review')}
                            </button>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </section>
        </Show>
      </Show>
      <Show when={staged()}>
        {(s) => (
          <section class="card glass" aria-labelledby="bulk-preview-title" data-testid="bulk-preview">
            <div class="card-header">
              <h2 id="bulk-preview-title">
                {t('bulk.previewTitle')} <span class="muted" dir="ltr">{s().batch.filename ?? ''}</span>
              </h2>
              <span class="muted">{t('bulk.formatDetected', { format: (tryT(`bulk.formats.${s().batch.format}`) ?? '') })}</span>
            </div>
            <FormError message={error()} />
            <Show when={s().batch.notes.length}>
              <details class="bulk-notes">
                <summary>{t('bulk.notes', { n: s().batch.notes.length })}</summary>
                <ul dir="ltr">
                  <For each={s().batch.notes.slice(0, 50)}>{(n) => <li>{n}</li>}</For>
                </ul>
              </details>
            </Show>
            <div class="chip-row" role="group" aria-label={t('bulk.filterLabel')}>
              <button type="button" class="chip" classList={{ active: filter() === '' }} aria-pressed={filter() === ''} onClick={() => applyFilter('')}>
                {t('bulk.all')} <b>{counts()?.total ?? 0}</b>
              </button>
              <For each={STATUSES}>
                {(st) => (
                  <button
                    type="button"
                    class={`chip chip-${st}`}
                    classList={{ active: filter() === st }}
                    aria-pressed={filter() === st}
                    data-testid={`bulk-count-${st}`}
                    onClick={() => applyFilter(st)}
                  >
                    {(tryT(`bulk.status.${st}`) ?? '')} <b>{counts()?.[st] ?? 0}</b>
                  </button>
                )}
              </For>
            </div>
            <div class="bulk-toolbar">
              <button type="button" class="btn btn-ghost btn-sm" data-testid="bulk-select-new" onClick={() => void selectAll(['new'], true)}>
                {t('bulk.selectNew')}
              </button>
              <button type="button" class="btn btn-ghost btn-sm" data-testid="bulk-select-warnings" onClick={() => void selectAll(['warning'], true)}>
                {t('bulk.selectWarnings')}
              </button>
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => void selectAll(['new', 'warning'], false)}>
                {t('bulk.selectNone')}
              </button>
            </div>
            <div class="table-wrap">
              <table class="table bulk-table" data-testid="bulk-table">
                <thead>
                  <tr>
                    <th scope="col">
                      <span class="visually-hidden">{t('bulk.columns.selected')}</span>
                    </th>
                    <th scope="col" class="num">{t('bulk.columns.line')}</th>
                    <th scope="col">{t('bulk.columns.raw')}</th>
                    <th scope="col">{t('bulk.columns.type')}</th>
                    <th scope="col">{t('bulk.columns.value')}</th>
                    <th scope="col">{t('bulk.columns.status')}</th>
                    <th scope="col">{t('bulk.columns.meta')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('search.columns.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(row) => (
                      <>
                        <tr data-testid="bulk-row" data-line={row.line} data-status={row.status} classList={{ deselected: !row.selected }}>
                          <td>
                            <input
                              type="checkbox"
                              data-testid="bulk-row-select"
                              aria-label={t('bulk.selectRow', { line: row.line })}
                              checked={row.selected}
                              disabled={row.status !== 'new' && row.status !== 'warning'}
                              onChange={(e) => void toggle(row, e.currentTarget.checked)}
                            />
                          </td>
                          <td class="num">{row.line}</td>
                          <td class="bulk-raw" dir="ltr" title={row.raw}>
                            {row.raw}
                          </td>
                          <td>
                            <Show when={row.type} fallback={<span class="muted">—</span>}>
                              <TypeBadge type={row.type!} />
                            </Show>
                          </td>
                          <td>
                            <Show when={row.value} fallback={<span class="muted">—</span>}>
                              <IocValue value={row.value!} testId="bulk-row-value" />
                            </Show>
                          </td>
                          <td>
                            <span class={`badge ${STATUS_TONE[row.status]}`} data-testid="bulk-row-status">
                              <span class="dot" aria-hidden="true" />
                              {(tryT(`bulk.status.${row.status}`) ?? '')}
                            </span>
                            <Show when={row.status !== 'new' || row.warnings.length}>
                              <div class="bulk-reason" data-testid="bulk-row-reason">
                                {rowReason(row)}
                              </div>
                            </Show>
                          </td>
                          <td class="bulk-meta">
                            <Show when={row.meta.ticket}>
                              <span class="tag" dir="ltr">{row.meta.ticket}</span>
                            </Show>
                            <Show when={row.meta.campaign}>
                              <span class="tag">{row.meta.campaign}</span>
                            </Show>
                            <Show when={row.meta.ttl}>
                              <span class="tag">{ttlLabel(row.meta.ttl!)}</span>
                            </Show>
                            <For each={row.meta.tags ?? []}>{(tag) => <span class="tag">#{tag}</span>}</For>
                            <Show when={row.meta.comment}>
                              <span class="bulk-comment">{row.meta.comment}</span>
                            </Show>
                          </td>
                          <td>
                            <button
                              type="button"
                              class="btn btn-ghost btn-sm"
                              data-testid="bulk-row-edit"
                              aria-label={t('bulk.editRow', { line: row.line })}
                              aria-expanded={editing() === row.idx}
                              onClick={() => setEditing(editing() === row.idx ? undefined : row.idx)}
                            >
                              <IconEdit size={16} />
                              {t('bulk.edit')}
                            </button>
                          </td>
                        </tr>
                        <Show when={editing() === row.idx}>
                          <tr class="confirm-row">
                            <td colSpan={8}>
                              <RowEditor row={row} onSave={(patch) => saveRow(row, patch)} onCancel={() => setEditing(undefined)} />
                            </td>
                          </tr>
                        </Show>
                      </>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Show when={cursor() !== null}>
              <div class="form-actions">
                <button type="button" class="btn btn-secondary" data-testid="bulk-more" onClick={() => void load(true)}>
                  {t('bulk.more', { shown: rows().length })}
                </button>
              </div>
            </Show>
            <h3 class="form-section">{t('bulk.batchTitle')}</h3>
            <p class="muted">{t('bulk.batchHint')}</p>
            <div class="field-row">
              <Select
                id="bulk-ttl"
                testId="bulk-ttl"
                label={t('submit.lifetime')}
                value={ttl()}
                onValue={setTtl}
                options={[['', t('policy.bulkDefault')], ...TTLS.map((x): [string, string] => [x, ttlLabel(x)])]}
                hint={!ttl() && defaults() ? t('policy.bulkDefaultHint', { list: ttlSummary(defaults()!) }) : undefined}
              />
              <Field id="bulk-campaign" data-testid="bulk-campaign" label={t('submit.campaign')} value={campaign()} onValue={setCampaign} list="bulk-campaigns" maxLength={100} hint={t('submit.campaignHint')} />
              <Field id="bulk-ticket" data-testid="bulk-ticket" label={t('submit.ticket')} value={ticket()} onValue={setTicket} maxLength={64} placeholder={t('submit.ticketPlaceholder')} />
            </div>
            <Progress />
            <div class="form-actions">
              <button type="button" class="btn btn-ghost" data-testid="bulk-discard" disabled={busy()} onClick={() => void discard()}>
                <IconTrash size={16} />
                {t('bulk.discard')}
              </button>
              <button type="button" class="btn btn-primary" data-testid="bulk-commit" disabled={busy() || !counts()?.selected} onClick={() => void commit()}>
                <IconUpload size={18} />
                {t('bulk.commit', { n: counts()?.selected ?? 0 })}
              </button>
            </div>
          </section>
        )}
      </Show>
    </div>
  )
}
