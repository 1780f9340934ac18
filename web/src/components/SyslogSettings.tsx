import { createResource, createSignal, Show } from 'solid-js'
import { FACILITY_NAMES } from '../../../functions/domain/syslog'
import { ApiFailure, type AuditSettings } from '../api/client'
import { auditSettings, patchAuditSettings, testSyslog } from '../data/admin'
import { t } from '../i18n'
import { errorMessage, type FormErrors } from '../i18n/errors'
import { formatDateTime, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { adminFormErrors } from '../lib/admin-errors'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconAlert, IconSend } from './Icons'
import { Loading } from './Loading'
import { Select } from './Select'

const FIELDS = ['syslogEnabled', 'syslogHost', 'syslogPort', 'syslogFacility', 'retentionDays'] as const

/** Syslog collector, audit retention and the state of delivery (local CEF file and collector). */
export function SyslogSettingsCard() {
  const [settings, { mutate }] = createResource(async () => (await auditSettings()).settings)
  return (
    <section class="card glass" aria-labelledby="syslog-title" data-testid="syslog-settings">
      <h2 id="syslog-title">{t('audit.syslog.title')}</h2>
      <p class="muted small">{t('audit.syslog.intro')}</p>
      <FormError message={settings.error ? errorMessage(settings.error) : undefined} />
      <Show when={settings()} fallback={<Show when={!settings.error}><Loading /></Show>}>
        {(s) => (
          <>
            <Delivery settings={s()} />
            <SyslogForm settings={s()} onSaved={mutate} />
          </>
        )}
      </Show>
    </section>
  )
}

function Delivery(props: { settings: AuditSettings }) {
  const d = () => props.settings.delivery
  const fileBehind = () => Math.max(0, d().lastAuditId - d().fileShippedId)
  const syslogBehind = () => Math.max(0, d().lastAuditId - d().syslogShippedId)
  return (
    <div class="audit-delivery" data-testid="audit-delivery">
      <dl class="details compact">
        <div class="detail-row">
          <dt>{t('audit.syslog.localFile')}</dt>
          <dd>
            <code dir="ltr">data/audit/cef.log</code> · {fileBehind() ? t('audit.syslog.waiting', { n: fileBehind() }) : t('audit.syslog.upToDate')}
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('audit.syslog.lastShipped')}</dt>
          <dd>{d().lastShippedAt ? formatDateTime(d().lastShippedAt!) : t('audit.syslog.never')}</dd>
        </div>
        <Show when={props.settings.syslogEnabled}>
          <div class="detail-row">
            <dt>{t('audit.syslog.collector')}</dt>
            <dd>
              <code dir="ltr">
                {props.settings.syslogHost}:{props.settings.syslogPort}
              </code>{' '}
              · {syslogBehind() ? t('audit.syslog.waiting', { n: syslogBehind() }) : t('audit.syslog.upToDate')}
            </dd>
          </div>
        </Show>
      </dl>
      <Show when={d().syslogError}>
        {(err) => (
          <div class="alert alert-error" role="alert" data-testid="syslog-error">
            <IconAlert size={18} />
            <span>
              {t('audit.syslog.failing', { when: formatDateTime(d().syslogErrorAt ?? ''), error: isolate(err()) })}
            </span>
          </div>
        )}
      </Show>
      <Show when={d().lastError}>
        {(err) => (
          <div class="alert alert-error" role="alert">
            <IconAlert size={18} />
            <span>{t('audit.syslog.shipFailing', { error: isolate(err()) })}</span>
          </div>
        )}
      </Show>
    </div>
  )
}

function SyslogForm(props: { settings: AuditSettings; onSaved: (s: AuditSettings) => void }) {
  const [draft, setDraft] = createSignal({
    syslogEnabled: props.settings.syslogEnabled,
    syslogHost: props.settings.syslogHost,
    syslogPort: String(props.settings.syslogPort),
    syslogFacility: props.settings.syslogFacility,
    retentionDays: String(props.settings.retentionDays),
  })
  const [errors, setErrors] = createSignal<FormErrors>()
  const [flash, setFlash] = createSignal<string>()
  const save = useAction()
  const test = useAction()
  const set = (key: keyof ReturnType<typeof draft>) => (value: string | boolean) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setFlash(undefined)
  }
  const payload = () => {
    const d = draft()
    return { ...d, syslogHost: d.syslogHost.trim(), syslogPort: Number(d.syslogPort), retentionDays: Number(d.retentionDays) }
  }

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    void save.run(async () => {
      try {
        const res = await patchAuditSettings(payload())
        props.onSaved(res.settings)
        setFlash(t('audit.syslog.saved'))
      } catch (err) {
        setErrors(adminFormErrors(err, FIELDS, 'audit'))
      }
    })
  }

  const sendTest = () => {
    setErrors(undefined)
    void test.run(async () => {
      try {
        const p = payload()
        const res = await testSyslog({ host: p.syslogHost || undefined, port: p.syslogPort, facility: p.syslogFacility })
        setFlash(t('audit.syslog.testSent', { target: isolate(res.target) }))
      } catch (err) {
        const e = adminFormErrors(err, ['host', 'port', 'facility'], 'audit')
        const form = err instanceof ApiFailure && err.code === 'syslog_unreachable' ? t('audit.syslog.testFailed', { error: isolate(err.message) }) : e.form
        setErrors({ form, fields: { syslogHost: e.fields.host ?? '', syslogPort: e.fields.port ?? '' } })
      }
    })
  }

  return (
    <form class="form" onSubmit={submit} novalidate aria-label={t('audit.syslog.title')}>
      <FormError message={errors()?.form} testId="syslog-form-error" />
      <SuccessNote message={flash()} />
      <div class="switch-field">
        <label class="switch">
          <input
            id="syslog-enabled"
            type="checkbox"
            role="switch"
            data-testid="syslog-enabled"
            checked={draft().syslogEnabled}
            aria-describedby="syslog-enabled-hint"
            onChange={(e) => set('syslogEnabled')(e.currentTarget.checked)}
          />
          <span class="switch-track" aria-hidden="true" />
        </label>
        <div>
          <label for="syslog-enabled" class="strong">
            {t('audit.syslog.enabled')}
          </label>
          <p class="field-hint" id="syslog-enabled-hint">
            {t('audit.syslog.enabledHint')}
          </p>
        </div>
      </div>
      <div class="syslog-fields">
        <Field id="syslog-host" data-testid="syslog-host" label={t('audit.syslog.host')} placeholder="siem.example.org" value={draft().syslogHost} onValue={set('syslogHost')} error={errors()?.fields.syslogHost || undefined} class="mono-input ltr-placeholder" dir="ltr" autocomplete="off" spellcheck={false} />
        <Field id="syslog-port" data-testid="syslog-port" type="number" min={1} max={65535} label={t('audit.syslog.port')} value={draft().syslogPort} onValue={set('syslogPort')} error={errors()?.fields.syslogPort || undefined} dir="ltr" />
        <Select
          id="syslog-facility"
          testId="syslog-facility"
          label={t('audit.syslog.facility')}
          value={draft().syslogFacility}
          onValue={set('syslogFacility')}
          error={errors()?.fields.syslogFacility}
          options={FACILITY_NAMES.map((f): [string, string] => [f, f])}
        />
        <Field id="audit-retention" data-testid="audit-retention" type="number" min={7} max={3650} label={t('audit.syslog.retention')} hint={t('audit.syslog.retentionHint')} value={draft().retentionDays} onValue={set('retentionDays')} error={errors()?.fields.retentionDays} dir="ltr" />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="syslog-save" disabled={save.busy()}>
          {save.busy() ? t('audit.syslog.saving') : t('audit.syslog.save')}
        </button>
        <button type="button" class="btn btn-secondary" data-testid="syslog-test" disabled={test.busy()} onClick={sendTest}>
          <IconSend size={16} />
          {test.busy() ? t('audit.syslog.testing') : t('audit.syslog.test')}
        </button>
      </div>
    </form>
  )
}
