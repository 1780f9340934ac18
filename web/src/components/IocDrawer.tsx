import { createResource, createSignal, For, type JSX, Match, onCleanup, onMount, Show, Switch } from 'solid-js'
import { Portal } from 'solid-js/web'
import type { Ioc } from '../api/client'
import { useCampaigns } from '../data/campaigns'
import { deleteIoc, excludeIoc, getIoc, iocHistory, unexcludeIoc } from '../data/iocs'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { canModify, canWrite } from '../lib/permissions'
import { ConfirmBar } from './ConfirmBar'
import { FormError, SuccessNote } from './FormError'
import { IconBan, IconEdit, IconTrash, IconUndo, IconX } from './Icons'
import { Expiry, IocValue, SeverityBadge, StatusBadge, submitterName, TypeBadge, When } from './IocBits'
import { IocEditForm } from './IocEditForm'
import { IocHistory } from './IocHistory'
import { IocNotes } from './IocNotes'
import { Loading } from './Loading'
import { PlaybookLinks } from './PlaybookLinks'

type Panel = 'none' | 'edit' | 'exclude' | 'delete'

/** The IOC detail drawer: fields, inline edit, exclude / delete, history and notes. */
export function IocDrawer(props: { id: number; onClose: () => void; onChanged?: (ioc: Ioc) => void }) {
  const [data, { mutate }] = createResource(() => props.id, async (id) => (await getIoc(id)).ioc)
  const [history, { refetch: refetchHistory }] = createResource(() => props.id, async (id) => (await iocHistory(id)).items)
  const campaigns = useCampaigns()
  const [panel, setPanel] = createSignal<Panel>('none')
  const [reason, setReason] = createSignal('')
  const [flash, setFlash] = createSignal<string>()
  const { busy, error, setError, run } = useAction(() => setFlash(undefined))
  let closeButton: HTMLButtonElement | undefined
  let previousFocus: Element | null = null

  onMount(() => {
    previousFocus = document.activeElement
    closeButton?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onClose()
    }
    document.addEventListener('keydown', onKey)
    onCleanup(() => {
      document.removeEventListener('keydown', onKey)
      if (previousFocus instanceof HTMLElement) previousFocus.focus()
    })
  })

  const changed = (ioc: Ioc, message: string) => {
    mutate(ioc)
    setPanel('none')
    setFlash(message)
    void refetchHistory()
    props.onChanged?.(ioc)
  }

  const exclude = (ioc: Ioc) =>
    run(async () => changed((await excludeIoc(ioc.id, reason().trim() || undefined)).ioc, t('drawer.excludedDone')))
  const unexclude = (ioc: Ioc) =>
    run(async () => changed((await unexcludeIoc(ioc.id)).ioc, t('drawer.unexcludedDone')))
  const remove = (ioc: Ioc) =>
    run(async () => {
      await deleteIoc(ioc.id)
      const fresh = await getIoc(ioc.id).then((r) => r.ioc, () => ({ ...ioc, status: 'deleted' as const }))
      changed(fresh, t('drawer.deletedDone'))
    })

  const openPanel = (next: Panel) => {
    setError(undefined)
    setFlash(undefined)
    setReason('')
    setPanel((now) => (now === next ? 'none' : next))
  }

  return (
    <Portal>
      <div class="drawer-backdrop" onClick={() => props.onClose()} />
      <aside
        class="drawer glass"
        role="dialog"
        aria-modal="true"
        aria-labelledby="drawer-title"
        data-testid="ioc-drawer"
        data-id={props.id}
      >
        <div class="drawer-top">
          <h2 id="drawer-title">{t('ioc.id', { id: props.id })}</h2>
          <button
            type="button"
            class="btn btn-ghost btn-icon"
            aria-label={t('drawer.close')}
            title={t('drawer.close')}
            data-testid="drawer-close"
            ref={closeButton}
            onClick={() => props.onClose()}
          >
            <IconX size={18} />
          </button>
        </div>
        <Switch>
          <Match when={data.error}>
            <FormError message={data.error?.status === 404 ? t('drawer.notFound') : errorMessage(data.error)} />
          </Match>
          <Match when={!data() && data.loading}>
            <Loading />
          </Match>
          <Match when={data()}>
            {(ioc) => (
              <div class="drawer-body">
                <div class="drawer-headline">
                  <TypeBadge type={ioc().type} />
                  <StatusBadge status={ioc().status} />
                  <SeverityBadge severity={ioc().severity} />
                </div>
                <p class="drawer-value">
                  <IocValue value={ioc().value} testId="drawer-value" />
                </p>
                <SuccessNote message={flash()} />
                <FormError message={error() ? errorMessage(error()) : undefined} testId="drawer-error" />
                <Actions
                  ioc={ioc()}
                  panel={panel()}
                  busy={busy()}
                  onPanel={openPanel}
                  onUnexclude={() => void unexclude(ioc())}
                />
                <Show when={panel() === 'exclude'}>
                  <div class="inline-panel" data-testid="exclude-panel">
                    <label for="exclude-reason">{t('drawer.excludeReason')}</label>
                    <input
                      id="exclude-reason"
                      class="input"
                      data-testid="exclude-reason"
                      maxLength={500}
                      placeholder={t('drawer.excludeReasonPlaceholder')}
                      value={reason()}
                      onInput={(e) => setReason(e.currentTarget.value)}
                      ref={(el) => queueMicrotask(() => el.focus())}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault()
                          void exclude(ioc())
                        }
                      }}
                    />
                    <div class="button-row">
                      <button type="button" class="btn btn-primary btn-sm" data-testid="exclude-confirm" disabled={busy()} onClick={() => void exclude(ioc())}>
                        {t('drawer.excludeConfirm')}
                      </button>
                      <button type="button" class="btn btn-ghost btn-sm" onClick={() => setPanel('none')}>
                        {t('drawer.cancel')}
                      </button>
                    </div>
                  </div>
                </Show>
                <Show when={panel() === 'delete'}>
                  <ConfirmBar
                    message={t('drawer.deleteConfirm')}
                    confirmLabel={t('drawer.confirmDelete')}
                    cancelLabel={t('drawer.cancel')}
                    testId="confirm-delete"
                    busy={busy()}
                    onConfirm={() => void remove(ioc())}
                    onCancel={() => setPanel('none')}
                  />
                </Show>
                <Show
                  when={panel() === 'edit'}
                  fallback={<IocDetails ioc={ioc()} />}
                >
                  <IocEditForm
                    ioc={ioc()}
                    campaigns={(campaigns.list() ?? []).map((c) => c.name)}
                    onCancel={() => setPanel('none')}
                    onSaved={(saved) => {
                      if (saved) {
                        changed(saved, t('drawer.saved'))
                        void campaigns.refetch()
                      } else {
                        setPanel('none')
                        setFlash(t('drawer.noChanges'))
                      }
                    }}
                  />
                </Show>
                <PlaybookLinks ioc={ioc()} />
                <IocHistory items={history()} error={history.error} />
                <IocNotes ioc={ioc()} />
              </div>
            )}
          </Match>
        </Switch>
      </aside>
    </Portal>
  )
}

function Actions(props: {
  ioc: Ioc
  panel: Panel
  busy: boolean
  onPanel: (panel: Panel) => void
  onUnexclude: () => void
}) {
  const live = () => props.ioc.status !== 'deleted'
  const mine = () => canModify(user(), props.ioc)
  return (
    <Show when={live() && canWrite(user())}>
      <div class="drawer-actions button-row">
        <Show when={mine()}>
          <button type="button" class="btn btn-secondary btn-sm" data-testid="edit-button" aria-pressed={props.panel === 'edit'} onClick={() => props.onPanel('edit')}>
            <IconEdit size={16} />
            {t('drawer.edit')}
          </button>
        </Show>
        <Show
          when={props.ioc.excludedAt}
          fallback={
            <button type="button" class="btn btn-secondary btn-sm" data-testid="exclude-button" aria-expanded={props.panel === 'exclude'} onClick={() => props.onPanel('exclude')}>
              <IconBan size={16} />
              {t('drawer.exclude')}
            </button>
          }
        >
          <button type="button" class="btn btn-secondary btn-sm" data-testid="unexclude-button" disabled={props.busy} onClick={() => props.onUnexclude()}>
            <IconUndo size={16} />
            {t('drawer.unexclude')}
          </button>
        </Show>
        <Show when={mine()}>
          <button type="button" class="btn btn-danger btn-sm" data-testid="delete-button" aria-expanded={props.panel === 'delete'} onClick={() => props.onPanel('delete')}>
            <IconTrash size={16} />
            {t('drawer.delete')}
          </button>
        </Show>
      </div>
      <Show when={!mine()}>
        <p class="field-hint">{t('drawer.readOnly')}</p>
      </Show>
    </Show>
  )
}

function IocDetails(props: { ioc: Ioc }) {
  const ioc = () => props.ioc
  return (
    <section class="drawer-section" aria-label={t('drawer.details')}>
      <dl class="details compact">
        <Row label={t('fields.expiresAt')} testId="detail-expiry">
          <Expiry at={ioc().expiresAt} />
        </Row>
        <Row label={t('fields.ticket')} testId="detail-ticket">
          <span dir="ltr" class="ioc-value plain">{ioc().ticket}</span>
        </Row>
        <Row label={t('fields.campaign')} testId="detail-campaign">
          <Show when={ioc().campaign} fallback={<span class="muted">{t('ioc.none')}</span>}>
            {(c) => <a href={`/campaigns/${c().id}`}>{c().name}</a>}
          </Show>
        </Row>
        <Row label={t('fields.tags')} testId="detail-tags">
          <Show when={ioc().tags.length} fallback={<span class="muted">{t('ioc.none')}</span>}>
            <span class="tag-list">
              <For each={ioc().tags}>{(tag) => <span class="tag">{tag}</span>}</For>
            </span>
          </Show>
        </Row>
        <Row label={t('fields.confidence')} testId="detail-confidence">
          {ioc().confidence}
        </Row>
        <Row label={t('fields.severity')} testId="detail-severity">
          <SeverityBadge severity={ioc().severity} />
        </Row>
        <Row label={t('fields.comment')} testId="detail-comment">
          <Show when={ioc().comment} fallback={<span class="muted">{t('ioc.none')}</span>}>
            <span class="pre-wrap" dir="auto">{ioc().comment}</span>
          </Show>
        </Row>
        <Show when={ioc().excludedAt}>
          {(at) => (
            <Row label={t('fields.excludedAt')} testId="detail-excluded">
              <When at={at()} /> · <span dir="auto">{ioc().excludeReason || t('drawer.noReason')}</span>
            </Row>
          )}
        </Show>
        <Row label={t('fields.source')}>{isolate(ioc().source)}</Row>
        <Row label={t('ioc.createdBy')}>{submitterName(ioc())}</Row>
        <Row label={t('ioc.createdAt')}>
          <When at={ioc().createdAt} />
        </Row>
        <Row label={t('ioc.updatedAt')}>
          <When at={ioc().updatedAt} />
        </Row>
      </dl>
      <Show when={ioc().incarnation > 1}>
        <p class="field-hint">{t('ioc.incarnation', { n: ioc().incarnation })}</p>
      </Show>
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
