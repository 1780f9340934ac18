import { createResource, createSignal, Show } from 'solid-js'
import { SeveritySchema, TtlSchema } from '../../../schema/contracts/iocs'
import { ApiFailure } from '../api/client'
import { defaultSettings, patchDefaultSettings, type DefaultSettings } from '../data/ldap'
import { t, tryT } from '../i18n'
import { errorMessage, fieldMessage, type FormErrors } from '../i18n/errors'
import { useAction } from '../lib/action'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { Loading } from './Loading'
import { Select } from './Select'
import { SANITY_MODES, type SanityMode } from '../../../functions/domain/sanity-policy'
import { TTL_TYPE_GROUPS, type TtlTypeGroup } from '../../../functions/domain/ttl-policy'

const FIELDS = ['defaultTtl', 'defaultConfidence', 'defaultSeverity', 'timezone', 'sanityMode', 'ttlByType', ...TTL_TYPE_GROUPS.map((g) => `ttlByType.${g}`)] as const

function defaultsFormErrors(err: unknown): FormErrors {
  if (!(err instanceof ApiFailure) || !err.fields.length) return { form: errorMessage(err), fields: {} }
  const fields: Record<string, string> = {}
  const stray: string[] = []
  for (const issue of err.fields) {
    const text = tryT(`settings.defaults.fieldErrors.${issue.field}.any`) ?? fieldMessage(issue)
    if ((FIELDS as readonly string[]).includes(issue.field)) fields[issue.field] ??= text
    else stray.push(text)
  }
  return { form: stray.length ? stray.join(' ') : t('errors.validation_failed'), fields }
}

/** Default TTL, confidence and severity of new IOCs, and the time zone. */
export function DefaultSettingsCard() {
  const [view, { mutate }] = createResource(defaultSettings)
  return (
    <section class="card glass" aria-labelledby="defaults-title" data-testid="default-settings">
      <h2 id="defaults-title">{t('settings.defaults.title')}</h2>
      <p class="muted small">{t('settings.defaults.intro')}</p>
      <FormError message={view.error ? errorMessage(view.error) : undefined} />
      <Show when={view.latest} fallback={<Show when={!view.error}><Loading /></Show>}>
        {(v) => <DefaultsForm settings={v().settings} onSaved={mutate} />}
      </Show>
    </section>
  )
}

function DefaultsForm(props: { settings: DefaultSettings; onSaved: (v: { settings: DefaultSettings }) => void }) {
  const draftOf = (s: DefaultSettings) => ({
    ...s,
    defaultConfidence: String(s.defaultConfidence),
    ttlByType: Object.fromEntries(TTL_TYPE_GROUPS.map((g) => [g, s.ttlByType[g] ?? ''])) as Record<TtlTypeGroup, string>,
  })
  const [draft, setDraft] = createSignal(draftOf(props.settings))
  const [errors, setErrors] = createSignal<FormErrors>()
  const [flash, setFlash] = createSignal<string>()
  const save = useAction()
  const set = (key: Exclude<keyof ReturnType<typeof draftOf>, 'ttlByType'>) => (value: string) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setFlash(undefined)
  }
  const setTypeTtl = (group: TtlTypeGroup) => (value: string) => {
    setDraft((d) => ({ ...d, ttlByType: { ...d.ttlByType, [group]: value } }))
    setFlash(undefined)
  }
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    void save.run(async () => {
      const d = draft()
      try {
        const next = await patchDefaultSettings({
          defaultTtl: d.defaultTtl,
          // Only the types with their own lifetime; the others follow defaultTtl.
          ttlByType: Object.fromEntries(Object.entries(d.ttlByType).filter(([, v]) => v)) as DefaultSettings['ttlByType'],
          sanityMode: d.sanityMode,
          defaultConfidence: d.defaultConfidence.trim() === '' ? (null as unknown as number) : Number(d.defaultConfidence),
          defaultSeverity: d.defaultSeverity,
          timezone: d.timezone.trim(),
        })
        props.onSaved(next)
        setDraft(draftOf(next.settings))
        setFlash(t('settings.defaults.saved'))
      } catch (e) {
        setErrors(defaultsFormErrors(e))
      }
    })
  }
  const err = (f: string) => errors()?.fields[f] || undefined
  return (
    <form class="form" onSubmit={submit} novalidate aria-label={t('settings.defaults.title')}>
      <div class="misp-grid">
        <Select id="defaults-ttl" testId="defaults-ttl" label={t('settings.defaults.ttl')} value={draft().defaultTtl} onValue={set('defaultTtl')} options={TtlSchema.options.map((x): [string, string] => [x, t(`bulk.ttl.${x}`)])} error={err('defaultTtl')} />
        <Field id="defaults-confidence" data-testid="defaults-confidence" type="number" min={0} max={100} label={t('settings.defaults.confidence')} value={draft().defaultConfidence} onValue={set('defaultConfidence')} error={err('defaultConfidence')} dir="ltr" />
        <Select id="defaults-severity" testId="defaults-severity" label={t('settings.defaults.severity')} value={draft().defaultSeverity} onValue={set('defaultSeverity')} options={SeveritySchema.options.map((x): [string, string] => [x, t(`ioc.severities.${x}`)])} error={err('defaultSeverity')} />
        <Field id="defaults-timezone" data-testid="defaults-timezone" label={t('settings.defaults.timezone')} hint={t('settings.defaults.timezoneHint')} value={draft().timezone} onValue={set('timezone')} error={err('timezone')} dir="ltr" autocomplete="off" spellcheck={false} />
      </div>
      <h3 class="form-section">{t('policy.ttlByTypeTitle')}</h3>
      <p class="muted small">{t('policy.ttlByTypeHint')}</p>
      <div class="misp-grid" data-testid="defaults-ttl-by-type">
        {TTL_TYPE_GROUPS.map((g) => (
          <Select
            id={`defaults-ttl-${g}`}
            testId={`defaults-ttl-${g}`}
            label={t(`policy.groups.${g}`)}
            value={draft().ttlByType[g]}
            onValue={setTypeTtl(g)}
            options={[['', t('policy.inherit', { ttl: t(`bulk.ttl.${draft().defaultTtl}`) })], ...TtlSchema.options.map((x): [string, string] => [x, t(`bulk.ttl.${x}`)])]}
            error={err(`ttlByType.${g}`) ?? err('ttlByType')}
          />
        ))}
      </div>
      <h3 class="form-section">{t('policy.modeTitle')}</h3>
      <div class="misp-grid">
        <Select
          id="defaults-sanity-mode"
          testId="defaults-sanity-mode"
          label={t('policy.mode')}
          value={draft().sanityMode}
          onValue={set('sanityMode')}
          options={SANITY_MODES.map((m): [string, string] => [m, t(`policy.modes.${m}`)])}
          hint={t(`policy.modeHelp.${draft().sanityMode as SanityMode}`)}
          error={err('sanityMode')}
        />
      </div>
      <p class="muted small" data-testid="defaults-critical-list">{t('policy.criticalList')}</p>
      <FormError message={errors()?.form} testId="defaults-form-error" />
      <SuccessNote message={flash()} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="defaults-save" disabled={save.busy()}>
          {save.busy() ? t('settings.defaults.saving') : t('settings.defaults.save')}
        </button>
      </div>
    </form>
  )
}
