import { createResource, createSignal, For, Show } from 'solid-js'
import type { Ioc } from '../api/client'
import { addNote, listNotes } from '../data/iocs'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatDateTime, isolate } from '../i18n/format'
import { renderMarkdown } from '../lib/markdown'
import { canWrite } from '../lib/permissions'
import { FormError } from './FormError'

/** Notes on the IOC's value (Markdown, rendered through the sanitizer only). */
export function IocNotes(props: { ioc: Pick<Ioc, 'type' | 'value'> }) {
  const [notes, { mutate }] = createResource(
    () => ({ type: props.ioc.type, value: props.ioc.value }),
    async (key) => (await listNotes(key.type, key.value)).items,
  )
  const [draft, setDraft] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    const body = draft().trim()
    if (!body || busy()) return
    setBusy(true)
    setError(undefined)
    try {
      const { note } = await addNote(props.ioc.type, props.ioc.value, body)
      mutate((old) => [...(old ?? []), note])
      setDraft('')
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="drawer-section" data-testid="notes" aria-labelledby="notes-title">
      <h3 id="notes-title">{t('notes.title')}</h3>
      <FormError
        message={notes.error ? errorMessage(notes.error) : undefined}
        testId="notes-load-error"
      />
      <Show when={notes() && !notes()!.length}>
        <p class="muted">{t('notes.empty')}</p>
      </Show>
      <div class="notes-list">
        <For each={notes.error ? [] : notes()}>
          {(note) => (
            <article class="note" data-testid="note">
              <p class="note-meta muted">
                {t('notes.meta', { author: isolate(note.author), when: formatDateTime(note.createdAt) })}
              </p>
              {/* renderMarkdown returns DOMPurify output only. */}
              <div class="note-body markdown" innerHTML={renderMarkdown(note.body)} />
            </article>
          )}
        </For>
      </div>
      <Show when={canWrite(user())}>
        <form class="form note-form" onSubmit={submit} novalidate>
          <FormError message={error() ? errorMessage(error()) : undefined} testId="note-error" />
          <label class="visually-hidden" for="note-input">
            {t('notes.label')}
          </label>
          <textarea
            id="note-input"
            class="textarea"
            data-testid="note-input"
            rows={3}
            maxLength={10000}
            placeholder={t('notes.placeholder')}
            value={draft()}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <div class="note-actions">
            <p class="field-hint">{t('notes.hint')}</p>
            <button
              type="submit"
              class="btn btn-secondary btn-sm"
              data-testid="note-add"
              disabled={busy() || !draft().trim()}
            >
              {busy() ? t('notes.adding') : t('notes.add')}
            </button>
          </div>
        </form>
      </Show>
    </section>
  )
}
