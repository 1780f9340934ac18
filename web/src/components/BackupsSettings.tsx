import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js'
import {
  ApiFailure,
  backUpNow,
  backupDownloadUrl,
  checkBackup,
  deleteBackup,
  listBackups,
  patchBackupSettings,
  type Backup,
  type BackupCheck,
  type BackupList,
} from '../api/client'
import { intlLocale, t } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { formatBytes, formatDateTime, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconAlert, IconCheck, IconCopy, IconDatabase, IconDownload, IconKey, IconTrash } from './Icons'
import { Loading } from './Loading'
import { ConfirmRow, RowButton, TableHead } from './TableParts'
import '../styles/backups.css'

// Settings > Backups (admin): the files in <data>/backups, daily retention, Back up now, and per
// backup: check, download, copy the restore command, delete. Restoring stays on the command line
// (Moat must be stopped), so the screen only hands out the exact command.

/** Under this share of the disk free, the tab warns. */
const LOW_SPACE = 0.1

/** A time in the configured zone (general.timezone), like the reports; the browser's zone if unknown. */
function inZone(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
  } catch {
    return formatDateTime(iso)
  }
}

export function BackupsCard() {
  const [view, { mutate, refetch }] = createResource(listBackups)
  return (
    <section class="card glass backups-card" aria-labelledby="backups-title" data-testid="backups-settings">
      <h2 id="backups-title">
        <IconDatabase size={20} /> {t('backups.title')}
      </h2>
      <p class="muted small">{t('backups.intro')}</p>
      <FormError message={view.error ? errorMessage(view.error) : undefined} />
      <Show when={view.latest} fallback={<Show when={!view.error}><Loading /></Show>}>
        {(v) => (
          <>
            <Status view={v()} />
            <SettingsForm view={v()} onSaved={mutate} />
            <BackupTable view={v()} onChanged={() => void refetch()} />
          </>
        )}
      </Show>
    </section>
  )
}

function Status(props: { view: BackupList }) {
  const v = () => props.view
  const low = () => v().disk.totalBytes > 0 && v().disk.freeBytes / v().disk.totalBytes < LOW_SPACE
  return (
    <div class="backups-status" data-testid="backups-status">
      <dl class="details compact">
        <div class="detail-row">
          <dt>{t('backups.nextDaily')}</dt>
          <dd data-testid="backups-next">
            <Show when={v().nextDaily} fallback={<span class="badge badge-warn">{t('backups.dailyOff')}</span>}>
              {(at) => <time datetime={at()}>{inZone(at(), v().timeZone)}</time>}
            </Show>
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('backups.schedule')}</dt>
          <dd>{t('backups.scheduleValue', { cron: isolate(v().schedule) })}</dd>
        </div>
        <div class="detail-row">
          <dt>{t('backups.folder')}</dt>
          <dd>
            <code dir="ltr" class="backups-path">
              {v().backupsDir}
            </code>
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('backups.freeSpace')}</dt>
          <dd data-testid="backups-free">
            {t('backups.freeOf', { free: isolate(formatBytes(v().disk.freeBytes)), total: isolate(formatBytes(v().disk.totalBytes)) })}
          </dd>
        </div>
      </dl>
      <p class="muted small">{t('backups.timesIn', { tz: isolate(v().timeZone) })}</p>
      <Show when={low()}>
        <div class="alert alert-error" role="alert" data-testid="backups-low-space">
          <IconAlert size={18} />
          <span>{t('backups.lowSpace', { free: isolate(formatBytes(v().disk.freeBytes)) })}</span>
        </div>
      </Show>
      <div class="alert alert-info" data-testid="backups-keys-note">
        <IconKey size={18} />
        <span>
          <WithCode text={t('backups.keysNote', { file: MARK })} code={v().keysFile} />
        </span>
      </div>
    </div>
  )
}

const MARK = '\u0000'

/** A sentence with a path in it: the path as LTR code, so it reads the same in Hebrew. */
function WithCode(props: { text: string; code: string }) {
  const parts = () => props.text.split(MARK)
  return (
    <>
      {parts()[0]}
      <code dir="ltr" class="backups-path">
        {props.code}
      </code>
      {parts().slice(1).join('')}
    </>
  )
}

function SettingsForm(props: { view: BackupList; onSaved: (v: BackupList) => void }) {
  const [enabled, setEnabled] = createSignal(props.view.settings.enabled)
  const [keep, setKeep] = createSignal(String(props.view.settings.keep))
  const [failure, setFailure] = createSignal<unknown>()
  const [saved, setSaved] = createSignal(false)
  const save = useAction()
  const errors = () => {
    if (failure() === undefined) return undefined
    const e = formErrors(failure(), ['keep', 'enabled'])
    if (e.fields.keep) e.fields.keep = t('backups.keepInvalid')
    return e
  }
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setFailure(undefined)
    setSaved(false)
    void save.run(async () => {
      try {
        const n = keep().trim() === '' ? Number.NaN : Number(keep())
        props.onSaved(await patchBackupSettings({ enabled: enabled(), keep: Number.isFinite(n) ? n : (keep() as unknown as number) }))
        setSaved(true)
      } catch (err) {
        setFailure(err)
      }
    })
  }
  return (
    <form class="form backups-form" onSubmit={submit} novalidate aria-labelledby="backups-settings-title">
      <h3 id="backups-settings-title">{t('backups.settingsTitle')}</h3>
      <FormError message={errors()?.form} testId="backups-form-error" />
      <SuccessNote message={saved() ? t('backups.saved') : undefined} />
      <div class="switch-field">
        <label class="switch">
          <input
            id="backups-enabled"
            type="checkbox"
            role="switch"
            data-testid="backups-enabled"
            checked={enabled()}
            onChange={(e) => {
              setEnabled(e.currentTarget.checked)
              setSaved(false)
            }}
          />
          <span class="switch-track" aria-hidden="true" />
        </label>
        <div>
          <label for="backups-enabled" class="strong">
            {t('backups.enabled')}
          </label>
        </div>
      </div>
      <Field
        id="backups-keep"
        data-testid="backups-keep"
        label={t('backups.keep')}
        hint={t('backups.keepHint')}
        type="number"
        inputmode="numeric"
        min={1}
        max={365}
        value={keep()}
        onValue={(value) => {
          setKeep(value)
          setSaved(false)
        }}
        error={errors()?.fields.keep}
        class="backups-keep"
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="backups-save" disabled={save.busy()}>
          {save.busy() ? t('backups.saving') : t('backups.save')}
        </button>
      </div>
    </form>
  )
}

type CheckState = { busy: true } | { result: BackupCheck } | { error: unknown }

function BackupTable(props: { view: BackupList; onChanged: () => void }) {
  const [note, setNote] = createSignal<{ key: 'created' | 'deleted'; name: string }>()
  const [failure, setFailure] = createSignal<unknown>()
  const [pending, setPending] = createSignal<string>()
  const [checks, setChecks] = createSignal<Record<string, CheckState>>({})
  const [copied, setCopied] = createSignal<string>()
  const create = useAction()
  const remove = useAction()
  const columns = () => [t('backups.columns.backup'), t('backups.columns.kind'), t('backups.columns.time'), t('backups.columns.size'), t('backups.columns.state')]
  const failureText = () => {
    const err = failure()
    if (err === undefined) return undefined
    return err instanceof ApiFailure && err.code === 'backup_running' ? t('backups.running') : errorMessage(err)
  }

  const now = () =>
    void create.run(async () => {
      setFailure(undefined)
      setNote(undefined)
      try {
        const { backup } = await backUpNow()
        setNote({ key: 'created', name: backup.name })
        props.onChanged()
      } catch (err) {
        setFailure(err)
      }
    })

  const drop = (b: Backup) =>
    void remove.run(async () => {
      setFailure(undefined)
      setNote(undefined)
      try {
        await deleteBackup(b.name)
        setPending(undefined)
        setNote({ key: 'deleted', name: b.name })
        props.onChanged()
      } catch (err) {
        setFailure(err)
      }
    })

  const check = async (name: string) => {
    setChecks((c) => ({ ...c, [name]: { busy: true } }))
    try {
      const result = await checkBackup(name)
      setChecks((c) => ({ ...c, [name]: { result } }))
    } catch (error) {
      setChecks((c) => ({ ...c, [name]: { error } }))
    }
  }

  const copy = async (b: Backup) => {
    try {
      await navigator.clipboard.writeText(b.restoreCommand)
    } catch {
      // No clipboard (plain HTTP): select the command so Ctrl+C copies it.
      const el = document.querySelector(`[data-command="${b.name}"]`)
      if (el) window.getSelection()?.selectAllChildren(el)
    }
    setCopied(b.name)
    setTimeout(() => setCopied((c) => (c === b.name ? undefined : c)), 2000)
  }

  return (
    <div class="backups-list">
      <div class="backups-list-head">
        <h3>{t('backups.listTitle')}</h3>
        <button type="button" class="btn btn-primary" data-testid="backups-now" disabled={create.busy()} onClick={now}>
          <IconDatabase size={16} />
          {create.busy() ? t('backups.backingUp') : t('backups.backUpNow')}
        </button>
      </div>
      <p class="muted small">{t('backups.restoreNote')}</p>
      <FormError message={failureText()} testId="backups-error" />
      <SuccessNote message={note() ? t(`backups.${note()!.key}`, { name: isolate(note()!.name) }) : undefined} />
      <Show when={props.view.backups.length} fallback={<p class="alert alert-info" data-testid="backups-empty">{t('backups.empty')}</p>}>
        <div class="table-wrap">
          <table class="table backups-table" data-testid="backups-table">
            <TableHead columns={columns()} actions />
            <tbody>
              <For each={props.view.backups}>
                {(b) => (
                  <>
                    <tr data-testid="backup-row" data-name={b.name} data-kind={b.kind}>
                      <td class="backup-name-cell">
                        <code dir="ltr" class="backup-name">
                          {b.name}
                        </code>
                      </td>
                      <td>
                        <span class={`badge backup-kind backup-kind-${b.kind}`}>{t(`backups.kinds.${b.kind}`)}</span>
                      </td>
                      <td class="nowrap">
                        <time datetime={b.createdAt} title={b.createdAt}>
                          {inZone(b.createdAt, props.view.timeZone)}
                        </time>
                      </td>
                      <td class="nowrap" data-testid="backup-size">
                        {isolate(formatBytes(b.bytes))}
                      </td>
                      <td data-testid="backup-state">
                        <CheckCell backup={b} state={checks()[b.name]} onCheck={() => void check(b.name)} />
                      </td>
                      <td class="cell-action backup-actions">
                        <a class="btn btn-ghost btn-sm" href={backupDownloadUrl(b.name)} download={b.name} data-testid="backup-download" aria-label={t('backups.downloadLabel', { name: b.name })}>
                          <IconDownload size={16} />
                          {t('backups.download')}
                        </a>
                        <RowButton icon={IconTrash} testId="backup-delete" label={t('backups.deleteLabel', { name: b.name })} text={t('backups.delete')} onClick={() => setPending(b.name)} />
                      </td>
                    </tr>
                    <tr class="backup-command-row">
                      <td colSpan={columns().length + 1}>
                        <div class="backup-command">
                          <span class="muted small">{t('backups.restoreCommand')}</span>
                          <code dir="ltr" data-command={b.name} data-testid="backup-command">
                            {b.restoreCommand}
                          </code>
                          <button type="button" class="btn btn-ghost btn-xs" data-testid="backup-copy" aria-label={t('backups.copyLabel', { name: b.name })} onClick={() => void copy(b)}>
                            <Show when={copied() === b.name} fallback={<IconCopy size={14} />}>
                              <IconCheck size={14} />
                            </Show>
                            {copied() === b.name ? t('backups.copied') : t('backups.copy')}
                          </button>
                        </div>
                      </td>
                    </tr>
                    <Show when={pending() === b.name}>
                      <ConfirmRow
                        columns={columns().length + 1}
                        message={t('backups.deleteConfirm', { name: isolate(b.name) })}
                        confirmLabel={t('backups.confirmDelete')}
                        cancelLabel={t('backups.cancel')}
                        testId="backup-confirm-delete"
                        busy={remove.busy()}
                        onConfirm={() => drop(b)}
                        onCancel={() => setPending(undefined)}
                      />
                    </Show>
                  </>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </div>
  )
}

function CheckCell(props: { backup: Backup; state?: CheckState; onCheck: () => void }) {
  const level = () =>
    props.backup.migrations === null ? <span class="muted">{t('backups.unreadable')}</span> : <span class="muted small">{t('backups.migrations', { n: props.backup.migrations })}</span>
  return (
    <div class="backup-check">
      <Switch
        fallback={
          <>
            {level()}
            <button type="button" class="btn btn-ghost btn-xs" data-testid="backup-check" aria-label={t('backups.checkLabel', { name: props.backup.name })} onClick={() => props.onCheck()}>
              <IconCheck size={14} />
              {t('backups.check')}
            </button>
          </>
        }
      >
        <Match when={props.state && 'busy' in props.state}>
          <span class="muted small">{t('backups.checking')}</span>
        </Match>
        <Match when={props.state && 'result' in props.state ? props.state.result : undefined}>
          {(r) => (
            <>
              <span class={`badge ${r().ok ? 'badge-ok' : 'badge-bad'}`} data-testid="backup-check-result" data-ok={String(r().ok)}>
                <span class="dot" aria-hidden="true" />
                {r().ok ? t('backups.intact') : t('backups.damaged', { problem: isolate(r().problem ?? '') })}
              </span>
              <span class="muted small">{t('backups.migrations', { n: r().migrations })}</span>
              <Show when={r().ok}>
                <span class="muted small">{r().pendingMigrations ? t('backups.pending', { n: r().pendingMigrations }) : t('backups.upToDate')}</span>
              </Show>
            </>
          )}
        </Match>
        <Match when={props.state && 'error' in props.state ? props.state.error : undefined}>
          {(e) => <span class="field-error small">{errorMessage(e())}</span>}
        </Match>
      </Switch>
    </div>
  )
}
