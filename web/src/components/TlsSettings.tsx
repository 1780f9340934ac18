import { createResource, createSignal, For, Show } from 'solid-js'
import { ApiFailure, tlsStatus, uploadTls, type TlsStatus } from '../api/client'
import { t, tryT } from '../i18n'
import { errorMessage, fieldMessage, formErrors, type FormErrors } from '../i18n/errors'
import { formatDateTime, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconAlert, IconShield, IconUpload } from './Icons'
import { Loading } from './Loading'
import { TextArea } from './TextArea'
import '../styles/tls.css'

const FIELDS = ['serverName', 'certificate', 'privateKey', 'chain'] as const
type FieldName = (typeof FIELDS)[number]
const DAY = 86_400_000

/** The server certificate: what is stored and served, and a form to upload a new one (admin). */
export function TlsSettingsCard() {
  const [status, { mutate }] = createResource(tlsStatus)
  return (
    <section class="card glass tls-card" aria-labelledby="tls-title" data-testid="tls-settings">
      <h2 id="tls-title">
        <IconShield size={20} /> {t('tls.title')}
      </h2>
      <p class="muted small">{t('tls.intro')}</p>
      <FormError message={status.error ? errorMessage(status.error) : undefined} />
      <Show when={status.latest} fallback={<Show when={!status.error}><Loading /></Show>}>
        {(s) => (
          <>
            <CertificateView status={s()} />
            <UploadForm status={s()} onSaved={mutate} />
          </>
        )}
      </Show>
    </section>
  )
}

function CertificateView(props: { status: TlsStatus }) {
  const cert = () => props.status.certificate
  const daysLeft = () => (cert() ? Math.floor((new Date(cert()!.validTo).getTime() - Date.now()) / DAY) : 0)
  return (
    <div class="tls-current" data-testid="tls-current">
      <Show when={cert()} fallback={<p class="alert alert-info" data-testid="tls-none">{t('tls.none')}</p>}>
        {(c) => (
          <>
            <p class="tls-state">
              <span class="badge" classList={{ 'badge-ok': props.status.https && !props.status.restartRequired, 'badge-warn': !props.status.https || props.status.restartRequired }} data-testid="tls-serving">
                {props.status.https && !props.status.restartRequired ? t('tls.serving') : t('tls.notServing')}
              </span>
              <span class="badge">{t(`tls.sources.${c().source}`)}</span>
            </p>
            <Show when={props.status.restartRequired}>
              <div class="alert alert-info" role="status" data-testid="tls-restart">
                <IconAlert size={18} />
                <span>{t('tls.restartRequired')}</span>
              </div>
            </Show>
            <Show when={daysLeft() < 30}>
              <div class="alert alert-error" role="alert">
                <IconAlert size={18} />
                <span>{daysLeft() < 0 ? t('tls.expired') : daysLeft() < 2 ? t('tls.expiresWithinDay') : t('tls.expiresSoon', { days: daysLeft() })}</span>
              </div>
            </Show>
            <dl class="details compact">
              <Row label={t('tls.serverName')} value={c().serverName} mono />
              <Row label={t('tls.subject')} value={c().subject} mono />
              <div class="detail-row">
                <dt>{t('tls.names')}</dt>
                <dd>
                  <ul class="tls-names">
                    <For each={c().subjectAltNames}>{(n) => <li dir="ltr">{n}</li>}</For>
                  </ul>
                </dd>
              </div>
              <Row label={t('tls.issuer')} value={c().issuer} mono />
              <Row label={t('tls.validFrom')} value={formatDateTime(c().validFrom)} />
              <Row label={t('tls.validTo')} value={formatDateTime(c().validTo)} />
              <Row label={t('tls.fingerprint')} value={c().fingerprint256} mono testId="tls-fingerprint" />
              <Show when={c().chainLength > 0}>
                <Row label={t('tls.chain')} value={c().chainLength === 1 ? t('tls.chainOne') : t('tls.chainCount', { n: c().chainLength })} />
              </Show>
            </dl>
          </>
        )}
      </Show>
    </div>
  )
}

function Row(props: { label: string; value: string; mono?: boolean; testId?: string }) {
  return (
    <div class="detail-row">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>
        <Show when={props.mono} fallback={props.value}>
          <code dir="ltr" class="tls-value">
            {props.value}
          </code>
        </Show>
      </dd>
    </div>
  )
}

/** Field problems in the user's language: the card's own wording per code, else the shared one. */
function tlsErrors(err: unknown): FormErrors {
  const result = formErrors(err, FIELDS)
  if (!(err instanceof ApiFailure)) return result
  const own: Record<string, string[]> = {}
  for (const issue of err.fields) {
    if (!(FIELDS as readonly string[]).includes(issue.field)) continue
    const params = Object.fromEntries(
      Object.entries(issue.params ?? {}).map(([k, v]) => [k, isolate(k === 'date' ? formatDateTime(String(v)) : String(v))]),
    )
    ;(own[issue.field] ??= []).push(tryT(`tls.fieldErrors.${issue.code}`, params) ?? fieldMessage(issue))
  }
  for (const [field, messages] of Object.entries(own)) result.fields[field] = messages.join(' ')
  return result
}

function UploadForm(props: { status: TlsStatus; onSaved: (s: TlsStatus) => void }) {
  const [draft, setDraft] = createSignal<Record<FieldName, string>>({ serverName: props.status.certificate?.serverName ?? '', certificate: '', privateKey: '', chain: '' })
  // The failure itself is kept, so its messages follow a language switch.
  const [failure, setFailure] = createSignal<unknown>()
  const errors = (): FormErrors | undefined => (failure() === undefined ? undefined : tlsErrors(failure()))
  const [saved, setSaved] = createSignal(false)
  const flash = () => (saved() ? t('tls.form.saved') : undefined)
  const save = useAction()
  const set = (key: FieldName) => (value: string) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setSaved(false)
  }
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setFailure(undefined)
    void save.run(async () => {
      try {
        const d = draft()
        const res = await uploadTls({
          certificate: d.certificate,
          privateKey: d.privateKey,
          chain: d.chain.trim() || undefined,
          serverName: d.serverName.trim() || undefined,
        })
        props.onSaved(res)
        // The key is not kept in the page once stored.
        setDraft((x) => ({ ...x, certificate: '', privateKey: '', chain: '' }))
        setSaved(true)
      } catch (err) {
        setFailure(err)
      }
    })
  }
  const fallbackName = () => props.status.defaultServerName
  return (
    <form class="form tls-form" onSubmit={submit} novalidate aria-label={t('tls.form.save')}>
      <FormError message={errors()?.form} testId="tls-form-error" />
      <SuccessNote message={flash()} />
      <Field
        id="tls-server-name"
        data-testid="tls-server-name"
        label={t('tls.form.serverName')}
        hint={fallbackName() ? t('tls.form.serverNameHint', { name: isolate(fallbackName()!) }) : t('tls.form.serverNameHintNone')}
        placeholder={fallbackName() || 'moat.soc.example'}
        value={draft().serverName}
        onValue={set('serverName')}
        error={errors()?.fields.serverName}
        class="mono-input ltr-placeholder"
        dir="ltr"
        autocomplete="off"
        spellcheck={false}
      />
      <PemField id="tls-certificate" label={t('tls.form.certificate')} value={draft().certificate} onValue={set('certificate')} error={errors()?.fields.certificate} placeholder="-----BEGIN CERTIFICATE-----" />
      <PemField id="tls-private-key" label={t('tls.form.privateKey')} hint={t('tls.form.privateKeyHint')} value={draft().privateKey} onValue={set('privateKey')} error={errors()?.fields.privateKey} placeholder="-----BEGIN PRIVATE KEY-----" />
      <PemField id="tls-chain" label={t('tls.form.chain')} value={draft().chain} onValue={set('chain')} error={errors()?.fields.chain} placeholder="-----BEGIN CERTIFICATE-----" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="tls-save" disabled={save.busy()}>
          {save.busy() ? t('tls.form.saving') : t('tls.form.save')}
        </button>
      </div>
    </form>
  )
}

/** A PEM text area with a "load from file" button that reads a local .pem/.crt/.key into it. */
function PemField(props: { id: string; label: string; hint?: string; value: string; onValue: (v: string) => void; error?: string; placeholder: string }) {
  let picker: HTMLInputElement | undefined
  const load = async (file: File | undefined) => {
    if (file) props.onValue(await file.text())
    if (picker) picker.value = ''
  }
  return (
    <div class="tls-pem">
      <TextArea
        id={props.id}
        data-testid={props.id}
        label={props.label}
        hint={props.hint}
        value={props.value}
        onValue={props.onValue}
        error={props.error}
        placeholder={props.placeholder}
        rows={5}
        dir="ltr"
        class="mono-input ltr-placeholder"
        spellcheck={false}
        autocomplete="off"
      />
      <input ref={picker} type="file" accept=".pem,.crt,.cer,.key,.txt" class="visually-hidden" tabindex={-1} aria-hidden="true" onChange={(e) => void load(e.currentTarget.files?.[0])} />
      <button type="button" class="btn btn-ghost btn-sm tls-load" onClick={() => picker?.click()} aria-label={`${t('tls.form.loadFile')}: ${props.label}`}>
        <IconUpload size={16} />
        {t('tls.form.loadFile')}
      </button>
    </div>
  )
}
