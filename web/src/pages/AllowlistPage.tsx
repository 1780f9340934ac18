import { createResource, createSignal, For, Show } from 'solid-js'
import type { AllowlistEntry, AllowlistKind } from '../api/client'
import { ConfirmBar } from '../components/ConfirmBar'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconPlus, IconShield, IconTrash } from '../components/Icons'
import { IocValue, ShortDate } from '../components/IocBits'
import { Loading } from '../components/Loading'
import { Select } from '../components/Select'
import { WarninglistsCard } from '../components/WarninglistsCard'
import { addAllowlistEntry, deleteAllowlistEntry, listAllowlist } from '../data/allowlist'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const KINDS: AllowlistKind[] = ['exact', 'suffix', 'cidr']

export default function AllowlistPage() {
  usePageTitle(() => t('allowlist.title'))
  return (
    <div class="page page-wide">
      <header class="page-header">
        <span class="page-icon" aria-hidden="true">
          <IconShield size={22} />
        </span>
        <div>
          <h1>{t('allowlist.title')}</h1>
          <p class="muted">{t('allowlist.subtitle')}</p>
        </div>
      </header>
      <Show
        when={isAdmin(user())}
        fallback={
          <div class="alert alert-error" role="alert" data-testid="admin-only">
            {t('allowlist.adminOnly')}
          </div>
        }
      >
        <AllowlistSection />
        <WarninglistsCard />
      </Show>
    </div>
  )
}

function AllowlistSection() {
  const [entries, { refetch }] = createResource(async () => (await listAllowlist()).items)
  const [flash, setFlash] = createSignal<string>()
  return (
    <>
      <AddEntryForm
        onEdit={() => setFlash(undefined)}
        onAdded={() => {
          setFlash(t('allowlist.added'))
          void refetch()
        }}
      />
      <section class="card glass" aria-labelledby="allowlist-entries-title">
        <h2 id="allowlist-entries-title">{t('allowlist.entries')}</h2>
        <SuccessNote message={flash()} />
        <FormError message={entries.error ? errorMessage(entries.error) : undefined} />
        <Show when={entries()} fallback={<Show when={!entries.error}><Loading /></Show>}>
          {(items) => (
            <Show when={items().length} fallback={<p class="empty-state">{t('allowlist.empty')}</p>}>
              <AllowlistTable
                items={items()}
                onRemoved={() => {
                  setFlash(t('allowlist.removed'))
                  void refetch()
                }}
              />
            </Show>
          )}
        </Show>
      </section>
    </>
  )
}

function AllowlistTable(props: { items: AllowlistEntry[]; onRemoved: () => void }) {
  const [confirming, setConfirming] = createSignal<number>()
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const remove = async (id: number) => {
    if (busy()) return
    setBusy(true)
    setError(undefined)
    try {
      await deleteAllowlistEntry(id)
      setConfirming(undefined)
      props.onRemoved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <FormError message={error() ? errorMessage(error()) : undefined} />
      <div class="table-wrap">
        <table class="table" data-testid="allowlist-table">
          <thead>
            <tr>
              <th scope="col">{t('allowlist.kind')}</th>
              <th scope="col">{t('allowlist.value')}</th>
              <th scope="col">{t('allowlist.reason')}</th>
              <th scope="col">{t('allowlist.who')}</th>
              <th scope="col">{t('allowlist.when')}</th>
              <th scope="col">{t('allowlist.matches')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('search.columns.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={props.items}>
              {(entry) => (
                <>
                  <tr data-testid="allowlist-row" data-id={entry.id}>
                    <td>
                      <span class="badge">{t(`allowlist.kinds.${entry.kind}`)}</span>
                    </td>
                    <td class="cell-value">
                      <IocValue value={entry.value} />
                    </td>
                    <td dir="auto">{entry.reason}</td>
                    <td>{entry.createdBy ?? t('allowlist.system')}</td>
                    <td class="nowrap">
                      <ShortDate at={entry.createdAt} />
                    </td>
                    <td class="num" data-testid="allowlist-matches">
                      {entry.matches}
                    </td>
                    <td class="cell-action">
                      <button
                        type="button"
                        class="btn btn-ghost btn-sm"
                        data-testid="allowlist-delete"
                        aria-label={t('allowlist.deleteLabel', { value: entry.value })}
                        onClick={() => setConfirming(entry.id)}
                      >
                        <IconTrash size={16} />
                        {t('allowlist.delete')}
                      </button>
                    </td>
                  </tr>
                  <Show when={confirming() === entry.id}>
                    <tr class="confirm-row">
                      <td colSpan={7}>
                        <ConfirmBar
                          message={t('allowlist.deleteConfirm', { value: isolate(entry.value) })}
                          confirmLabel={t('allowlist.confirmDelete')}
                          cancelLabel={t('allowlist.cancel')}
                          testId="allowlist-confirm-delete"
                          busy={busy()}
                          onConfirm={() => void remove(entry.id)}
                          onCancel={() => setConfirming(undefined)}
                        />
                      </td>
                    </tr>
                  </Show>
                </>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  )
}

function AddEntryForm(props: { onAdded: () => void; onEdit: () => void }) {
  const [kind, setKind] = createSignal<AllowlistKind>('exact')
  const [value, setValue] = createSignal('')
  const [reason, setReason] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const errors = () => (error() === undefined ? undefined : formErrors(error(), ['kind', 'value', 'reason']))

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    setBusy(true)
    setError(undefined)
    props.onEdit()
    try {
      await addAllowlistEntry({ kind: kind(), value: value().trim(), reason: reason().trim() })
      setValue('')
      setReason('')
      props.onAdded()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="allowlist-add-title">
      <h2 id="allowlist-add-title">{t('allowlist.addTitle')}</h2>
      <FormError message={errors()?.form} testId="allowlist-error" />
      <div class="allowlist-fields">
      <Select
        id="allowlist-kind"
        testId="allowlist-kind"
        label={t('allowlist.kind')}
        value={kind()}
        onValue={(v) => setKind(v as AllowlistKind)}
        options={KINDS.map((k): [string, string] => [k, t(`allowlist.kinds.${k}`)])}
        hint={t(`allowlist.kindHints.${kind()}`)}
        error={errors()?.fields.kind}
      />
      <Field
        id="allowlist-value"
        data-testid="allowlist-value"
        label={t('allowlist.value')}
        placeholder={t('allowlist.valuePlaceholder')}
        value={value()}
        onValue={setValue}
        error={errors()?.fields.value}
        dir="ltr"
        class="mono-input"
        autocomplete="off"
        spellcheck={false}
        required
      />
      <Field
        id="allowlist-reason"
        data-testid="allowlist-reason"
        label={t('allowlist.reason')}
        placeholder={t('allowlist.reasonPlaceholder')}
        value={reason()}
        onValue={setReason}
        error={errors()?.fields.reason}
        maxLength={500}
        required
      />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="allowlist-add" disabled={busy()}>
          <IconPlus size={18} />
          {busy() ? t('allowlist.adding') : t('allowlist.add')}
        </button>
      </div>
    </form>
  )
}
