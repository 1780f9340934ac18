import { createSignal, For, untrack } from 'solid-js'
import type { Ioc, IocPatch } from '../api/client'
import { patchIoc } from '../data/iocs'
import { t } from '../i18n'
import { formErrors } from '../i18n/errors'
import { severityLabel } from '../i18n/ioc'
import { useAction } from '../lib/action'
import { ExpiryPicker, type ExpiryMode } from './ExpiryPicker'
import { Field } from './Field'
import { FormError } from './FormError'
import { endOfDayIso, splitTags } from './IocBits'
import { Select } from './Select'
import { TextArea } from './TextArea'

const SHOWN = ['ttl', 'expiresAt', 'ticket', 'comment', 'campaign', 'tags', 'confidence', 'severity']
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const

/** Inline edit of an IOC's mutable fields; sends only what changed. */
export function IocEditForm(props: {
  ioc: Ioc
  campaigns: string[]
  onSaved: (ioc: Ioc | null) => void
  onCancel: () => void
}) {
  const start = untrack(() => props.ioc)
  const [mode, setMode] = createSignal<ExpiryMode>('keep')
  const [date, setDate] = createSignal('')
  const [ticket, setTicket] = createSignal(start.ticket)
  const [comment, setComment] = createSignal(start.comment)
  const [campaign, setCampaign] = createSignal(start.campaign?.name ?? '')
  const [tags, setTags] = createSignal(start.tags.join(', '))
  const [confidence, setConfidence] = createSignal(String(start.confidence))
  const [severity, setSeverity] = createSignal<string>(start.severity)
  const { busy, error, run } = useAction()
  const errors = () => (error() === undefined ? undefined : formErrors(error(), SHOWN))

  function buildPatch(): IocPatch {
    const patch: IocPatch = {}
    const m = mode()
    if (m === 'date') patch.expiresAt = endOfDayIso(date()) ?? date()
    else if (m !== 'keep' && m !== 'default') patch.ttl = m
    if (ticket().trim() !== start.ticket) patch.ticket = ticket().trim()
    if (comment() !== start.comment) patch.comment = comment()
    const name = campaign().trim()
    if (name !== (start.campaign?.name ?? '')) patch.campaign = name || null
    const list = splitTags(tags())
    if (list.join('\n') !== start.tags.join('\n')) patch.tags = list
    const conf = confidence().trim()
    if (conf !== '' && conf !== String(start.confidence)) patch.confidence = Number(conf)
    if (severity() !== start.severity) patch.severity = severity() as IocPatch['severity']
    return patch
  }

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    const patch = buildPatch()
    if (!Object.keys(patch).length) return props.onSaved(null)
    void run(async () => props.onSaved((await patchIoc(start.id, patch)).ioc))
  }

  return (
    <form class="form edit-form" onSubmit={submit} novalidate data-testid="edit-form">
      <FormError message={errors()?.form} />
      <div class="field-row">
        <ExpiryPicker
          idPrefix="edit"
          label={t('drawer.expiry')}
          mode={mode()}
          onMode={setMode}
          date={date()}
          onDate={setDate}
          allowKeep
          error={errors()?.fields.ttl}
          dateError={errors()?.fields.expiresAt}
        />
      </div>
      <div class="field-row">
        <Field
          id="edit-ticket"
          data-testid="edit-ticket"
          label={t('submit.ticket')}
          value={ticket()}
          onValue={setTicket}
          error={errors()?.fields.ticket}
          maxLength={64}
          dir="auto"
        />
        <Field
          id="edit-campaign"
          data-testid="edit-campaign"
          label={t('submit.campaign')}
          list="edit-campaign-list"
          value={campaign()}
          onValue={setCampaign}
          hint={t('drawer.clearCampaign')}
          error={errors()?.fields.campaign}
          maxLength={100}
          autocomplete="off"
        />
        <datalist id="edit-campaign-list">
          <For each={props.campaigns}>{(name) => <option value={name} />}</For>
        </datalist>
      </div>
      <Field
        id="edit-tags"
        data-testid="edit-tags"
        label={t('submit.tags')}
        hint={t('submit.tagsHint')}
        value={tags()}
        onValue={setTags}
        error={errors()?.fields.tags}
      />
      <div class="field-row">
        <Field
          id="edit-confidence"
          data-testid="edit-confidence"
          type="number"
          inputmode="numeric"
          min={0}
          max={100}
          step={1}
          label={t('submit.confidence')}
          value={confidence()}
          onValue={setConfidence}
          error={errors()?.fields.confidence}
        />
        <Select
          id="edit-severity"
          testId="edit-severity"
          label={t('submit.severity')}
          value={severity()}
          onValue={setSeverity}
          options={SEVERITIES.map((s): [string, string] => [s, severityLabel(s)])}
          error={errors()?.fields.severity}
        />
      </div>
      <TextArea
        id="edit-comment"
        data-testid="edit-comment"
        label={t('submit.comment')}
        rows={3}
        maxLength={2000}
        value={comment()}
        onValue={setComment}
        error={errors()?.fields.comment}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" data-testid="save-button" disabled={busy()}>
          {busy() ? t('drawer.saving') : t('drawer.save')}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" data-testid="edit-cancel" onClick={() => props.onCancel()}>
          {t('drawer.cancel')}
        </button>
      </div>
    </form>
  )
}
