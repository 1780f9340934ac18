import { createSignal, For, Show } from 'solid-js'
import { MISP_MAPPED_TYPES, MISP_TTL_GROUPS, WARNING_POLICIES } from '../../../schema/contracts/misp'
import { patchMispSettings, testMisp, type MispSettings, type MispSettingsPatch, type MispSettingsView } from '../data/misp'
import { t } from '../i18n'
import type { FormErrors } from '../i18n/errors'
import { formatUnit, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { Field, PasswordField } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconAlert, IconServer, IconTrash, IconUpload } from './Icons'
import { mispFormErrors, SwitchField } from './MispParts'
import { Select } from './Select'
import { TextArea } from './TextArea'

const FIELDS = ['url', 'apiKey', 'caPem', 'timeoutSeconds', 'pageSize', 'intervalMinutes', 'lastDays', 'tagsInclude', 'tagsExclude', 'types', 'confidence', 'ttl'] as const
const TTLS = ['1w', '1m', '3m', '1y', 'permanent'] as const

type Draft = ReturnType<typeof draftOf>

function draftOf(s: MispSettings) {
  return {
    enabled: s.enabled,
    url: s.url,
    apiKey: '',
    removeKey: false,
    verifyTls: s.verifyTls,
    caPem: s.caPem,
    timeoutSeconds: String(s.timeoutSeconds),
    pageSize: String(s.pageSize),
    intervalMinutes: String(s.intervalMinutes),
    published: s.published,
    toIds: s.toIds,
    enforceWarninglist: s.enforceWarninglist,
    tagsInclude: s.tagsInclude.join(', '),
    tagsExclude: s.tagsExclude.join(', '),
    lastDays: String(s.lastDays),
    types: [...s.types] as string[],
    domainIpBoth: s.domainIpBoth,
    warningPolicy: s.warningPolicy as string,
    ttl: { ...s.ttl } as Record<string, string>,
    confidence: s.confidence === null ? '' : String(s.confidence),
    confidenceFromTags: s.confidenceFromTags,
    campaignFromEvent: s.campaignFromEvent,
  }
}

const tags = (text: string) => [...new Set(text.split(',').map((x) => x.trim()).filter(Boolean))]
// An empty number field is sent as null: the server names the field instead of reading 0.
const num = (text: string) => (text.trim() === '' ? null : Number(text))

function patchOf(d: Draft): MispSettingsPatch {
  const patch = {
    enabled: d.enabled,
    url: d.url.trim(),
    verifyTls: d.verifyTls,
    caPem: d.caPem,
    timeoutSeconds: num(d.timeoutSeconds),
    pageSize: num(d.pageSize),
    intervalMinutes: num(d.intervalMinutes),
    published: d.published,
    toIds: d.toIds,
    enforceWarninglist: d.enforceWarninglist,
    tagsInclude: tags(d.tagsInclude),
    tagsExclude: tags(d.tagsExclude),
    lastDays: num(d.lastDays),
    types: d.types,
    domainIpBoth: d.domainIpBoth,
    warningPolicy: d.warningPolicy,
    ttl: d.ttl,
    confidence: num(d.confidence),
    confidenceFromTags: d.confidenceFromTags,
    campaignFromEvent: d.campaignFromEvent,
    ...(d.apiKey.trim() ? { apiKey: d.apiKey.trim() } : d.removeKey ? { apiKey: '' } : {}),
  }
  return patch as MispSettingsPatch
}

/** Every MISP pull setting; the API key is write-only (the saved one shows masked). */
export function MispSettingsForm(props: { view: MispSettingsView; onSaved: (view: MispSettingsView) => void }) {
  const [draft, setDraft] = createSignal(draftOf(props.view.settings))
  const [errors, setErrors] = createSignal<FormErrors>()
  const [flash, setFlash] = createSignal<string>()
  const save = useAction()
  const test = useAction()
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setFlash(undefined)
  }
  const err = (field: string) => errors()?.fields[field] || undefined
  const key = () => props.view.settings.apiKey

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    void save.run(async () => {
      try {
        const view = await patchMispSettings(patchOf(draft()))
        props.onSaved(view)
        setDraft(draftOf(view.settings))
        setFlash(t('misp.form.saved'))
      } catch (e) {
        setErrors(mispFormErrors(e, FIELDS))
      }
    })
  }

  const runTest = () => {
    setErrors(undefined)
    setFlash(undefined)
    void test.run(async () => {
      const d = draft()
      try {
        const res = await testMisp({
          url: d.url.trim() || undefined,
          ...(d.apiKey.trim() ? { apiKey: d.apiKey.trim() } : {}),
          verifyTls: d.verifyTls,
          caPem: d.caPem,
          ...(num(d.timeoutSeconds) ? { timeoutSeconds: num(d.timeoutSeconds)! } : {}),
        })
        setFlash(t('misp.test.ok', { version: isolate(res.version), ms: formatUnit(res.ms, 'millisecond', 0) }))
      } catch (e) {
        setErrors(mispFormErrors(e, FIELDS))
      }
    })
  }

  const loadCa = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    if (file) set('caPem')(await file.text())
    input.value = ''
  }

  return (
    <section class="card glass" aria-labelledby="misp-settings-title" data-testid="misp-settings">
      <h2 id="misp-settings-title">{t('misp.form.title')}</h2>
      <form class="form misp-form" onSubmit={submit} novalidate aria-label={t('misp.form.title')}>
        <fieldset class="misp-section">
          <legend>{t('misp.form.connection')}</legend>
          <div class="misp-grid">
            <Field id="misp-url" data-testid="misp-url" label={t('misp.form.url')} hint={t('misp.form.urlHint')} placeholder="https://misp.example.org" value={draft().url} onValue={set('url')} error={err('url')} dir="ltr" class="mono-input ltr-placeholder" autocomplete="off" spellcheck={false} />
            <PasswordField
              id="misp-api-key"
              data-testid="misp-api-key"
              label={t('misp.form.apiKey')}
              hint={key().set ? t('misp.form.apiKeySaved', { masked: isolate(key().masked ?? '') }) : t('misp.form.apiKeyHint')}
              placeholder={key().set ? (key().masked ?? '') : ''}
              value={draft().apiKey}
              onValue={(v) => setDraft((d) => ({ ...d, apiKey: v, removeKey: false }))}
              error={err('apiKey')}
              autocomplete="new-password"
              dir="ltr"
            />
          </div>
          <Show when={key().set && !draft().apiKey}>
            <div class="misp-inline">
              <Show when={draft().removeKey} fallback={
                <button type="button" class="btn btn-ghost btn-sm" data-testid="misp-remove-key" onClick={() => set('removeKey')(true)}>
                  <IconTrash size={16} />
                  {t('misp.form.removeKey')}
                </button>
              }>
                <span class="muted small" role="status">{t('misp.form.keyRemoved')}</span>
              </Show>
            </div>
          </Show>
          <Show when={/^http:\/\//i.test(draft().url.trim())}>
            <Warn testId="misp-http-warning" text={t('misp.form.httpWarning')} />
          </Show>
          <SwitchField id="misp-verify-tls" label={t('misp.form.verifyTls')} hint={t('misp.form.verifyTlsHint')} checked={draft().verifyTls} onChange={set('verifyTls')} />
          <Show when={!draft().verifyTls}>
            <Warn testId="misp-verify-warning" text={t('misp.form.verifyOff')} />
          </Show>
          <Show when={draft().verifyTls}>
            <TextArea id="misp-ca" data-testid="misp-ca" label={t('misp.form.caPem')} hint={t('misp.form.caPemHint')} rows={4} value={draft().caPem} onValue={set('caPem')} error={err('caPem')} class="mono-input" dir="ltr" spellcheck={false} placeholder="-----BEGIN CERTIFICATE-----" />
            <label class="btn btn-ghost btn-sm misp-file">
              <IconUpload size={16} />
              {t('misp.form.loadCa')}
              <input type="file" accept=".pem,.crt,.cer,.txt" class="visually-hidden" data-testid="misp-ca-file" onChange={(e) => void loadCa(e.currentTarget)} />
            </label>
          </Show>
          <div class="misp-grid">
            <Field id="misp-timeout" data-testid="misp-timeout" type="number" min={1} max={600} label={t('misp.form.timeout')} value={draft().timeoutSeconds} onValue={set('timeoutSeconds')} error={err('timeoutSeconds')} dir="ltr" />
            <Field id="misp-page-size" data-testid="misp-page-size" type="number" min={10} max={5000} label={t('misp.form.pageSize')} value={draft().pageSize} onValue={set('pageSize')} error={err('pageSize')} dir="ltr" />
          </div>
          <div class="form-actions">
            <button type="button" class="btn btn-secondary" data-testid="misp-test" disabled={test.busy()} onClick={runTest}>
              <IconServer size={16} />
              {test.busy() ? t('misp.test.testing') : t('misp.test.button')}
            </button>
          </div>
        </fieldset>
        <fieldset class="misp-section">
          <legend>{t('misp.form.schedule')}</legend>
          <SwitchField id="misp-enabled" label={t('misp.form.enabled')} hint={t('misp.form.enabledHint')} checked={draft().enabled} onChange={set('enabled')} />
          <div class="misp-grid">
            <Field id="misp-interval" data-testid="misp-interval" type="number" min={5} max={1440} label={t('misp.form.interval')} value={draft().intervalMinutes} onValue={set('intervalMinutes')} error={err('intervalMinutes')} dir="ltr" />
          </div>
        </fieldset>
        <Filters draft={draft()} set={set} err={err} />
        <Policy draft={draft()} set={set} err={err} />
        <FormError message={errors()?.form} testId="misp-form-error" />
        <SuccessNote message={flash()} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="misp-save" disabled={save.busy()}>
            {save.busy() ? t('misp.form.saving') : t('misp.form.save')}
          </button>
        </div>
      </form>
    </section>
  )
}

interface SectionProps {
  draft: Draft
  set: <K extends keyof Draft>(key: K) => (value: Draft[K]) => void
  err: (field: string) => string | undefined
}

function Warn(props: { text: string; testId: string }) {
  return (
    <div class="alert misp-warn" role="note" data-testid={props.testId}>
      <IconAlert size={18} />
      <span>{props.text}</span>
    </div>
  )
}

function Filters(props: SectionProps) {
  const toggleType = (type: string, on: boolean) =>
    props.set('types')(on ? [...props.draft.types, type] : props.draft.types.filter((x) => x !== type))
  return (
    <fieldset class="misp-section">
      <legend>{t('misp.form.filters')}</legend>
      <div class="misp-switches">
        <SwitchField id="misp-published" label={t('misp.form.published')} checked={props.draft.published} onChange={props.set('published')} />
        <SwitchField id="misp-to-ids" label={t('misp.form.toIds')} checked={props.draft.toIds} onChange={props.set('toIds')} />
        <SwitchField id="misp-warninglist" label={t('misp.form.enforceWarninglist')} checked={props.draft.enforceWarninglist} onChange={props.set('enforceWarninglist')} />
      </div>
      <div class="misp-grid">
        <Field id="misp-tags-include" data-testid="misp-tags-include" label={t('misp.form.tagsInclude')} hint={t('misp.form.tagsIncludeHint')} placeholder="tlp:white, tlp:green" value={props.draft.tagsInclude} onValue={props.set('tagsInclude')} error={props.err('tagsInclude')} dir="ltr" class="ltr-placeholder" />
        <Field id="misp-tags-exclude" data-testid="misp-tags-exclude" label={t('misp.form.tagsExclude')} hint={t('misp.form.tagsExcludeHint')} placeholder="tlp:red" value={props.draft.tagsExclude} onValue={props.set('tagsExclude')} error={props.err('tagsExclude')} dir="ltr" class="ltr-placeholder" />
        <Field id="misp-last-days" data-testid="misp-last-days" type="number" min={1} max={365} label={t('misp.form.lastDays')} value={props.draft.lastDays} onValue={props.set('lastDays')} error={props.err('lastDays')} dir="ltr" />
      </div>
      <div class="field" classList={{ 'has-error': !!props.err('types') }} role="group" aria-labelledby="misp-types-label" aria-describedby="misp-types-hint">
        <span class="misp-label" id="misp-types-label">{t('misp.form.types')}</span>
        <div class="misp-types" data-testid="misp-types">
          <For each={MISP_MAPPED_TYPES}>
            {(type) => (
              <label class="misp-type">
                <input type="checkbox" value={type} checked={props.draft.types.includes(type)} onChange={(e) => toggleType(type, e.currentTarget.checked)} />
                <code dir="ltr">{type}</code>
              </label>
            )}
          </For>
        </div>
        <p class="field-hint" id="misp-types-hint">{t('misp.form.typesHint')}</p>
        <p class="field-error" aria-live="polite">{props.err('types') ?? ''}</p>
      </div>
      <SwitchField id="misp-domain-ip" label={t('misp.form.domainIpBoth')} checked={props.draft.domainIpBoth} onChange={props.set('domainIpBoth')} />
    </fieldset>
  )
}

function Policy(props: SectionProps) {
  const ttlOptions = (): [string, string][] => TTLS.map((x) => [x, t(`bulk.ttl.${x}`)])
  return (
    <fieldset class="misp-section">
      <legend>{t('misp.form.policy')}</legend>
      <div class="misp-grid">
        <Select id="misp-warning-policy" testId="misp-warning-policy" label={t('misp.form.warningPolicy')} value={props.draft.warningPolicy} onValue={props.set('warningPolicy')} options={WARNING_POLICIES.map((p): [string, string] => [p, t(`misp.form.policies.${p}`)])} />
        <Field id="misp-confidence" data-testid="misp-confidence" type="number" min={0} max={100} label={t('misp.form.confidence')} hint={t('misp.form.confidenceHint')} value={props.draft.confidence} onValue={props.set('confidence')} error={props.err('confidence')} dir="ltr" />
      </div>
      <div class="field" role="group" aria-labelledby="misp-ttl-label">
        <span class="misp-label" id="misp-ttl-label">{t('misp.form.ttl')}</span>
        <div class="misp-ttl">
          <For each={MISP_TTL_GROUPS}>
            {(g) => (
              <Select id={`misp-ttl-${g}`} testId={`misp-ttl-${g}`} label={t(`misp.form.ttlGroups.${g}`)} value={props.draft.ttl[g]} onValue={(v) => props.set('ttl')({ ...props.draft.ttl, [g]: v })} options={ttlOptions()} />
            )}
          </For>
        </div>
        <p class="field-error" aria-live="polite">{props.err('ttl') ?? ''}</p>
      </div>
      <div class="misp-switches">
        <SwitchField id="misp-confidence-tags" label={t('misp.form.confidenceFromTags')} checked={props.draft.confidenceFromTags} onChange={props.set('confidenceFromTags')} />
        <SwitchField id="misp-campaign" label={t('misp.form.campaignFromEvent')} checked={props.draft.campaignFromEvent} onChange={props.set('campaignFromEvent')} />
      </div>
    </fieldset>
  )
}
