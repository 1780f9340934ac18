import { createResource, createSignal, For, Show } from 'solid-js'
import type { Warninglist } from '../api/client'
import { deleteWarninglist, importWarninglist, listWarninglists, setWarninglistEnabled } from '../data/allowlist'
import { intlLocale, t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { ConfirmBar } from './ConfirmBar'
import { FormError, SuccessNote } from './FormError'
import { IconTrash, IconUpload } from './Icons'
import { When } from './IocBits'
import { Loading } from './Loading'

/** MISP warninglists: import (multipart), enable/disable, delete. */
export function WarninglistsCard() {
  const [lists, { refetch, mutate }] = createResource(async () => (await listWarninglists()).items)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const [flash, setFlash] = createSignal<string>()
  const [confirming, setConfirming] = createSignal<number>()

  async function run(action: () => Promise<void>) {
    if (busy()) return
    setBusy(true)
    setError(undefined)
    setFlash(undefined)
    try {
      await action()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const upload = (input: HTMLInputElement) => {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    void run(async () => {
      const res = await importWarninglist(file)
      setFlash(
        t('warninglists.importedDone', {
          name: isolate(res.warninglist.name),
          n: res.warninglist.entryCount,
          skipped: res.skipped,
        }),
      )
      await refetch()
    })
  }

  const toggle = (list: Warninglist, enabled: boolean) =>
    run(async () => {
      const res = await setWarninglistEnabled(list.id, enabled)
      mutate((old) => old?.map((l) => (l.id === list.id ? res.warninglist : l)))
    })

  const remove = (list: Warninglist) =>
    run(async () => {
      await deleteWarninglist(list.id)
      setConfirming(undefined)
      mutate((old) => old?.filter((l) => l.id !== list.id))
    })

  return (
    <section class="card glass" aria-labelledby="warninglists-title" data-testid="warninglists">
      <div class="card-header">
        <div>
          <h2 id="warninglists-title">{t('warninglists.title')}</h2>
          <p class="muted small">{t('warninglists.subtitle')}</p>
        </div>
        <div>
          <input
            id="warninglist-file"
            class="file-input"
            type="file"
            accept="application/json,.json"
            data-testid="warninglist-file"
            disabled={busy()}
            onChange={(e) => upload(e.currentTarget)}
          />
          <label for="warninglist-file" class="btn btn-secondary btn-sm">
            <IconUpload size={16} />
            {busy() ? t('warninglists.importing') : t('warninglists.importLabel')}
          </label>
        </div>
      </div>
      <SuccessNote message={flash()} />
      <FormError message={error() ? errorMessage(error()) : undefined} testId="warninglist-error" />
      <FormError message={lists.error ? errorMessage(lists.error) : undefined} />
      <Show when={lists()} fallback={<Show when={!lists.error}><Loading /></Show>}>
        {(items) => (
          <Show when={items().length} fallback={<p class="empty-state">{t('warninglists.empty')}</p>}>
            <div class="table-wrap">
              <table class="table" data-testid="warninglist-table">
                <thead>
                  <tr>
                    <th scope="col">{t('warninglists.name')}</th>
                    <th scope="col">{t('warninglists.type')}</th>
                    <th scope="col">{t('warninglists.entries')}</th>
                    <th scope="col">{t('warninglists.imported')}</th>
                    <th scope="col">{t('warninglists.enabled')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t('search.columns.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={items()}>
                    {(list) => (
                      <>
                        <tr data-testid="warninglist-row" data-id={list.id}>
                          <td>
                            <span dir="auto" class="strong">{list.name}</span>
                            <Show when={list.description}>
                              <p class="muted clamp-2" dir="auto">{list.description}</p>
                            </Show>
                          </td>
                          <td>{tryT(`warninglists.types.${list.listType}`) ?? list.listType}</td>
                          <td class="num">{new Intl.NumberFormat(intlLocale()).format(list.entryCount)}</td>
                          <td class="nowrap">
                            <When at={list.importedAt} />
                          </td>
                          <td>
                            <label class="switch">
                              <input
                                type="checkbox"
                                role="switch"
                                data-testid="warninglist-toggle"
                                checked={list.enabled}
                                disabled={busy()}
                                aria-label={t('warninglists.toggle', { name: list.name })}
                                onChange={(e) => void toggle(list, e.currentTarget.checked)}
                              />
                              <span class="switch-track" aria-hidden="true" />
                            </label>
                          </td>
                          <td class="cell-action">
                            <button
                              type="button"
                              class="btn btn-ghost btn-sm"
                              data-testid="warninglist-delete"
                              aria-label={t('warninglists.deleteLabel', { name: list.name })}
                              onClick={() => setConfirming(list.id)}
                            >
                              <IconTrash size={16} />
                              {t('warninglists.delete')}
                            </button>
                          </td>
                        </tr>
                        <Show when={confirming() === list.id}>
                          <tr class="confirm-row">
                            <td colSpan={6}>
                              <ConfirmBar
                                message={t('warninglists.deleteConfirm', { name: isolate(list.name) })}
                                confirmLabel={t('warninglists.confirmDelete')}
                                cancelLabel={t('warninglists.cancel')}
                                testId="warninglist-confirm-delete"
                                busy={busy()}
                                onConfirm={() => void remove(list)}
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
          </Show>
        )}
      </Show>
    </section>
  )
}
