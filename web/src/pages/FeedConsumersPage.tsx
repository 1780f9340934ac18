import { A } from '@solidjs/router'
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js'
import type { FieldIssue } from '../../../schema/contracts/common'
import { ApiFailure, type FeedConsumer } from '../api/client'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconAlert, IconCheck, IconCopy, IconEdit, IconKey, IconPlus, IconRotate, IconRouter, IconTrash } from '../components/Icons'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { ResourceList } from '../components/ResourceList'
import { ConfirmRow, RowButton, RowPanel, RowSwitch, TableHead } from '../components/TableParts'
import { TextArea } from '../components/TextArea'
import {
  createFeedConsumer,
  deleteFeedConsumer,
  feedCatalogue,
  listFeedConsumers,
  patchFeedConsumer,
  rotateFeedConsumer,
} from '../data/feeds'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage, type FormErrors, fieldLabel, fieldMessage } from '../i18n/errors'
import { formatDateTime, formatRelative, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { copyText, isStale, joinList, splitList, statusTone } from '../lib/feeds'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const FORM_FIELDS = ['name', 'description', 'allowedFeeds', 'allowedSources'] as const
type FormField = (typeof FORM_FIELDS)[number]

interface Draft {
  name: string
  description: string
  allowedFeeds: string
  allowedSources: string
}

const emptyDraft = (): Draft => ({ name: '', description: '', allowedFeeds: '', allowedSources: '' })

const draftOf = (c: FeedConsumer): Draft => ({
  name: c.name,
  description: c.description,
  allowedFeeds: joinList(c.allowedFeeds),
  allowedSources: joinList(c.allowedSources),
})

const payloadOf = (d: Draft) => ({
  name: d.name.trim(),
  description: d.description.trim(),
  allowedFeeds: splitList(d.allowedFeeds),
  allowedSources: splitList(d.allowedSources),
})

/**
 * Field errors for the consumer forms: `allowedSources.2` goes next to the sources box and names
 * the offending entry; a taken name gets the consumer wording.
 */
function consumerErrors(err: unknown, sent: ReturnType<typeof payloadOf>): FormErrors {
  const issues = err instanceof ApiFailure ? err.fields : []
  if (!issues.length) return { form: errorMessage(err), fields: {} }
  const fields: Record<string, string> = {}
  const stray: FieldIssue[] = []
  for (const issue of issues) {
    const [root, index] = issue.field.split('.') as [string, string | undefined]
    if (!(FORM_FIELDS as readonly string[]).includes(root)) {
      stray.push(issue)
      continue
    }
    let message =
      root === 'name' && issue.code === 'duplicate' ? t('feedConsumers.nameTaken') : fieldMessage(issue)
    if (index !== undefined && /^\d+$/.test(index)) {
      const list = sent[root as 'allowedFeeds' | 'allowedSources']
      const value = Array.isArray(list) ? list[Number(index)] : undefined
      if (value) message = t('feedConsumers.entryError', { value: isolate(value), message })
    }
    fields[root] ??= message
  }
  const form = stray.length
    ? stray
        .map((issue) =>
          t('validation.withField', { field: fieldLabel(issue.field), message: fieldMessage(issue) }),
        )
        .join(' ')
    : t('errors.validation_failed')
  return { form, fields }
}

interface ShownToken {
  consumer: FeedConsumer
  token: string
  rotated: boolean
}

export default function FeedConsumersPage() {
  usePageTitle(() => t('feedConsumers.title'))
  return (
    <div class="page page-wide">
      <PageHeader
        icon={IconRouter}
        title={t('feedConsumers.title')}
        subtitle={t('feedConsumers.subtitle')}
      />
      <AdminOnly when={isAdmin(user())} message={t('feedConsumers.adminOnly')}>
        <ConsumersSection />
      </AdminOnly>
    </div>
  )
}

function ConsumersSection() {
  const [consumers, { refetch, mutate }] = createResource(async () => (await listFeedConsumers()).items)
  // Settings for the access banner and the grace period the rotate confirmation quotes.
  const [catalogue] = createResource(feedCatalogue)
  const [shown, setShown] = createSignal<ShownToken>()
  const [flash, setFlash] = createSignal<string>()
  const [now, setNow] = createSignal(Date.now())
  const tick = setInterval(() => setNow(Date.now()), 30_000)
  onCleanup(() => clearInterval(tick))

  const replace = (next: FeedConsumer) =>
    mutate((old) => old?.map((c) => (c.id === next.id ? next : c)))

  const showToken = (value: ShownToken) => {
    setFlash(undefined)
    setShown(value)
    queueMicrotask(() =>
      document.getElementById('consumer-token-box')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }),
    )
  }

  return (
    <>
      <Show when={catalogue()?.settings.access}>
        {(access) => (
          <div
            class={`alert ${access() === 'token' ? 'alert-success' : 'alert-info'} consumer-access`}
            role="note"
            data-testid="consumer-access-mode"
            data-access={access()}
          >
            <IconKey size={18} />
            <span class="grow">
              {access() === 'token' ? t('feedConsumers.accessToken') : t('feedConsumers.accessPublic')}
            </span>
            <A href="/feeds" class="btn btn-ghost btn-sm">
              {t('feedConsumers.changeAccess')}
            </A>
          </div>
        )}
      </Show>
      <Show when={shown()}>
        {(value) => <TokenBox shown={value()} onDismiss={() => setShown(undefined)} />}
      </Show>
      <CreateForm
        onEdit={() => setFlash(undefined)}
        onCreated={(consumer, token) => {
          showToken({ consumer, token, rotated: false })
          void refetch()
        }}
      />
      <section class="card glass" aria-labelledby="consumers-title">
        <h2 id="consumers-title">{t('feedConsumers.list')}</h2>
        <SuccessNote message={flash()} />
        <ResourceList resource={consumers} empty={t('feedConsumers.empty')}>
          {(items) => (
            <ConsumerTable
              items={items()}
              now={now()}
              graceHours={catalogue()?.settings.tokenGraceHours ?? 24}
              onChanged={(c, message) => {
                replace(c)
                setFlash(message)
              }}
              onRotated={(consumer, token) => {
                replace(consumer)
                showToken({ consumer, token, rotated: true })
              }}
              onDeleted={(c) => {
                mutate((old) => old?.filter((x) => x.id !== c.id))
                if (shown()?.consumer.id === c.id) setShown(undefined)
                setFlash(t('feedConsumers.deleted', { name: isolate(c.name) }))
              }}
            />
          )}
        </ResourceList>
      </section>
    </>
  )
}

function TokenBox(props: { shown: ShownToken; onDismiss: () => void }) {
  const [copied, setCopied] = createSignal<'copied' | 'selected'>()
  let codeEl: HTMLElement | undefined
  const name = () => isolate(props.shown.consumer.name)
  const copy = async () => setCopied(await copyText(props.shown.token, codeEl))
  return (
    <section
      id="consumer-token-box"
      class="card glass token-box"
      role="alert"
      aria-labelledby="consumer-token-title"
      data-testid="consumer-token-box"
    >
      <h2 id="consumer-token-title">
        {props.shown.rotated
          ? t('feedConsumers.tokenTitleRotated', { name: name() })
          : t('feedConsumers.tokenTitleCreated', { name: name() })}
      </h2>
      <p class="token-warning">
        <IconAlert size={18} />
        <strong>{t('feedConsumers.tokenOnce')}</strong>
      </p>
      <div class="token-line">
        <code class="token-value" dir="ltr" data-testid="consumer-token" ref={codeEl}>
          {props.shown.token}
        </code>
        <button type="button" class="btn btn-primary btn-sm" data-testid="consumer-token-copy" onClick={() => void copy()}>
          <Show when={copied() === 'copied'} fallback={<IconCopy size={16} />}>
            <IconCheck size={16} />
          </Show>
          <span aria-live="polite">
            {copied() === 'copied'
              ? t('feedConsumers.copied')
              : copied() === 'selected'
                ? t('feedConsumers.selected')
                : t('feedConsumers.copyToken')}
          </span>
        </button>
      </div>
      <p class="small muted">{t('feedConsumers.tokenUse')}</p>
      <Show when={props.shown.rotated && props.shown.consumer.previousTokenUntil}>
        {(until) => (
          <p class="small" data-testid="consumer-token-grace">
            {t('feedConsumers.tokenGrace', { when: formatDateTime(until()) })}
          </p>
        )}
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-secondary btn-sm" data-testid="consumer-token-dismiss" onClick={() => props.onDismiss()}>
          {t('feedConsumers.dismiss')}
        </button>
      </div>
    </section>
  )
}

/** Name, description and the two list boxes; shared by the create form and the inline editor. */
function ConsumerFields(props: {
  prefix: string
  draft: Draft
  onDraft: (next: Draft) => void
  errors?: FormErrors
  /** data-testid prefix: `consumer` on the create form, `consumer-edit` inline. */
  testIds: string
}) {
  const set = (key: FormField, value: string) => props.onDraft({ ...props.draft, [key]: value })
  const id = (key: string) => `${props.prefix}-${key}`
  const testId = (key: string) => `${props.testIds}-${key}`
  return (
    <div class="consumer-fields">
      <Field
        id={id('name')}
        data-testid={testId('name')}
        label={t('feedConsumers.name')}
        placeholder={t('feedConsumers.namePlaceholder')}
        value={props.draft.name}
        onValue={(v) => set('name', v)}
        error={props.errors?.fields.name}
        maxLength={100}
        autocomplete="off"
        dir="auto"
        required
      />
      <Field
        id={id('description')}
        data-testid={testId('description')}
        label={t('feedConsumers.description')}
        value={props.draft.description}
        onValue={(v) => set('description', v)}
        error={props.errors?.fields.description}
        maxLength={500}
        dir="auto"
      />
      <TextArea
        id={id('feeds')}
        data-testid={testId('feeds')}
        label={t('feedConsumers.allowedFeeds')}
        hint={t('feedConsumers.allowedFeedsHint')}
        placeholder={'/feed/pa/*\n/feed/cp/ip'}
        value={props.draft.allowedFeeds}
        onValue={(v) => set('allowedFeeds', v)}
        error={props.errors?.fields.allowedFeeds}
        class="mono-input ltr-placeholder"
        dir="ltr"
        rows={3}
        spellcheck={false}
        autocomplete="off"
      />
      <TextArea
        id={id('sources')}
        data-testid={testId('sources')}
        label={t('feedConsumers.allowedSources')}
        hint={t('feedConsumers.allowedSourcesHint')}
        placeholder={'10.1.0.0/16\n192.0.2.10'}
        value={props.draft.allowedSources}
        onValue={(v) => set('allowedSources', v)}
        error={props.errors?.fields.allowedSources}
        class="mono-input ltr-placeholder"
        dir="ltr"
        rows={3}
        spellcheck={false}
        autocomplete="off"
      />
    </div>
  )
}

function CreateForm(props: { onCreated: (c: FeedConsumer, token: string) => void; onEdit: () => void }) {
  const [draft, setDraft] = createSignal(emptyDraft())
  const [busy, setBusy] = createSignal(false)
  const [errors, setErrors] = createSignal<FormErrors>()

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    const sent = payloadOf(draft())
    setErrors(undefined)
    props.onEdit()
    if (!sent.name) {
      setErrors({ form: t('errors.validation_failed'), fields: { name: t('validation.required') } })
      return
    }
    setBusy(true)
    try {
      const res = await createFeedConsumer(sent)
      setDraft(emptyDraft())
      props.onCreated(res.consumer, res.token)
    } catch (err) {
      setErrors(consumerErrors(err, sent))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="consumer-new-title">
      <h2 id="consumer-new-title">{t('feedConsumers.newTitle')}</h2>
      <FormError message={errors()?.form} testId="consumer-error" />
      <ConsumerFields prefix="consumer-new" draft={draft()} onDraft={setDraft} errors={errors()} testIds="consumer" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="consumer-create" disabled={busy()}>
          <IconPlus size={18} />
          {busy() ? t('feedConsumers.creating') : t('feedConsumers.create')}
        </button>
      </div>
    </form>
  )
}

type Pending = { id: number; action: 'edit' | 'rotate' | 'delete' }

const COLUMNS = 8

function ConsumerTable(props: {
  items: FeedConsumer[]
  now: number
  graceHours: number
  onChanged: (c: FeedConsumer, message: string) => void
  onRotated: (c: FeedConsumer, token: string) => void
  onDeleted: (c: FeedConsumer) => void
}) {
  const [pending, setPending] = createSignal<Pending>()
  const { busy, error, setError, run } = useAction()
  const open = (id: number, action: Pending['action']) => {
    setError(undefined)
    setPending({ id, action })
  }
  const isOpen = (id: number, action: Pending['action']) =>
    pending()?.id === id && pending()?.action === action

  const toggle = (c: FeedConsumer, active: boolean, input: HTMLInputElement) =>
    run(async () => {
      try {
        const res = await patchFeedConsumer(c.id, { active })
        const name = isolate(res.consumer.name)
        props.onChanged(
          res.consumer,
          active ? t('feedConsumers.activated', { name }) : t('feedConsumers.deactivated', { name }),
        )
      } catch (err) {
        input.checked = c.active
        throw err
      }
    })

  const rotate = (c: FeedConsumer) =>
    run(async () => {
      const res = await rotateFeedConsumer(c.id)
      setPending(undefined)
      props.onRotated(res.consumer, res.token)
    })

  const remove = (c: FeedConsumer) =>
    run(async () => {
      await deleteFeedConsumer(c.id)
      setPending(undefined)
      props.onDeleted(c)
    })

  return (
    <>
      <FormError message={error() ? errorMessage(error()) : undefined} testId="consumer-table-error" />
      <div class="table-wrap consumer-table-wrap">
        <table class="table consumer-table" data-testid="consumer-table">
          <TableHead
            actions
            columns={[
              t('feedConsumers.columns.name'),
              t('feedConsumers.columns.token'),
              t('feedConsumers.columns.feeds'),
              t('feedConsumers.columns.sources'),
              t('feedConsumers.columns.active'),
              t('feedConsumers.columns.lastPoll'),
              t('feedConsumers.columns.lastStatus'),
            ]}
          />
          <tbody>
            <For each={props.items}>
              {(c) => {
                const name = () => isolate(c.name)
                const stale = () => isStale(c, props.now)
                const graceLeft = () =>
                  c.previousTokenUntil && Date.parse(c.previousTokenUntil) > props.now
                    ? c.previousTokenUntil
                    : null
                return (
                  <>
                    <tr
                      data-testid="consumer-row"
                      data-id={c.id}
                      data-name={c.name}
                      classList={{ 'row-inactive': !c.active, 'row-stale': stale() }}
                    >
                      <td>
                        <span class="strong" dir="auto">
                          {c.name}
                        </span>
                        <Show when={c.description}>
                          <p class="muted clamp-2" dir="auto">
                            {c.description}
                          </p>
                        </Show>
                      </td>
                      <td>
                        <Show when={c.tokenPrefix} fallback={<span class="muted">{t('feedConsumers.noToken')}</span>}>
                          {(prefix) => (
                            <code class="ioc-value" dir="ltr" data-testid="consumer-prefix">
                              {prefix()}…
                            </code>
                          )}
                        </Show>
                        <Show when={graceLeft()}>
                          {(until) => (
                            <p class="muted small">
                              {t('feedConsumers.previousValid', { when: formatDateTime(until()) })}
                            </p>
                          )}
                        </Show>
                      </td>
                      <td>
                        <PatternList items={c.allowedFeeds} empty={t('feedConsumers.allFeeds')} />
                      </td>
                      <td>
                        <PatternList items={c.allowedSources} empty={t('feedConsumers.anySource')} />
                      </td>
                      <td>
                        <RowSwitch
                          testId="consumer-active"
                          checked={c.active}
                          disabled={busy()}
                          label={t('feedConsumers.activeLabel', { name: c.name })}
                          onChange={(on, input) => void toggle(c, on, input)}
                        />
                      </td>
                      <td class="consumer-poll">
                        <div class="nowrap" data-testid="consumer-last-poll">
                          <Show when={c.lastSeenAt} fallback={<span class="muted">{t('feedConsumers.never')}</span>}>
                            {(at) => (
                              <time datetime={at()} title={formatDateTime(at())}>
                                {formatRelative(at(), props.now)}
                              </time>
                            )}
                          </Show>
                        </div>
                        <Show when={stale()}>
                          <span class="badge badge-warn" data-testid="consumer-stale" title={t('feedConsumers.staleHint')}>
                            <IconAlert size={14} />
                            {t('feedConsumers.stale')}
                          </span>
                        </Show>
                        <Show when={c.lastAddress}>
                          {(addr) => (
                            <div class="poll-detail">
                              <span class="muted">{t('feedConsumers.columns.lastAddress')}</span>{' '}
                              <code class="ioc-value" dir="ltr" data-testid="consumer-last-address">
                                {addr()}
                              </code>
                            </div>
                          )}
                        </Show>
                        <Show when={c.lastFeed}>
                          {(feed) => (
                            <div class="poll-detail">
                              <span class="muted">{t('feedConsumers.columns.lastFeed')}</span>{' '}
                              <code class="ioc-value" dir="ltr" data-testid="consumer-last-feed">
                                {feed()}
                              </code>
                            </div>
                          )}
                        </Show>
                      </td>
                      <td>
                        <Show when={c.lastStatus} fallback={<span class="muted">—</span>}>
                          {(status) => <StatusBadge status={status()} />}
                        </Show>
                      </td>
                      <td class="cell-action">
                        <div class="row-actions">
                          <RowButton
                            icon={IconEdit}
                            testId="consumer-edit"
                            label={t('feedConsumers.editLabel', { name: c.name })}
                            text={t('feedConsumers.edit')}
                            expanded={isOpen(c.id, 'edit')}
                            onClick={() => (isOpen(c.id, 'edit') ? setPending(undefined) : open(c.id, 'edit'))}
                          />
                          <RowButton
                            icon={IconRotate}
                            testId="consumer-rotate"
                            label={t('feedConsumers.rotateLabel', { name: c.name })}
                            text={t('feedConsumers.rotate')}
                            onClick={() => open(c.id, 'rotate')}
                          />
                          <RowButton
                            icon={IconTrash}
                            testId="consumer-delete"
                            label={t('feedConsumers.deleteLabel', { name: c.name })}
                            text={t('feedConsumers.delete')}
                            onClick={() => open(c.id, 'delete')}
                          />
                        </div>
                      </td>
                    </tr>
                    <Show when={isOpen(c.id, 'rotate')}>
                      <ConfirmRow
                        columns={COLUMNS}
                        panel
                        message={t('feedConsumers.rotateConfirm', { name: name(), hours: props.graceHours })}
                        confirmLabel={t('feedConsumers.confirmRotate')}
                        cancelLabel={t('feedConsumers.cancel')}
                        testId="consumer-confirm-rotate"
                        danger={false}
                        busy={busy()}
                        onConfirm={() => void rotate(c)}
                        onCancel={() => setPending(undefined)}
                      />
                    </Show>
                    <Show when={isOpen(c.id, 'delete')}>
                      <ConfirmRow
                        columns={COLUMNS}
                        panel
                        message={t('feedConsumers.deleteConfirm', { name: name() })}
                        confirmLabel={t('feedConsumers.confirmDelete')}
                        cancelLabel={t('feedConsumers.cancel')}
                        testId="consumer-confirm-delete"
                        busy={busy()}
                        onConfirm={() => void remove(c)}
                        onCancel={() => setPending(undefined)}
                      />
                    </Show>
                    <Show when={isOpen(c.id, 'edit')}>
                      <RowPanel columns={COLUMNS} panel>
                        <EditForm
                          consumer={c}
                          onCancel={() => setPending(undefined)}
                          onSaved={(next) => {
                            setPending(undefined)
                            props.onChanged(next, t('feedConsumers.saved', { name: isolate(next.name) }))
                          }}
                        />
                      </RowPanel>
                    </Show>
                  </>
                )
              }}
            </For>
          </tbody>
        </table>
      </div>
    </>
  )
}

function PatternList(props: { items: string[]; empty: string }) {
  return (
    <Show when={props.items.length} fallback={<span class="muted">{props.empty}</span>}>
      <ul class="pattern-list">
        <For each={props.items}>
          {(item) => (
            <li>
              <code class="ioc-value" dir="ltr">
                {item}
              </code>
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}

function StatusBadge(props: { status: number }) {
  const tone = () => statusTone(props.status)
  const title = () => {
    const s = props.status
    if (s === 200) return t('feedConsumers.statusTitles.ok')
    if (s === 304) return t('feedConsumers.statusTitles.notModified')
    if (s === 401) return t('feedConsumers.statusTitles.unauthorized')
    if (s === 403) return t('feedConsumers.statusTitles.forbidden')
    if (s >= 500) return t('feedConsumers.statusTitles.server')
    return t('feedConsumers.statusTitles.other', { status: s })
  }
  return (
    <span
      class={`badge badge-${tone()}`}
      data-testid="consumer-status"
      data-tone={tone()}
      title={title()}
    >
      <span class="dot" aria-hidden="true" />
      <span class="num">{props.status}</span>
      <span class="visually-hidden">{title()}</span>
    </span>
  )
}

function EditForm(props: {
  consumer: FeedConsumer
  onSaved: (c: FeedConsumer) => void
  onCancel: () => void
}) {
  const [draft, setDraft] = createSignal(draftOf(props.consumer))
  const [busy, setBusy] = createSignal(false)
  const [errors, setErrors] = createSignal<FormErrors>()
  const prefix = `consumer-edit-${props.consumer.id}`

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    const sent = payloadOf(draft())
    setErrors(undefined)
    if (!sent.name) {
      setErrors({ form: t('errors.validation_failed'), fields: { name: t('validation.required') } })
      return
    }
    setBusy(true)
    try {
      const res = await patchFeedConsumer(props.consumer.id, sent)
      props.onSaved(res.consumer)
    } catch (err) {
      setErrors(consumerErrors(err, sent))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      class="edit-form form"
      onSubmit={submit}
      novalidate
      aria-label={t('feedConsumers.editTitle', { name: props.consumer.name })}
      data-testid="consumer-edit-form"
    >
      <FormError message={errors()?.form} testId="consumer-edit-error" />
      <ConsumerFields prefix={prefix} draft={draft()} onDraft={setDraft} errors={errors()} testIds="consumer-edit" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" data-testid="consumer-edit-save" disabled={busy()}>
          {busy() ? t('feedConsumers.saving') : t('feedConsumers.save')}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => props.onCancel()}>
          {t('feedConsumers.cancel')}
        </button>
      </div>
    </form>
  )
}
