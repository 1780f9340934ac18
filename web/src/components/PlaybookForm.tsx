import { createSignal, For, Show } from 'solid-js'
import { fillTemplate, templateProblem } from '../../../functions/domain/playbook'
import { ApiFailure, type PlaybookInput, type PlaybookLink } from '../api/client'
import { t, tryT } from '../i18n'
import { errorMessage, fieldMessage } from '../i18n/errors'
import { useAction } from '../lib/action'
import { Field } from './Field'
import { FormError } from './FormError'
import { TextArea } from './TextArea'

const TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const
const SAMPLES: Record<string, string> = { ip: '203.0.113.7', domain: 'evil.example.com', url: 'http://evil.example.com/a?b=1', email: 'phish@evil.example.com', md5: 'd41d8cd98f00b204e9800998ecf8427e', sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }

/** A URL problem in the user's language (the server sends the same codes). */
export const urlProblemText = (code: string, fallback?: string) => tryT(`playbook.urlErrors.${code}`) ?? fallback ?? code

/** Create or edit one playbook entry; the URL is checked as it is typed, with the same rules as the server. */
export function PlaybookForm(props: { link?: PlaybookLink; groups: PlaybookLink[]; onSaved: (input: PlaybookInput) => Promise<void>; onCancel?: () => void }) {
  const l = props.link
  const [kind, setKind] = createSignal<'site' | 'group'>(l?.type === 'group' ? 'group' : 'site')
  const [name, setName] = createSignal(l?.name ?? '')
  const [url, setUrl] = createSignal(l?.url ?? '')
  const [description, setDescription] = createSignal(l?.description ?? '')
  const [types, setTypes] = createSignal<string[]>(l?.iocTypes ?? [])
  const [essential, setEssential] = createSignal(l?.essential ?? false)
  const [parent, setParent] = createSignal(l?.parentId ? String(l.parentId) : '')
  const [touched, setTouched] = createSignal(false)
  const action = useAction()
  const id = (f: string) => `playbook-${l?.id ?? 'new'}-${f}`
  const localProblem = () => {
    if (kind() !== 'site') return undefined
    if (!url().trim()) return touched() ? urlProblemText('required') : undefined
    const p = templateProblem(url().trim())
    return p ? urlProblemText(p.code, p.reason) : undefined
  }
  const serverField = (field: string) => {
    const err = action.error()
    const issue = err instanceof ApiFailure ? err.fields.find((f) => f.field === field || f.field.startsWith(`${field}.`)) : undefined
    if (!issue) return undefined
    return field === 'url' ? urlProblemText(issue.code, issue.reason) : fieldMessage(issue)
  }
  const sample = () => SAMPLES[types()[0] ?? 'domain']
  const preview = () => (kind() === 'site' && url().trim() && !localProblem() ? fillTemplate(url().trim(), types()[0] ?? 'domain', sample()) : '')
  const submit = (e: Event) => {
    e.preventDefault()
    setTouched(true)
    if (localProblem()) return
    void action.run(() =>
      props.onSaved({
        type: kind(),
        name: name().trim(),
        url: kind() === 'site' ? url().trim() : null,
        description: description(),
        iocTypes: types() as PlaybookInput['iocTypes'],
        essential: essential(),
        parentId: kind() === 'site' && parent() ? Number(parent()) : null,
      }),
    )
  }
  const toggleType = (type: string, on: boolean) => setTypes((old) => (on ? [...old, type] : old.filter((x) => x !== type)))
  return (
    <form class="playbook-form" onSubmit={submit} novalidate data-testid="playbook-form">
      <Show when={!l}>
        <div class="segmented" role="radiogroup" aria-label={t('playbook.kinds.site')}>
          <For each={['site', 'group'] as const}>
            {(k) => (
              <button type="button" role="radio" aria-checked={kind() === k} classList={{ active: kind() === k }} onClick={() => setKind(k)}>
                {t(`playbook.kinds.${k}`)}
              </button>
            )}
          </For>
        </div>
      </Show>
      <Field id={id('name')} label={t('playbook.name')} value={name()} onValue={setName} maxLength={200} required error={serverField('name')} data-testid="playbook-name" />
      <Show when={kind() === 'site'}>
        <Field id={id('url')} label={t('playbook.url')} value={url()} onValue={setUrl} dir="ltr" maxLength={2048} hint={t('playbook.urlHint')} error={localProblem() ?? serverField('url')} onBlur={() => setTouched(true)} data-testid="playbook-url" />
        <Show when={preview()}>
          <p class="field-hint" data-testid="playbook-preview">
            {t('playbook.preview', { value: sample() })} <span class="mono playbook-url" dir="ltr">{preview()}</span>
          </p>
        </Show>
        <fieldset class="type-fieldset">
          <legend>{t('playbook.appliesTo')}</legend>
          <div class="type-checks">
            <For each={TYPES}>
              {(type) => (
                <label>
                  <input type="checkbox" checked={types().includes(type)} onChange={(e) => toggleType(type, e.currentTarget.checked)} data-testid={`playbook-type-${type}`} />
                  {t(`iocTypesShort.${type}`)}
                </label>
              )}
            </For>
          </div>
          <Show when={!types().length}>
            <p class="field-hint">{t('playbook.allTypes')}</p>
          </Show>
        </fieldset>
        <Show when={props.groups.length}>
          <label class="field">
            <span>{t('playbook.group')}</span>
            <select value={parent()} onChange={(e) => setParent(e.currentTarget.value)}>
              <option value="">{t('playbook.noGroup')}</option>
              <For each={props.groups}>{(g) => <option value={String(g.id)}>{g.name}</option>}</For>
            </select>
          </label>
        </Show>
        <label class="check">
          <input type="checkbox" checked={essential()} onChange={(e) => setEssential(e.currentTarget.checked)} />
          {t('playbook.essential')}
        </label>
      </Show>
      <TextArea id={id('description')} label={t('playbook.description')} value={description()} onValue={setDescription} rows={2} maxLength={20000} dir="auto" />
      <FormError message={action.error() && !(action.error() instanceof ApiFailure && (action.error() as ApiFailure).fields.length) ? errorMessage(action.error()) : undefined} testId="playbook-error" />
      <div class="button-row">
        <button type="submit" class="btn btn-primary btn-sm" disabled={action.busy()} data-testid="playbook-save">
          {l ? t('playbook.save') : t('playbook.add')}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => props.onCancel?.()}>
            {t('playbook.cancel')}
          </button>
        </Show>
      </div>
    </form>
  )
}
