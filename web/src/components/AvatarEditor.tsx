import { createSignal, onCleanup, Show } from 'solid-js'
import type { Me } from '../../../schema/contracts/auth'
import { removeAvatar, uploadAvatar } from '../data/session'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatBytes, isolate } from '../i18n/format'
import { AVATAR_MAX_BYTES, AVATAR_TYPES, checkAvatar } from '../lib/avatar-check'
import { Avatar } from './Avatar'
import { FormError } from './FormError'
import { IconImage, IconTrash, IconUpload } from './Icons'

/** Pick, preview, upload or remove the profile picture. `onDone` reports success. */
export function AvatarEditor(props: { user: Me; onDone: (what: 'uploaded' | 'removed') => void }) {
  const [file, setFile] = createSignal<File>()
  const [preview, setPreview] = createSignal<string>()
  const [problem, setProblem] = createSignal<() => string>()
  const [busy, setBusy] = createSignal(false)
  let input: HTMLInputElement | undefined

  const clear = () => {
    const url = preview()
    if (url) URL.revokeObjectURL(url)
    setPreview(undefined)
    setFile(undefined)
    if (input) input.value = ''
  }
  onCleanup(clear)

  const pick = (event: Event & { currentTarget: HTMLInputElement }) => {
    const picked = event.currentTarget.files?.[0]
    clear()
    setProblem(undefined)
    if (!picked) return
    const issue = checkAvatar(picked)
    if (issue) {
      setProblem(() => issue)
      return
    }
    setFile(picked)
    setPreview(URL.createObjectURL(picked))
  }

  const run = async (action: () => Promise<unknown>, done: 'uploaded' | 'removed') => {
    setBusy(true)
    setProblem(undefined)
    try {
      await action()
      clear()
      props.onDone(done)
    } catch (err) {
      setProblem(() => () => errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="avatar-editor">
      <div class="avatar-stage">
        <Avatar user={props.user} size="lg" src={preview()} />
        <Show when={preview()}>
          <span class="badge badge-info">{t('avatar.preview')}</span>
        </Show>
      </div>
      <div class="avatar-controls">
        <p class="field-hint" id="avatar-hint">
          {t('avatar.hint', { size: isolate(formatBytes(AVATAR_MAX_BYTES)) })}
        </p>
        <FormError message={problem()?.()} testId="avatar-error" />
        <div class="button-row">
          <input
            ref={input}
            id="avatar"
            class="file-input"
            type="file"
            accept={AVATAR_TYPES.join(',')}
            aria-describedby="avatar-hint"
            data-testid="avatar-input"
            onChange={pick}
            disabled={busy()}
          />
          <label for="avatar" class="btn btn-secondary btn-sm">
            <IconImage size={18} />
            {t('avatar.choose')}
          </label>
          <Show when={file()}>
            {(chosen) => (
              <>
                <button
                  type="button"
                  class="btn btn-primary btn-sm"
                  data-testid="avatar-upload"
                  disabled={busy()}
                  onClick={() => run(() => uploadAvatar(chosen()), 'uploaded')}
                >
                  <IconUpload size={18} />
                  {busy() ? t('avatar.uploading') : t('avatar.upload')}
                </button>
                <button
                  type="button"
                  class="btn btn-ghost btn-sm"
                  onClick={clear}
                  disabled={busy()}
                >
                  {t('avatar.cancel')}
                </button>
              </>
            )}
          </Show>
          <Show when={!file() && props.user.hasAvatar}>
            <button
              type="button"
              class="btn btn-danger btn-sm"
              data-testid="avatar-remove"
              disabled={busy()}
              onClick={() => run(removeAvatar, 'removed')}
            >
              <IconTrash size={18} />
              {t('avatar.remove')}
            </button>
          </Show>
        </div>
      </div>
    </div>
  )
}
