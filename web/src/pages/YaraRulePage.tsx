import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router'
import { createResource, createSignal, For, type JSX, Show } from 'solid-js'
import type { YaraFileFull } from '../api/client'
import { ConfirmBar } from '../components/ConfirmBar'
import { FormError, SuccessNote } from '../components/FormError'
import { IconArrowStart, IconCheck, IconDownload, IconEdit, IconTrash, IconX } from '../components/Icons'
import { When } from '../components/IocBits'
import { Loading } from '../components/Loading'
import { TableHead } from '../components/TableParts'
import { DiagnosticList, IconCode, QualityBadge, QualityBreakdown, YaraStatusBadge } from '../components/YaraBits'
import { YaraCode } from '../components/YaraCode'
import { YaraEditor } from '../components/YaraEditor'
import { YaraHistoryList } from '../components/YaraHistory'
import { YaraScanCard } from '../components/YaraScan'
import { useCampaigns } from '../data/campaigns'
import { approveYara, deleteYara, getYara, rejectYara, yaraDownloadUrl, yaraHistory } from '../data/yara'
import { t } from '../i18n'
import { isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { usePageTitle } from '../lib/title'
import { yaraErrorMessage } from '../lib/yara-errors'
import '../styles/yara.css'

type Panel = 'none' | 'edit' | 'reject' | 'delete'

export default function YaraRulePage() {
  const params = useParams()
  const [query] = useSearchParams()
  const navigate = useNavigate()
  const id = () => Number(params.id)
  const [rule, { mutate }] = createResource(id, async (key) => (await getYara(key)).rule)
  const [history, { refetch: refetchHistory }] = createResource(id, async (key) => (await yaraHistory(key)).items)
  const campaigns = useCampaigns()
  const [panel, setPanel] = createSignal<Panel>('none')
  const [reason, setReason] = createSignal('')
  const [focus, setFocus] = createSignal<{ line: number }>()
  const [flash, setFlash] = createSignal<string | undefined>(query.created ? t('yara.created') : undefined)
  const { busy, error, setError, run } = useAction(() => setFlash(undefined))
  usePageTitle(() => rule()?.filename ?? t('yara.title'))

  const changed = (next: YaraFileFull, message: string) => {
    mutate(next)
    setPanel('none')
    setFlash(message)
    void refetchHistory()
  }
  const open = (next: Panel) => {
    setError(undefined)
    setFlash(undefined)
    setReason('')
    setPanel((now) => (now === next ? 'none' : next))
  }
  const approve = () => run(async () => changed((await approveYara(id())).rule, t('yara.approved')))
  const reject = () => run(async () => changed((await rejectYara(id(), reason().trim())).rule, t('yara.rejected')))
  const remove = () =>
    run(async () => {
      await deleteYara(id())
      navigate('/yara', { replace: true })
    })

  return (
    <div class="page page-wide">
      <A href="/yara" class="back-link">
        <IconArrowStart size={16} />
        {t('yara.back')}
      </A>
      <Show when={rule.error}>
        <FormError message={rule.error?.status === 404 ? t('yara.notFound') : yaraErrorMessage(rule.error)} />
      </Show>
      <Show when={!rule() && rule.loading}>
        <Loading />
      </Show>
      <Show when={!rule.error && rule()}>
        {(r) => (
          <>
            <header class="page-header">
              <span class="page-icon" aria-hidden="true">
                <IconCode size={22} />
              </span>
              <div class="grow">
                <h1 data-testid="yara-title" dir="ltr" class="yara-title">{r().filename}</h1>
                <p class="yara-headline">
                  <YaraStatusBadge status={r().status} />
                  <QualityBadge quality={r().quality} />
                  <span class="muted small">{t('yara.version', { n: r().version })}</span>
                  <span class="muted small">{t('yara.ruleCount', { n: r().ruleNames.length })}</span>
                </p>
              </div>
              <div class="button-row header-actions">
                <Show when={r().can.review && r().status === 'pending'}>
                  <button type="button" class="btn btn-primary btn-sm" data-testid="yara-approve" disabled={busy()} onClick={() => void approve()}>
                    <IconCheck size={16} />
                    {t('yara.approve')}
                  </button>
                </Show>
                <Show when={r().can.review && r().status !== 'rejected'}>
                  <button type="button" class="btn btn-secondary btn-sm" data-testid="yara-reject" aria-expanded={panel() === 'reject'} onClick={() => open('reject')}>
                    <IconX size={16} />
                    {r().status === 'approved' ? t('yara.withdraw') : t('yara.reject')}
                  </button>
                </Show>
                <Show when={r().can.edit}>
                  <button type="button" class="btn btn-secondary btn-sm" data-testid="yara-edit" aria-pressed={panel() === 'edit'} onClick={() => open('edit')}>
                    <IconEdit size={16} />
                    {t('yara.edit')}
                  </button>
                </Show>
                <a class="btn btn-secondary btn-sm" href={yaraDownloadUrl(r().id)} download="" rel="external" data-testid="yara-download">
                  <IconDownload size={16} />
                  {t('yara.download')}
                </a>
                <Show when={r().can.delete}>
                  <button type="button" class="btn btn-danger btn-sm" data-testid="yara-delete" onClick={() => open('delete')}>
                    <IconTrash size={16} />
                    {t('yara.delete')}
                  </button>
                </Show>
              </div>
            </header>
            <Show when={!r().can.review && r().status === 'pending'}>
              <p class="field-hint" data-testid="yara-review-hint">{t('yara.waitingReview')}</p>
            </Show>
            <SuccessNote message={flash()} />
            <FormError message={error() ? yaraErrorMessage(error()) : undefined} testId="yara-error" />
            <Show when={r().status === 'rejected' && r().rejectReason}>
              <div class="alert alert-error" role="status" data-testid="yara-reject-reason">
                <span>{t('yara.rejectedBecause', { reason: isolate(r().rejectReason ?? '') })}</span>
              </div>
            </Show>
            <Show when={panel() === 'reject'}>
              <form class="inline-panel" data-testid="yara-reject-panel" onSubmit={(e) => { e.preventDefault(); void reject() }}>
                <label for="yara-reject-reason">{t('yara.rejectReason')}</label>
                <input id="yara-reject-reason" class="input" data-testid="yara-reject-input" maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
                <div class="button-row">
                  <button type="submit" class="btn btn-danger btn-sm" data-testid="yara-reject-confirm" disabled={busy() || reason().trim().length < 3}>
                    {t('yara.rejectConfirm')}
                  </button>
                  <button type="button" class="btn btn-ghost btn-sm" onClick={() => setPanel('none')}>
                    {t('yara.cancel')}
                  </button>
                </div>
              </form>
            </Show>
            <Show when={panel() === 'delete'}>
              <ConfirmBar message={t('yara.deleteConfirm', { name: isolate(r().filename) })} confirmLabel={t('yara.confirmDelete')} cancelLabel={t('yara.cancel')} testId="yara-confirm-delete" busy={busy()} onConfirm={() => void remove()} onCancel={() => setPanel('none')} />
            </Show>
            <Show when={panel() === 'edit'}>
              <section class="card glass" aria-label={t('yara.edit')}>
                <YaraEditor existing={r()} campaigns={campaigns.list() ?? []} onCancel={() => setPanel('none')} onSaved={(next) => changed(next, next.status === 'pending' && r().status !== 'pending' ? t('yara.savedPending') : t('yara.saved'))} />
              </section>
            </Show>
            <div class="yara-detail-grid">
              <div class="yara-detail-main">
                <section class="card glass" aria-labelledby="yara-source-title">
                  <h2 id="yara-source-title">{t('yara.preview')}</h2>
                  <YaraCode content={r().content} diagnostics={r().warnings} focus={focus()} testId="yara-preview" />
                </section>
                <RulesCard rule={r()} onJump={(line) => setFocus({ line })} />
                <section class="card glass" aria-labelledby="yara-findings-title">
                  <h2 id="yara-findings-title">{t('yara.findings', { n: r().warnings.length })}</h2>
                  <DiagnosticList items={r().warnings} onJump={(line) => setFocus({ line })} />
                </section>
              </div>
              <aside class="yara-detail-side">
                <section class="card glass" aria-labelledby="yara-quality-title">
                  <h2 id="yara-quality-title">{t('yara.quality.heading')}</h2>
                  <QualityBreakdown quality={r().quality} parts={r().qualityParts} />
                </section>
                <Details rule={r()} />
                <section class="card glass" aria-labelledby="yara-history-title">
                  <h2 id="yara-history-title">{t('yara.history.title')}</h2>
                  <YaraHistoryList items={history()} error={history.error} />
                </section>
              </aside>
            </div>
            <YaraScanCard ids={[r().id]} title={t('yara.scan.thisFile')} />
          </>
        )}
      </Show>
    </div>
  )
}

function RulesCard(props: { rule: YaraFileFull; onJump: (line: number) => void }) {
  return (
    <section class="card glass" aria-labelledby="yara-rules-title">
      <h2 id="yara-rules-title">{t('yara.rulesTitle', { n: props.rule.rules.length })}</h2>
      <div class="table-wrap">
        <table class="table" data-testid="yara-rules">
          <TableHead columns={[t('yara.rule'), t('yara.fields.tags'), t('yara.fields.quality'), t('yara.line')]} />
          <tbody>
            <For each={props.rule.rules}>
              {(x) => (
                <tr>
                  <td dir="ltr">
                    <span class="yara-rule-name">{x.name}</span>
                    <Show when={x.private}> <span class="badge">private</span></Show>
                    <Show when={x.global}> <span class="badge badge-warn">global</span></Show>
                  </td>
                  <td>
                    <span class="tag-list">
                      <For each={x.tags}>{(tag) => <span class="tag" dir="ltr">{tag}</span>}</For>
                    </span>
                  </td>
                  <td><QualityBadge quality={x.quality} /></td>
                  <td>
                    <button type="button" class="yara-diag-at" title={t('yara.showLine')} onClick={() => props.onJump(x.line)}>
                      {x.line}
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  )
}

function Details(props: { rule: YaraFileFull }) {
  const r = () => props.rule
  return (
    <section class="card glass" aria-labelledby="yara-details-title">
      <h2 id="yara-details-title">{t('yara.details')}</h2>
      <dl class="details compact">
        <Row label={t('yara.fields.ticket')} testId="yara-detail-ticket">{r().ticket || <span class="muted">{t('yara.none')}</span>}</Row>
        <Row label={t('yara.fields.campaign')}>
          <Show when={r().campaign} fallback={<span class="muted">{t('yara.none')}</span>}>
            {(c) => <A href={`/campaigns/${c().id}`}>{c().name}</A>}
          </Show>
        </Row>
        <Row label={t('yara.fields.tags')}>
          <Show when={r().tags.length} fallback={<span class="muted">{t('yara.none')}</span>}>
            <span class="tag-list">
              <For each={r().tags}>{(tag) => <span class="tag">{tag}</span>}</For>
            </span>
          </Show>
        </Row>
        <Row label={t('yara.fields.comment')}>
          <Show when={r().comment} fallback={<span class="muted">{t('yara.none')}</span>}>
            <span class="pre-wrap" dir="auto">{r().comment}</span>
          </Show>
        </Row>
        <Row label={t('yara.fields.imports')}>{r().imports.length ? <span dir="ltr">{r().imports.join(', ')}</span> : <span class="muted">{t('yara.none')}</span>}</Row>
        <Row label={t('yara.fields.uploadedBy')}>
          {isolate(r().createdBy.displayName)} · <When at={r().createdAt} />
        </Row>
        <Show when={r().reviewedBy}>
          {(by) => (
            <Row label={t('yara.fields.reviewedBy')}>
              {isolate(by().displayName)} · <When at={r().reviewedAt ?? r().updatedAt} />
            </Row>
          )}
        </Show>
        <Row label={t('yara.fields.size')}>
          <span dir="ltr">{r().size} B · sha256 {r().sha256.slice(0, 16)}…</span>
        </Row>
      </dl>
    </section>
  )
}

function Row(props: { label: string; testId?: string; children: JSX.Element }) {
  return (
    <div class="detail-row" data-testid={props.testId}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  )
}
