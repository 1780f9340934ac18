import { createResource, createSignal, For, Show } from 'solid-js'
import type { PlaybookLink } from '../api/client'
import { ConfirmBar } from '../components/ConfirmBar'
import { FormError, SuccessNote } from '../components/FormError'
import { IconEdit, IconTrash } from '../components/Icons'
import { TypeBadge } from '../components/IocBits'
import { Loading } from '../components/Loading'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { PlaybookForm } from '../components/PlaybookForm'
import { IconBook, IconDown, IconUp } from '../components/PulseBits'
import { createPlaybookLink, deletePlaybookLink, listPlaybook, patchPlaybookLink, reorderPlaybook } from '../data/pulse'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'
import '../styles/pulse.css'

export default function PlaybookPage() {
  usePageTitle(() => t('playbook.title'))
  return (
    <div class="page page-wide">
      <PageHeader icon={IconBook} title={t('playbook.title')} subtitle={t('playbook.subtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('playbook.adminOnly')}>
        <PlaybookAdmin />
      </AdminOnly>
    </div>
  )
}

function PlaybookAdmin() {
  const [list, { mutate, refetch }] = createResource(async () => (await listPlaybook()).items)
  const [editing, setEditing] = createSignal<number>()
  const [deleting, setDeleting] = createSignal<number>()
  const [note, setNote] = createSignal<string>()
  const action = useAction(() => setNote(undefined))
  const groups = () => (list() ?? []).filter((l) => l.type === 'group')
  /** Entries of one level (top level or one group), in order. */
  const siblings = (l: PlaybookLink) => (list() ?? []).filter((x) => x.parentId === l.parentId)
  const move = (l: PlaybookLink, by: -1 | 1) =>
    action.run(async () => {
      const ids = siblings(l).map((x) => x.id)
      const i = ids.indexOf(l.id)
      if (i + by < 0 || i + by >= ids.length) return
      ;[ids[i], ids[i + by]] = [ids[i + by], ids[i]]
      mutate((await reorderPlaybook(ids)).items)
    })
  const remove = (l: PlaybookLink) =>
    action.run(async () => {
      await deletePlaybookLink(l.id)
      setDeleting(undefined)
      setNote(t('playbook.deleted', { name: isolate(l.name) }))
      await refetch()
    })
  return (
    <div class="analytics-grid two">
      <section class="card glass" data-testid="playbook-admin">
        <h2 class="card-title">{t('playbook.entries')}</h2>
        <SuccessNote message={note()} />
        <FormError message={action.error() ? errorMessage(action.error()) : undefined} />
        <Show when={list()} fallback={<Loading />}>
          <Show when={list()!.length} fallback={<p class="muted">{t('playbook.empty')}</p>}>
            <ul class="playbook-list">
              <For each={list()}>
                {(l) => (
                  <li class="playbook-item" classList={{ child: l.parentId !== null }} data-testid="playbook-item" data-name={l.name}>
                    <Show
                      when={editing() === l.id}
                      fallback={
                        <>
                          <div class="playbook-main">
                            <strong dir="auto">{l.name}</strong>
                            <Show when={l.type !== 'site'}>
                              <span class="badge">{t(`playbook.kinds.${l.type}`)}</span>
                            </Show>
                            <Show when={l.url}>
                              <span class="mono playbook-url muted" dir="ltr">{l.url}</span>
                            </Show>
                            <Show when={l.iocTypes.length}>
                              <span class="tag-list">
                                <For each={l.iocTypes}>{(type) => <TypeBadge type={type} />}</For>
                              </span>
                            </Show>
                            <Show when={l.description}>
                              <span class="small pre-wrap" dir="auto">{l.description}</span>
                            </Show>
                            <Show when={deleting() === l.id}>
                              <ConfirmBar message={t('playbook.deleteConfirm', { name: isolate(l.name) })} confirmLabel={t('playbook.delete')} cancelLabel={t('playbook.cancel')} busy={action.busy()} testId="playbook-confirm-delete" onConfirm={() => void remove(l)} onCancel={() => setDeleting(undefined)} />
                            </Show>
                          </div>
                          <div class="playbook-actions">
                            <button type="button" class="btn btn-ghost btn-icon btn-sm" aria-label={t('playbook.moveUp')} title={t('playbook.moveUp')} disabled={action.busy() || siblings(l)[0]?.id === l.id} onClick={() => void move(l, -1)}>
                              <IconUp size={16} />
                            </button>
                            <button type="button" class="btn btn-ghost btn-icon btn-sm" aria-label={t('playbook.moveDown')} title={t('playbook.moveDown')} disabled={action.busy() || siblings(l).at(-1)?.id === l.id} onClick={() => void move(l, 1)}>
                              <IconDown size={16} />
                            </button>
                            <button type="button" class="btn btn-ghost btn-icon btn-sm" aria-label={t('playbook.edit')} title={t('playbook.edit')} onClick={() => setEditing(l.id)} data-testid="playbook-edit">
                              <IconEdit size={16} />
                            </button>
                            <button type="button" class="btn btn-ghost btn-icon btn-sm" aria-label={t('playbook.delete')} title={t('playbook.delete')} onClick={() => setDeleting(l.id)} data-testid="playbook-delete">
                              <IconTrash size={16} />
                            </button>
                          </div>
                        </>
                      }
                    >
                      <div class="playbook-main">
                        <PlaybookForm
                          link={l}
                          groups={groups().filter((g) => g.id !== l.id)}
                          onCancel={() => setEditing(undefined)}
                          onSaved={async (input) => {
                            const { type: _type, ...patch } = input
                            const saved = (await patchPlaybookLink(l.id, l.type === 'group' ? { name: patch.name, description: patch.description } : patch)).link
                            setEditing(undefined)
                            setNote(t('playbook.saved', { name: isolate(saved.name) }))
                            await refetch()
                          }}
                        />
                      </div>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </section>
      <section class="card glass" data-testid="playbook-add">
        <h2 class="card-title">{t('playbook.add')}</h2>
        <AddForm groups={groups()} onAdded={async (name) => {
          setNote(t('playbook.created', { name: isolate(name) }))
          await refetch()
        }} />
      </section>
    </div>
  )
}

/** The add form, remounted after each success so it starts empty. */
function AddForm(props: { groups: PlaybookLink[]; onAdded: (name: string) => Promise<void> }) {
  const [key, setKey] = createSignal(0)
  return (
    <For each={[key()]}>
      {() => (
        <PlaybookForm
          groups={props.groups}
          onSaved={async (input) => {
            const { link } = await createPlaybookLink(input)
            setKey((k) => k + 1)
            await props.onAdded(link.name)
          }}
        />
      )}
    </For>
  )
}
