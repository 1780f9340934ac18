import { createSignal, Show } from 'solid-js'
import { YARA_MAX_BYTES } from '../../../schema/contracts/yara'
import { ApiFailure, type Campaign, type YaraCheck, type YaraDiagnostic, type YaraFileFull } from '../api/client'
import { patchYara, uploadYara, validateYara } from '../data/yara'
import { t } from '../i18n'
import { formatBytes, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { yaraFormErrors } from '../lib/yara-errors'
import { Field } from './Field'
import { FormError } from './FormError'
import { IconCheck, IconUpload } from './Icons'
import { Select } from './Select'
import { TextArea } from './TextArea'
import { DiagnosticList, QualityBreakdown } from './YaraBits'
import { YaraCode } from './YaraCode'

export interface EditorValues {
  filename: string
  content: string
  ticket: string
  comment: string
  campaignId: string
  tags: string
}

const EMPTY: EditorValues = { filename: '', content: '', ticket: '', comment: '', campaignId: '', tags: '' }

/** The compile verdict shown under the editor: from a check, or from a refused save. */
type Verdict = Pick<YaraCheck, 'ok' | 'errors' | 'warnings'> & Partial<Pick<YaraCheck, 'quality' | 'qualityParts'>> & { content: string }

const splitTags = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)

/**
 * Write or upload YARA rules: a file chooser that loads the file into the editor, the source
 * itself, metadata, a compile check, and the preview with findings at their lines. `existing`
 * switches from upload to edit (content changes send the file back to review).
 */
export function YaraEditor(props: { existing?: YaraFileFull; campaigns: Campaign[]; onSaved: (rule: YaraFileFull) => void; onCancel?: () => void }) {
  const start: EditorValues = props.existing
    ? {
        filename: props.existing.filename,
        content: props.existing.content,
        ticket: props.existing.ticket,
        comment: props.existing.comment,
        campaignId: props.existing.campaign ? String(props.existing.campaign.id) : '',
        tags: props.existing.tags.join(', '),
      }
    : EMPTY
  const [v, setV] = createSignal<EditorValues>(start)
  const [verdict, setVerdict] = createSignal<Verdict>()
  const [focus, setFocus] = createSignal<{ line: number }>()
  const [fileError, setFileError] = createSignal<string>()
  const { busy, error, run } = useAction()
  let textarea: HTMLTextAreaElement | undefined
  const set = (key: keyof EditorValues) => (value: string) => setV((old) => ({ ...old, [key]: value }))
  const stale = () => verdict() !== undefined && verdict()!.content !== v().content
  const errors = () => (error() === undefined ? undefined : yaraFormErrors(error(), ['filename', 'content', 'ticket', 'comment', 'campaignId', 'tags']))

  const loadFile = async (file: File | undefined) => {
    setFileError(undefined)
    if (!file) return
    if (file.size > YARA_MAX_BYTES) return setFileError(t('yara.editor.tooLarge', { max: isolate(formatBytes(YARA_MAX_BYTES)) }))
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer())
    } catch {
      return setFileError(t('yara.editor.notText'))
    }
    setV((old) => ({ ...old, content: text, filename: file.name }))
    void check()
  }

  const check = () =>
    run(async () => {
      const content = v().content
      const result = await validateYara(content)
      setVerdict({ ...result, content })
    })

  /** Moves the editor's caret to the line and shows it in the preview. */
  const jump = (line: number) => {
    setFocus({ line })
    if (!textarea) return
    const lines = v().content.split('\n')
    const at = lines.slice(0, Math.min(line, lines.length) - 1).reduce((n, l) => n + l.length + 1, 0)
    textarea.focus()
    textarea.setSelectionRange(at, at + (lines[line - 1]?.length ?? 0))
  }

  const save = (event: SubmitEvent) => {
    event.preventDefault()
    void run(async () => {
      const x = v()
      const meta = {
        ticket: x.ticket.trim(),
        comment: x.comment,
        campaignId: x.campaignId ? Number(x.campaignId) : null,
        tags: splitTags(x.tags),
      }
      try {
        const saved = props.existing
          ? await patchYara(props.existing.id, {
              ...(x.content !== props.existing.content ? { content: x.content } : {}),
              ...(x.filename !== props.existing.filename ? { filename: x.filename } : {}),
              ...meta,
            })
          : await uploadYara({ content: x.content, ...(x.filename.trim() ? { filename: x.filename.trim() } : {}), ...meta, campaignId: meta.campaignId ?? undefined })
        props.onSaved(saved.rule)
      } catch (err) {
        const details = err instanceof ApiFailure ? (err.details as { errors?: YaraDiagnostic[]; warnings?: YaraDiagnostic[] } | undefined) : undefined
        if (err instanceof ApiFailure && err.code === 'yara_compile_failed' && details?.errors) {
          setVerdict({ ok: false, errors: details.errors, warnings: details.warnings ?? [], content: x.content })
          const first = details.errors.find((d) => d.line !== null)
          if (first?.line) setFocus({ line: first.line })
        }
        throw err
      }
    })
  }

  const diagnostics = () => [...(verdict()?.errors ?? []), ...(verdict()?.warnings ?? [])]

  return (
    <form class="yara-editor" onSubmit={save} novalidate data-testid="yara-editor">
      <FormError message={errors()?.form} testId="yara-editor-error" />
      <div class="yara-editor-grid">
        <div class="yara-editor-main">
          <div class="yara-file-row">
            <label class="btn btn-secondary btn-sm file-button">
              <IconUpload size={16} />
              {t('yara.editor.chooseFile')}
              <input type="file" accept=".yar,.yara,text/plain" class="visually-hidden" data-testid="yara-file" onChange={(e) => void loadFile(e.currentTarget.files?.[0])} />
            </label>
            <span class="muted small">{t('yara.editor.fileHint', { max: isolate(formatBytes(YARA_MAX_BYTES)) })}</span>
          </div>
          <FormError message={fileError()} testId="yara-file-error" />
          <TextArea
            id="yara-content"
            data-testid="yara-content"
            class="yara-textarea"
            label={t('yara.editor.content')}
            rows={18}
            spellcheck={false}
            dir="ltr"
            value={v().content}
            onValue={set('content')}
            ref={textarea}
            error={errors()?.fields.content}
            placeholder={'rule Family_Variant\n{\n  meta:\n    author = "…"\n  strings:\n    $a = "…"\n  condition:\n    $a\n}'}
          />
          <div class="button-row">
            <button type="button" class="btn btn-secondary" data-testid="yara-check" disabled={busy() || !v().content.trim()} onClick={() => void check()}>
              <IconCheck size={18} />
              {t('yara.editor.check')}
            </button>
            <button type="submit" class="btn btn-primary" data-testid="yara-save" disabled={busy() || !v().content.trim()}>
              {props.existing ? t('yara.editor.save') : t('yara.editor.submit')}
            </button>
            <Show when={props.onCancel}>
              <button type="button" class="btn btn-ghost" onClick={() => props.onCancel?.()}>
                {t('yara.cancel')}
              </button>
            </Show>
          </div>
          <Show when={props.existing?.status === 'approved'}>
            <p class="field-hint">{t('yara.editor.backToPending')}</p>
          </Show>
        </div>
        <div class="yara-editor-side">
          <Field id="yara-filename" data-testid="yara-filename" label={t('yara.fields.filename')} value={v().filename} onValue={set('filename')} hint={t('yara.editor.filenameHint')} error={errors()?.fields.filename} maxLength={200} autocomplete="off" dir="ltr" />
          <Field id="yara-ticket" data-testid="yara-ticket" label={t('yara.fields.ticket')} value={v().ticket} onValue={set('ticket')} error={errors()?.fields.ticket} maxLength={64} autocomplete="off" />
          <Select
            id="yara-campaign"
            testId="yara-campaign"
            label={t('yara.fields.campaign')}
            value={v().campaignId}
            onValue={set('campaignId')}
            error={errors()?.fields.campaignId}
            options={[['', t('yara.noCampaign')], ...props.campaigns.map((c): [string, string] => [String(c.id), c.name])]}
          />
          <Field id="yara-tags" data-testid="yara-tags" label={t('yara.fields.tags')} value={v().tags} onValue={set('tags')} hint={t('yara.editor.tagsHint')} error={errors()?.fields.tags} autocomplete="off" />
          <TextArea id="yara-comment" data-testid="yara-comment" label={t('yara.fields.comment')} rows={3} maxLength={2000} value={v().comment} onValue={set('comment')} error={errors()?.fields.comment} />
        </div>
      </div>
      <Show when={verdict()}>
        {(verdict) => (
          <section class="yara-verdict" aria-live="polite" data-testid="yara-verdict" data-ok={verdict().ok ? 'true' : 'false'}>
            <h3>
              {verdict().ok ? t('yara.editor.compiles') : t('yara.editor.fails', { n: verdict().errors.length })}
              <Show when={stale()}>
                <span class="muted small"> · {t('yara.editor.stale')}</span>
              </Show>
            </h3>
            <Show when={verdict().ok && verdict().qualityParts}>
              {(parts) => <QualityBreakdown quality={verdict().quality ?? 10} parts={parts()} />}
            </Show>
            <DiagnosticList items={diagnostics()} onJump={jump} />
          </section>
        )}
      </Show>
      <Show when={v().content}>
        <section class="yara-preview-block">
          <h3>{t('yara.preview')}</h3>
          <YaraCode content={v().content} diagnostics={diagnostics()} focus={focus()} testId="yara-editor-preview" />
        </section>
      </Show>
    </form>
  )
}
