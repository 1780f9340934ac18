import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js'
import { patchYaraSettings, yaraSettings } from '../data/yara'
import { t } from '../i18n'
import { useAction } from '../lib/action'
import { yaraErrorMessage, yaraFormErrors } from '../lib/yara-errors'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'

/** Admins: the lint rules every upload is checked against, and who may review. */
export function YaraSettingsCard() {
  const [data, { mutate }] = createResource(yaraSettings)
  const [meta, setMeta] = createSignal('')
  const [pattern, setPattern] = createSignal('')
  const [atom, setAtom] = createSignal('')
  const [reviewers, setReviewers] = createSignal<number[]>([])
  const [done, setDone] = createSignal(false)
  const { busy, error, run } = useAction(() => setDone(false))
  const errors = () => (error() === undefined ? undefined : yaraFormErrors(error(), ['requiredMeta', 'namePattern', 'minAtomBytes']))

  createEffect(
    on(data, (d) => {
      if (!d) return
      setMeta(d.settings.requiredMeta.join(', '))
      setPattern(d.settings.namePattern)
      setAtom(String(d.settings.minAtomBytes))
      setReviewers(d.settings.reviewers)
    }),
  )

  const save = (event: SubmitEvent) => {
    event.preventDefault()
    void run(async () => {
      const { settings } = await patchYaraSettings({
        requiredMeta: meta().split(',').map((s) => s.trim()).filter(Boolean),
        namePattern: pattern(),
        minAtomBytes: Number(atom()),
        reviewers: reviewers(),
      })
      mutate((old) => (old ? { ...old, settings } : old))
      setDone(true)
    })
  }

  const toggle = (id: number, on: boolean) => setReviewers((old) => (on ? [...new Set([...old, id])] : old.filter((x) => x !== id)))

  return (
    <section class="card glass" aria-labelledby="yara-settings-title" data-testid="yara-settings">
      <h2 id="yara-settings-title">{t('yara.settings.title')}</h2>
      <p class="muted">{t('yara.settings.intro')}</p>
      <FormError message={data.error ? yaraErrorMessage(data.error) : errors()?.form} />
      <SuccessNote message={done() ? t('yara.settings.saved') : undefined} />
      <Show when={data()}>
        {(d) => (
          <form class="form yara-settings-form" onSubmit={save} novalidate>
            <Field id="yara-required-meta" data-testid="yara-required-meta" label={t('yara.settings.requiredMeta')} hint={t('yara.settings.requiredMetaHint')} value={meta()} onValue={setMeta} error={errors()?.fields.requiredMeta} dir="ltr" />
            <Field id="yara-name-pattern" data-testid="yara-name-pattern" label={t('yara.settings.namePattern')} hint={t('yara.settings.namePatternHint')} value={pattern()} onValue={setPattern} error={errors()?.fields.namePattern} dir="ltr" />
            <Field id="yara-min-atom" type="number" min={1} max={16} label={t('yara.settings.minAtomBytes')} hint={t('yara.settings.minAtomBytesHint')} value={atom()} onValue={setAtom} error={errors()?.fields.minAtomBytes} />
            <fieldset class="yara-reviewers">
              <legend>{t('yara.settings.reviewers')}</legend>
              <p class="field-hint">{t('yara.settings.reviewersHint')}</p>
              <Show when={d().candidates.length} fallback={<p class="muted small">{t('yara.settings.noAnalysts')}</p>}>
                <For each={d().candidates}>
                  {(u) => (
                    <label class="check">
                      <input type="checkbox" data-testid="yara-reviewer" value={u.id} checked={reviewers().includes(u.id)} onChange={(e) => toggle(u.id, e.currentTarget.checked)} />
                      <span>{u.displayName}</span> <span class="muted small" dir="ltr">@{u.username}</span>
                    </label>
                  )}
                </For>
              </Show>
            </fieldset>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" data-testid="yara-settings-save" disabled={busy()}>
                {t('yara.settings.save')}
              </button>
            </div>
          </form>
        )}
      </Show>
    </section>
  )
}
