import { createResource, createSignal, For, Show } from 'solid-js'
import { AUTH_MODES, type AuthMode } from '../../../schema/contracts/ldap'
import type { Role } from '../../../schema/contracts/common'
import { ApiFailure } from '../api/client'
import { ldapSettings, patchLdapSettings, testLdap, type LdapSettings, type LdapSettingsPatch, type LdapTestResult } from '../data/ldap'
import { t, tryT } from '../i18n'
import { errorMessage, fieldMessage, type FormErrors } from '../i18n/errors'
import { formatDateTime, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { Field, PasswordField } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconAlert, IconCheck, IconPlus, IconServer, IconTrash, IconUpload, IconX } from './Icons'
import { Loading } from './Loading'
import { SwitchField } from './MispParts'
import { Select } from './Select'
import { TextArea } from './TextArea'

const FIELDS = ['url', 'startTls', 'caPem', 'bindDn', 'bindPassword', 'searchBase', 'searchFilter', 'groups', 'timeoutSeconds', 'username'] as const
const ROLES: Role[] = ['admin', 'analyst', 'viewer']

/** Field problems in the user's language: `settings.ldap.fieldErrors.<field>.<code|any>`. */
function ldapFormErrors(err: unknown): FormErrors {
  const result: FormErrors = { fields: {} }
  if (!(err instanceof ApiFailure) || !err.fields.length) return { form: errorMessage(err), fields: {} }
  const stray: string[] = []
  for (const issue of err.fields) {
    const field = issue.field.split('.')[0]
    const text = tryT(`settings.ldap.fieldErrors.${field}.${issue.code}`) ?? tryT(`settings.ldap.fieldErrors.${field}.any`) ?? fieldMessage(issue)
    if ((FIELDS as readonly string[]).includes(field)) result.fields[field] ??= text
    else stray.push(text)
  }
  result.form = stray.length ? stray.join(' ') : t('errors.validation_failed')
  return result
}

function draftOf(s: LdapSettings) {
  return {
    mode: s.mode as AuthMode,
    url: s.url,
    startTls: s.startTls,
    caPem: s.caPem,
    bindDn: s.bindDn,
    bindPassword: '',
    removePassword: false,
    searchBase: s.searchBase,
    searchFilter: s.searchFilter,
    groups: s.groups.map((g) => ({ ...g })),
    timeoutSeconds: String(s.timeoutSeconds),
  }
}
type Draft = ReturnType<typeof draftOf>

const num = (text: string) => (text.trim() === '' ? null : Number(text))

function patchOf(d: Draft): LdapSettingsPatch {
  return {
    mode: d.mode,
    url: d.url.trim(),
    startTls: d.startTls,
    caPem: d.caPem,
    bindDn: d.bindDn.trim(),
    searchBase: d.searchBase.trim(),
    searchFilter: d.searchFilter.trim(),
    groups: d.groups.map((g) => ({ dn: g.dn.trim(), role: g.role })),
    timeoutSeconds: num(d.timeoutSeconds) as number,
    ...(d.bindPassword ? { bindPassword: d.bindPassword } : d.removePassword ? { bindPassword: '' } : {}),
  }
}

/** Auth mode and the LDAP / Active Directory connection, with "test connection". */
export function LdapSettingsCard() {
  const [view, { mutate }] = createResource(ldapSettings)
  return (
    <section class="card glass" aria-labelledby="ldap-title" data-testid="ldap-settings">
      <h2 id="ldap-title">{t('settings.ldap.title')}</h2>
      <p class="muted small">{t('settings.ldap.intro')}</p>
      <FormError message={view.error ? errorMessage(view.error) : undefined} />
      <Show when={view.latest} fallback={<Show when={!view.error}><Loading /></Show>}>
        {(v) => <LdapForm settings={v().settings} onSaved={(next) => mutate(next)} />}
      </Show>
    </section>
  )
}

function LdapForm(props: { settings: LdapSettings; onSaved: (view: { settings: LdapSettings }) => void }) {
  const [draft, setDraft] = createSignal(draftOf(props.settings))
  const [errors, setErrors] = createSignal<FormErrors>()
  const [flash, setFlash] = createSignal<string>()
  const [testUser, setTestUser] = createSignal('')
  const [testPassword, setTestPassword] = createSignal('')
  const [result, setResult] = createSignal<LdapTestResult>()
  const save = useAction()
  const test = useAction()
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setFlash(undefined)
  }
  const err = (field: string) => errors()?.fields[field] || undefined
  const saved = () => props.settings.bindPassword

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    void save.run(async () => {
      try {
        const next = await patchLdapSettings(patchOf(draft()))
        props.onSaved(next)
        setDraft(draftOf(next.settings))
        setFlash(t('settings.ldap.saved'))
      } catch (e) {
        setErrors(ldapFormErrors(e))
      }
    })
  }

  const runTest = () => {
    setErrors(undefined)
    setFlash(undefined)
    setResult(undefined)
    void test.run(async () => {
      const d = draft()
      try {
        const res = await testLdap({
          username: testUser().trim(),
          ...(testPassword() ? { password: testPassword() } : {}),
          url: d.url.trim() || undefined,
          startTls: d.startTls,
          caPem: d.caPem,
          bindDn: d.bindDn.trim(),
          ...(d.bindPassword ? { bindPassword: d.bindPassword } : {}),
          searchBase: d.searchBase.trim() || undefined,
          searchFilter: d.searchFilter.trim() || undefined,
          groups: d.groups.filter((g) => g.dn.trim()).map((g) => ({ dn: g.dn.trim(), role: g.role })),
          ...(num(d.timeoutSeconds) ? { timeoutSeconds: num(d.timeoutSeconds)! } : {}),
        })
        setResult(res)
      } catch (e) {
        setErrors(ldapFormErrors(e))
      }
    })
  }

  const loadCa = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    if (file) set('caPem')(await file.text())
    input.value = ''
  }
  const setGroup = (i: number, patch: Partial<{ dn: string; role: Role }>) => set('groups')(draft().groups.map((g, j) => (j === i ? { ...g, ...patch } : g)))
  const plain = () => /^ldap:\/\//i.test(draft().url.trim()) && !draft().startTls

  return (
    <form class="form misp-form ldap-form" onSubmit={submit} novalidate aria-label={t('settings.ldap.title')}>
      <fieldset class="misp-section">
        <legend>{t('settings.ldap.mode')}</legend>
        <div class="auth-modes" role="radiogroup" aria-label={t('settings.ldap.mode')} data-testid="ldap-mode">
          <For each={AUTH_MODES}>
            {(mode) => (
              <label class="auth-mode" classList={{ selected: draft().mode === mode }}>
                <input type="radio" name="ldap-mode" value={mode} checked={draft().mode === mode} onChange={() => set('mode')(mode)} data-testid={`ldap-mode-${mode}`} />
                <span>
                  <span class="strong">{t(`settings.ldap.modes.${mode}`)}</span>
                  <span class="field-hint">{t(`settings.ldap.modeHints.${mode}`)}</span>
                </span>
              </label>
            )}
          </For>
        </div>
      </fieldset>
      <fieldset class="misp-section">
        <legend>{t('settings.ldap.connection')}</legend>
        <div class="misp-grid">
          <Field id="ldap-url" data-testid="ldap-url" label={t('settings.ldap.url')} hint={t('settings.ldap.urlHint')} placeholder="ldaps://dc1.corp.example" value={draft().url} onValue={set('url')} error={err('url')} dir="ltr" class="mono-input ltr-placeholder" autocomplete="off" spellcheck={false} />
          <Field id="ldap-timeout" data-testid="ldap-timeout" type="number" min={1} max={60} label={t('settings.ldap.timeout')} value={draft().timeoutSeconds} onValue={set('timeoutSeconds')} error={err('timeoutSeconds')} dir="ltr" />
        </div>
        <SwitchField id="ldap-starttls" label={t('settings.ldap.startTls')} hint={err('startTls') ?? t('settings.ldap.startTlsHint')} checked={draft().startTls} onChange={set('startTls')} />
        <Show when={plain()}>
          <div class="alert misp-warn" role="note" data-testid="ldap-plain-warning">
            <IconAlert size={18} />
            <span>{t('settings.ldap.plainWarning')}</span>
          </div>
        </Show>
        <TextArea id="ldap-ca" data-testid="ldap-ca" label={t('settings.ldap.caPem')} hint={t('settings.ldap.caPemHint')} rows={3} value={draft().caPem} onValue={set('caPem')} error={err('caPem')} class="mono-input" dir="ltr" spellcheck={false} placeholder="-----BEGIN CERTIFICATE-----" />
        <label class="btn btn-ghost btn-sm misp-file">
          <IconUpload size={16} />
          {t('settings.ldap.loadCa')}
          <input type="file" accept=".pem,.crt,.cer,.txt" class="visually-hidden" data-testid="ldap-ca-file" onChange={(e) => void loadCa(e.currentTarget)} />
        </label>
      </fieldset>
      <fieldset class="misp-section">
        <legend>{t('settings.ldap.account')}</legend>
        <div class="misp-grid">
          <Field id="ldap-bind-dn" data-testid="ldap-bind-dn" label={t('settings.ldap.bindDn')} hint={t('settings.ldap.bindDnHint')} placeholder="cn=moat,ou=services,dc=corp,dc=example" value={draft().bindDn} onValue={set('bindDn')} error={err('bindDn')} dir="ltr" class="mono-input ltr-placeholder" autocomplete="off" spellcheck={false} />
          <PasswordField
            id="ldap-bind-password"
            data-testid="ldap-bind-password"
            label={t('settings.ldap.bindPassword')}
            hint={saved().set ? t('settings.ldap.bindPasswordSaved', { when: isolate(saved().updatedAt ? formatDateTime(saved().updatedAt!) : '') }) : t('settings.ldap.bindPasswordHint')}
            placeholder={saved().set ? '••••••••' : ''}
            value={draft().bindPassword}
            onValue={(v) => setDraft((d) => ({ ...d, bindPassword: v, removePassword: false }))}
            error={err('bindPassword')}
            autocomplete="new-password"
            dir="ltr"
          />
        </div>
        <Show when={saved().set && !draft().bindPassword}>
          <div class="misp-inline">
            <Show
              when={draft().removePassword}
              fallback={
                <button type="button" class="btn btn-ghost btn-sm" data-testid="ldap-remove-password" onClick={() => set('removePassword')(true)}>
                  <IconTrash size={16} />
                  {t('settings.ldap.removePassword')}
                </button>
              }
            >
              <span class="muted small" role="status">
                {t('settings.ldap.passwordRemoved')}
              </span>
            </Show>
          </div>
        </Show>
      </fieldset>
      <fieldset class="misp-section">
        <legend>{t('settings.ldap.search')}</legend>
        <div class="misp-grid">
          <Field id="ldap-search-base" data-testid="ldap-search-base" label={t('settings.ldap.searchBase')} hint={t('settings.ldap.searchBaseHint')} value={draft().searchBase} onValue={set('searchBase')} error={err('searchBase')} dir="ltr" class="mono-input" autocomplete="off" spellcheck={false} />
          <Field id="ldap-search-filter" data-testid="ldap-search-filter" label={t('settings.ldap.searchFilter')} hint={t('settings.ldap.searchFilterHint', { placeholder: isolate('{username}'), ad: isolate('(&(objectClass=user)(sAMAccountName={username}))') })} value={draft().searchFilter} onValue={set('searchFilter')} error={err('searchFilter')} dir="ltr" class="mono-input" autocomplete="off" spellcheck={false} />
        </div>
      </fieldset>
      <fieldset class="misp-section" data-testid="ldap-groups">
        <legend>{t('settings.ldap.groups')}</legend>
        <p class="field-hint">{t('settings.ldap.groupsHint')}</p>
        <Show when={draft().groups.length} fallback={<p class="muted small">{t('settings.ldap.noGroups')}</p>}>
          <div class="ldap-groups">
            <For each={draft().groups}>
              {(g, i) => (
                <div class="ldap-group" data-testid="ldap-group">
                  <Field id={`ldap-group-dn-${i()}`} data-testid="ldap-group-dn" label={t('settings.ldap.groupDn')} value={g.dn} onValue={(v) => setGroup(i(), { dn: v })} dir="ltr" class="mono-input" autocomplete="off" spellcheck={false} />
                  <Select id={`ldap-group-role-${i()}`} testId="ldap-group-role" label={t('settings.ldap.groupRole')} value={g.role} onValue={(v) => setGroup(i(), { role: v as Role })} options={ROLES.map((r): [string, string] => [r, t(`roles.${r}`)])} />
                  <button type="button" class="btn btn-ghost btn-icon" aria-label={t('settings.ldap.removeGroup', { n: i() + 1 })} title={t('settings.ldap.removeGroup', { n: i() + 1 })} onClick={() => set('groups')(draft().groups.filter((_, j) => j !== i()))}>
                    <IconTrash size={16} />
                  </button>
                </div>
              )}
            </For>
          </div>
        </Show>
        <p class="field-error" aria-live="polite" data-testid="ldap-groups-error">
          {err('groups') ?? ''}
        </p>
        <button type="button" class="btn btn-secondary btn-sm misp-file" data-testid="ldap-add-group" onClick={() => set('groups')([...draft().groups, { dn: '', role: 'viewer' }])}>
          <IconPlus size={16} />
          {t('settings.ldap.addGroup')}
        </button>
      </fieldset>
      <fieldset class="misp-section" data-testid="ldap-test">
        <legend>{t('settings.ldap.test.title')}</legend>
        <p class="field-hint">{t('settings.ldap.test.hint')}</p>
        <div class="misp-grid">
          <Field id="ldap-test-user" data-testid="ldap-test-user" label={t('settings.ldap.test.username')} value={testUser()} onValue={setTestUser} error={err('username')} dir="ltr" autocomplete="off" />
          <PasswordField id="ldap-test-password" data-testid="ldap-test-password" label={t('settings.ldap.test.password')} value={testPassword()} onValue={setTestPassword} autocomplete="off" dir="ltr" />
        </div>
        <div class="form-actions">
          <button type="button" class="btn btn-secondary" data-testid="ldap-test-run" disabled={test.busy()} onClick={runTest}>
            <IconServer size={16} />
            {test.busy() ? t('settings.ldap.test.testing') : t('settings.ldap.test.button')}
          </button>
        </div>
        <Show when={result()}>{(r) => <TestSteps result={r()} />}</Show>
      </fieldset>
      <FormError message={errors()?.form} testId="ldap-form-error" />
      <SuccessNote message={flash()} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="ldap-save" disabled={save.busy()}>
          {save.busy() ? t('settings.ldap.saving') : t('settings.ldap.save')}
        </button>
      </div>
    </form>
  )
}

function TestSteps(props: { result: LdapTestResult }) {
  return (
    <div class="ldap-result" data-testid="ldap-test-result" data-ok={props.result.ok ? 'true' : 'false'} role="status">
      <div class={`alert ${props.result.ok ? 'alert-success' : 'alert-error'}`}>
        {props.result.ok ? <IconCheck size={18} /> : <IconAlert size={18} />}
        <span>{props.result.ok ? t('settings.ldap.test.ok') : t('settings.ldap.test.failed')}</span>
      </div>
      <ol class="ldap-steps">
        <For each={props.result.steps}>
          {(s) => (
            <li class="ldap-step" data-testid="ldap-step" data-step={s.step} data-ok={s.ok ? 'true' : 'false'}>
              <span class={`badge badge-${s.ok ? 'ok' : 'bad'}`}>
                {s.ok ? <IconCheck size={14} /> : <IconX size={14} />}
                {s.ok ? t('settings.ldap.test.stepOk') : t('settings.ldap.test.stepFailed')}
              </span>
              <span class="strong">{t(`settings.ldap.test.steps.${s.step}`)}</span>
              <span class="muted small ldap-step-detail">
                <bdi>{s.message}</bdi>
              </span>
            </li>
          )}
        </For>
      </ol>
      <Show when={props.result.dn}>
        <p class="small" data-testid="ldap-test-role">
          {props.result.role ? t('settings.ldap.test.role', { role: t(`roles.${props.result.role}`) }) : t('settings.ldap.test.noRole')}
        </p>
      </Show>
    </div>
  )
}
