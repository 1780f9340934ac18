import { useSearchParams } from '@solidjs/router'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { IOC_TYPES, type IocType, parseIoc } from '../../../functions/domain/ioc'
import { ApiFailure, type IocInput } from '../api/client'
import { BulkImport } from '../components/BulkImport'
import { ExpiryPicker, type ExpiryMode } from '../components/ExpiryPicker'
import { Field } from '../components/Field'
import { FormError } from '../components/FormError'
import { IconPlus } from '../components/Icons'
import { endOfDayIso, splitTags } from '../components/IocBits'
import { IocPreview } from '../components/IocPreview'
import { PageHeader } from '../components/PageHeader'
import { Select } from '../components/Select'
import { SubmitResult, type SubmitOutcome } from '../components/SubmitResult'
import { TextArea } from '../components/TextArea'
import { useCampaigns } from '../data/campaigns'
import { defaultTtlOf, ttlName, useSubmissionDefaults } from '../data/policy'
import { ttlGroupOf } from '../../../functions/domain/ttl-policy'
import { createIoc } from '../data/iocs'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { iocErrorParts, severityLabel, typeLabel } from '../i18n/ioc'
import { canWrite } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const SHOWN = ['type', 'ttl', 'expiresAt', 'ticket', 'comment', 'campaign', 'tags', 'confidence', 'severity']
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const

/** A failed create, sorted into the result panel's cases. */
function outcomeOf(err: unknown, wanted: IocType | ''): SubmitOutcome {
  if (!(err instanceof ApiFailure)) return { kind: 'error', message: errorMessage(err) }
  const details = (err.details ?? {}) as Record<string, unknown>
  switch (err.code) {
    case 'duplicate':
      if (details.ioc) return { kind: 'duplicate', ioc: details.ioc as never }
      break
    case 'confirmation_required':
      return { kind: 'confirm', warnings: (details.warnings as never) ?? [], critical: Array.isArray(details.critical) && details.critical.length > 0 }
    case 'critical_blocked':
      return { kind: 'blocked', check: typeof details.check === 'string' ? details.check : undefined, forAll: details.mode === 'block_all' }
    case 'allowlisted':
      return { kind: 'allowlisted', entry: (details.entry as never) ?? { value: '', reason: err.message } }
    case 'invalid_ioc': {
      const [first] = err.fields
      const part = typeof details.part === 'string' ? details.part : undefined
      const parts = first
        ? iocErrorParts({ code: first.code, message: first.reason, part }, wanted)
        : { title: errorMessage(err) }
      const suggestion = typeof details.suggestion === 'string' ? details.suggestion : undefined
      return { kind: 'invalid', ...parts, suggestion }
    }
  }
  return { kind: 'error', message: errorMessage(err) }
}

export default function SubmitPage() {
  usePageTitle(() => t('submit.title'))
  const [params, setParams] = useSearchParams()
  const bulk = () => params.mode === 'bulk'
  const campaigns = useCampaigns()
  const [value, setValue] = createSignal('')
  const [type, setType] = createSignal<IocType | ''>('')
  // The type's default lifetime unless the analyst picks one (iocs.ttlByType over iocs.defaultTtl).
  const [mode, setMode] = createSignal<ExpiryMode>('default')
  const defaults = useSubmissionDefaults()
  const [date, setDate] = createSignal('')
  const [ticket, setTicket] = createSignal('')
  const [campaign, setCampaign] = createSignal('')
  const [tags, setTags] = createSignal('')
  const [comment, setComment] = createSignal('')
  const [confidence, setConfidence] = createSignal('')
  const [severity, setSeverity] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [outcome, setOutcome] = createSignal<SubmitOutcome>()
  const [error, setError] = createSignal<unknown>()
  const [dateMissing, setDateMissing] = createSignal(false)
  let valueInput: HTMLInputElement | undefined
  let lastInput: IocInput | undefined

  const parsed = createMemo(() => (value().trim() ? parseIoc(value(), { type: type() || undefined }) : null))
  /** "Default (IP): 1 week" for the detected or chosen type, else the general default. */
  const defaultLabel = () => {
    const s = defaults()
    if (!s) return t('bulk.ttlDefault')
    const p = parsed()
    const ty = p?.ok ? p.type : (type() || undefined)
    if (!ty) return t('policy.defaultAny', { ttl: ttlName(s.defaultTtl) })
    return t('policy.defaultFor', { type: t(`policy.groupShort.${ttlGroupOf(ty)}`), ttl: ttlName(defaultTtlOf(s, ty)) })
  }
  const errors = () => {
    const err = error()
    if (err === undefined) return undefined
    // invalid_ioc, duplicates and friends are told in the result panel.
    return err instanceof ApiFailure && err.code === 'validation_failed' ? formErrors(err, SHOWN) : undefined
  }

  function buildInput(): IocInput | undefined {
    const input: IocInput = { value: value() }
    if (type()) input.type = type() as IocType
    if (mode() === 'date') {
      const at = endOfDayIso(date())
      if (!at) return void setDateMissing(true)
      input.expiresAt = at
    } else if (mode() !== 'keep' && mode() !== 'default') input.ttl = mode() as IocInput['ttl']
    if (ticket().trim()) input.ticket = ticket().trim()
    if (campaign().trim()) input.campaign = campaign().trim()
    const list = splitTags(tags())
    if (list.length) input.tags = list
    if (comment().trim()) input.comment = comment()
    if (confidence().trim() !== '') input.confidence = Number(confidence())
    if (severity()) input.severity = severity() as IocInput['severity']
    return input
  }

  async function send(input: IocInput) {
    if (busy()) return
    setBusy(true)
    setError(undefined)
    lastInput = input
    try {
      const res = await createIoc(input)
      if (input.onDuplicate === 'extend') {
        setOutcome({ kind: 'extended', ioc: res.ioc, extended: res.extended ?? false })
      } else {
        setOutcome({ kind: 'created', ioc: res.ioc, warnings: res.warnings })
        setValue('')
        valueInput?.focus()
      }
      if (input.campaign) void campaigns.refetch()
    } catch (err) {
      setError(err)
      setOutcome(outcomeOf(err, (input.type ?? '') as IocType | ''))
    } finally {
      setBusy(false)
    }
  }

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setDateMissing(false)
    const input = buildInput()
    if (input) void send(input)
  }

  const useSuggestion = (suggestion: string) => {
    setValue(suggestion)
    setOutcome(undefined)
    valueInput?.focus()
  }

  return (
    <div class="page page-wide">
      <PageHeader icon={IconPlus} title={t('submit.title')} subtitle={t('submit.subtitle')} />
      <Show when={canWrite(user())} fallback={<div class="alert alert-info">{t('submit.readOnly')}</div>}>
        <div class="tabs" role="tablist" aria-label={t('submit.title')}>
          <button type="button" role="tab" class="tab" data-testid="tab-single" aria-selected={!bulk()} onClick={() => setParams({ mode: undefined })}>
            {t('bulk.tabSingle')}
          </button>
          <button type="button" role="tab" class="tab" data-testid="tab-bulk" aria-selected={bulk()} onClick={() => setParams({ mode: 'bulk' })}>
            {t('bulk.tabBulk')}
          </button>
        </div>
        <Show when={bulk()}>
          <BulkImport batch={Number(params.batch) || undefined} />
        </Show>
        <Show when={!bulk()}>
        <div class="submit-grid">
          <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="submit-form-title">
            <h2 id="submit-form-title" class="visually-hidden">{t('submit.title')}</h2>
            <FormError message={errors()?.form} />
            <div class="field field-value" classList={{ 'has-error': !!parsed() && !parsed()!.ok }}>
              <label for="submit-value">{t('submit.value')}</label>
              <input
                id="submit-value"
                name="value"
                data-testid="submit-value"
                class="mono-input"
                dir="ltr"
                ref={valueInput}
                value={value()}
                onInput={(e) => {
                  setValue(e.currentTarget.value)
                  if (outcome()?.kind !== 'created') setOutcome(undefined)
                }}
                placeholder={t('submit.valuePlaceholder')}
                autocomplete="off"
                autocapitalize="off"
                spellcheck={false}
                maxLength={8192}
                required
                aria-describedby="preview-title"
              />
            </div>
            <div class="field-row">
              <Select
                id="submit-type"
                testId="submit-type"
                label={t('submit.type')}
                value={type()}
                onValue={(v) => setType(v as IocType | '')}
                options={[['', t('submit.typeAuto')], ...IOC_TYPES.map((ty): [string, string] => [ty, typeLabel(ty)])]}
                error={errors()?.fields.type}
              />
              <ExpiryPicker
                idPrefix="submit"
                label={t('submit.lifetime')}
                defaultLabel={defaultLabel()}
                mode={mode()}
                onMode={setMode}
                date={date()}
                onDate={(d) => {
                  setDate(d)
                  setDateMissing(false)
                }}
                error={errors()?.fields.ttl}
                dateError={dateMissing() ? t('validation.required') : errors()?.fields.expiresAt}
              />
            </div>
            <h3 class="form-section">{t('submit.details')}</h3>
            <div class="field-row">
              <Field
                id="submit-ticket"
                data-testid="submit-ticket"
                label={t('submit.ticket')}
                placeholder={t('submit.ticketPlaceholder')}
                value={ticket()}
                onValue={setTicket}
                error={errors()?.fields.ticket}
                maxLength={64}
                autocomplete="off"
              />
              <Field
                id="submit-campaign"
                data-testid="submit-campaign"
                label={t('submit.campaign')}
                placeholder={t('submit.campaignPlaceholder')}
                hint={t('submit.campaignHint')}
                list="submit-campaign-list"
                value={campaign()}
                onValue={setCampaign}
                error={errors()?.fields.campaign}
                maxLength={100}
                autocomplete="off"
              />
              <datalist id="submit-campaign-list">
                <For each={campaigns.list() ?? []}>{(c) => <option value={c.name} />}</For>
              </datalist>
            </div>
            <Field
              id="submit-tags"
              data-testid="submit-tags"
              label={t('submit.tags')}
              placeholder={t('submit.tagsPlaceholder')}
              hint={t('submit.tagsHint')}
              value={tags()}
              onValue={setTags}
              error={errors()?.fields.tags}
              autocomplete="off"
            />
            <div class="field-row">
              <Field
                id="submit-confidence"
                data-testid="submit-confidence"
                type="number"
                inputmode="numeric"
                min={0}
                max={100}
                step={1}
                label={t('submit.confidence')}
                hint={t('submit.confidenceHint')}
                value={confidence()}
                onValue={setConfidence}
                error={errors()?.fields.confidence}
              />
              <Select
                id="submit-severity"
                testId="submit-severity"
                label={t('submit.severity')}
                value={severity()}
                onValue={setSeverity}
                options={[['', t('submit.severityDefault')], ...SEVERITIES.map((s): [string, string] => [s, severityLabel(s)])]}
                error={errors()?.fields.severity}
              />
            </div>
            <TextArea
              id="submit-comment"
              data-testid="submit-comment"
              label={t('submit.comment')}
              rows={3}
              maxLength={2000}
              value={comment()}
              onValue={setComment}
              error={errors()?.fields.comment}
            />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" data-testid="submit-button" disabled={busy() || !value().trim()}>
                <IconPlus size={18} />
                {busy() && !outcome() ? t('submit.submitting') : t('submit.submit')}
              </button>
            </div>
          </form>
          <div class="stack submit-side">
            <IocPreview parsed={parsed()} wanted={type()} onSuggestion={useSuggestion} />
            <Show when={outcome()}>
              {(o) => (
                <SubmitResult
                  outcome={o()}
                  busy={busy()}
                  onExtend={() => lastInput && void send({ ...lastInput, onDuplicate: 'extend' })}
                  onConfirm={() => lastInput && void send({ ...lastInput, confirm: true })}
                  onSuggestion={useSuggestion}
                  onDismiss={() => setOutcome(undefined)}
                />
              )}
            </Show>
          </div>
        </div>
        </Show>
      </Show>
    </div>
  )
}
