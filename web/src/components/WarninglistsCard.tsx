import { createResource, createSignal, For, Show } from 'solid-js'
import type { Warninglist } from '../api/client'
import { deleteWarninglist, importWarninglist, listWarninglists, setWarninglistEnabled } from '../data/allowlist'
import { intlLocale, t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { FormError, SuccessNote } from './FormError'
import { IconTrash, IconUpload } from './Icons'
import { When } from './IocBits'
import { ResourceList } from './ResourceList'
import { ConfirmRow, RowButton, RowSwitch, TableHead } from './TableParts'

/** MISP warninglists: import (multipart), enable/disable, delete. */
export function WarninglistsCard() {
  const [lists, { refetch, mutate }] = createResource(async () => (await listWarninglists()).items)
  const [flash, setFlash] = createSignal<string>()
  const [confirming, setConfirming] = createSignal<number>()
  const { busy, error, run } = useAction(() => setFlash(undefined))

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
      <ResourceList resource={lists} empty={t('warninglists.empty')}>
        {(items) => (
          <div class="table-wrap">
            <table class="table" data-testid="warninglist-table">
              <TableHead
                actions
                columns={[
                  t('warninglists.name'),
                  t('warninglists.type'),
                  t('warninglists.entries'),
                  t('warninglists.imported'),
                  t('warninglists.enabled'),
                ]}
              />
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
                          <RowSwitch
                            testId="warninglist-toggle"
                            checked={list.enabled}
                            disabled={busy()}
                            label={t('warninglists.toggle', { name: list.name })}
                            onChange={(on) => void toggle(list, on)}
                          />
                        </td>
                        <td class="cell-action">
                          <RowButton
                            icon={IconTrash}
                            testId="warninglist-delete"
                            label={t('warninglists.deleteLabel', { name: list.name })}
                            text={t('warninglists.delete')}
                            onClick={() => setConfirming(list.id)}
                          />
                        </td>
                      </tr>
                      <Show when={confirming() === list.id}>
                        <ConfirmRow
                          columns={6}
                          message={t('warninglists.deleteConfirm', { name: isolate(list.name) })}
                          confirmLabel={t('warninglists.confirmDelete')}
                          cancelLabel={t('warninglists.cancel')}
                          testId="warninglist-confirm-delete"
                          busy={busy()}
                          onConfirm={() => void remove(list)}
                          onCancel={() => setConfirming(undefined)}
                        />
                      </Show>
                    </>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ResourceList>
    </section>
  )
}
