import { createResource, createSignal, For, Show } from 'solid-js'
import type { AllowlistEntry, AllowlistKind } from '../api/client'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconPlus, IconShield, IconTrash } from '../components/Icons'
import { IocValue, ShortDate } from '../components/IocBits'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { ResourceList } from '../components/ResourceList'
import { Select } from '../components/Select'
import { ConfirmRow, RowButton, TableHead } from '../components/TableParts'
import { WarninglistsCard } from '../components/WarninglistsCard'
import { addAllowlistEntry, deleteAllowlistEntry, listAllowlist } from '../data/allowlist'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const KINDS: AllowlistKind[] = ['exact', 'suffix', 'cidr']

export default function AllowlistPage() {
  usePageTitle(() => t('allowlist.title'))
  return (
    <div class="page page-wide">
      <PageHeader
        icon={IconShield}
        title={t('allowlist.title')}
        subtitle={t('allowlist.subtitle')}
      />
      <AdminOnly when={isAdmin(user())} message={t('allowlist.adminOnly')}>
        <AllowlistSection />
        <WarninglistsCard />
      </AdminOnly>
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
        <ResourceList resource={entries} empty={t('allowlist.empty')}>
          {(items) => (
            <AllowlistTable
              items={items()}
              onRemoved={() => {
                setFlash(t('allowlist.removed'))
                void refetch()
              }}
            />
          )}
        </ResourceList>
      </section>
    </>
  )
}

function AllowlistTable(props: { items: AllowlistEntry[]; onRemoved: () => void }) {
  const [confirming, setConfirming] = createSignal<number>()
  const { busy, error, run } = useAction()
  const remove = (id: number) =>
    run(async () => {
      await deleteAllowlistEntry(id)
      setConfirming(undefined)
      props.onRemoved()
    })
  return (
    <>
      <FormError message={error() ? errorMessage(error()) : undefined} />
      <div class="table-wrap">
        <table class="table" data-testid="allowlist-table">
          <TableHead
            actions
            columns={[
              t('allowlist.kind'),
              t('allowlist.value'),
              t('allowlist.reason'),
              t('allowlist.who'),
              t('allowlist.when'),
              t('allowlist.matches'),
            ]}
          />
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
                      <RowButton
                        icon={IconTrash}
                        testId="allowlist-delete"
                        label={t('allowlist.deleteLabel', { value: entry.value })}
                        text={t('allowlist.delete')}
                        onClick={() => setConfirming(entry.id)}
                      />
                    </td>
                  </tr>
                  <Show when={confirming() === entry.id}>
                    <ConfirmRow
                      columns={7}
                      message={t('allowlist.deleteConfirm', { value: isolate(entry.value) })}
                      confirmLabel={t('allowlist.confirmDelete')}
                      cancelLabel={t('allowlist.cancel')}
                      testId="allowlist-confirm-delete"
                      busy={busy()}
                      onConfirm={() => void remove(entry.id)}
                      onCancel={() => setConfirming(undefined)}
                    />
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
  const { busy, error, run } = useAction(() => props.onEdit())
  const errors = () => (error() === undefined ? undefined : formErrors(error(), ['kind', 'value', 'reason']))

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    void run(async () => {
      await addAllowlistEntry({ kind: kind(), value: value().trim(), reason: reason().trim() })
      setValue('')
      setReason('')
      props.onAdded()
    })
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
