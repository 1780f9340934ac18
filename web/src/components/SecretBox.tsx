import { createSignal, Show } from 'solid-js'
import { t } from '../i18n'
import { copyText } from '../lib/feeds'
import { IconAlert, IconCheck, IconCopy } from './Icons'

/**
 * A secret shown once (an API token, a one-time password): the value, a copy button and the
 * warning that it will not be shown again. Scrolls itself into view when it appears.
 */
export function SecretBox(props: { title: string; value: string; warning: string; hint?: string; testId: string; onDismiss: () => void }) {
  const [copied, setCopied] = createSignal<'copied' | 'selected'>()
  let codeEl: HTMLElement | undefined
  const copy = async () => setCopied(await copyText(props.value, codeEl))
  return (
    <section
      class="card glass token-box"
      role="alert"
      aria-labelledby={`${props.testId}-title`}
      data-testid={props.testId}
      ref={(el) => queueMicrotask(() => el.scrollIntoView({ block: 'nearest', behavior: 'smooth' }))}
    >
      <h2 id={`${props.testId}-title`}>{props.title}</h2>
      <p class="token-warning">
        <IconAlert size={18} />
        <strong>{props.warning}</strong>
      </p>
      <div class="token-line">
        <code class="token-value" dir="ltr" data-testid={`${props.testId}-value`} ref={codeEl}>
          {props.value}
        </code>
        <button type="button" class="btn btn-primary btn-sm" data-testid={`${props.testId}-copy`} onClick={() => void copy()}>
          <Show when={copied() === 'copied'} fallback={<IconCopy size={16} />}>
            <IconCheck size={16} />
          </Show>
          <span aria-live="polite">
            {copied() === 'copied' ? t('secret.copied') : copied() === 'selected' ? t('secret.selected') : t('secret.copy')}
          </span>
        </button>
      </div>
      <Show when={props.hint}>
        <p class="small muted">{props.hint}</p>
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-secondary btn-sm" data-testid={`${props.testId}-dismiss`} onClick={() => props.onDismiss()}>
          {t('secret.dismiss')}
        </button>
      </div>
    </section>
  )
}
