import { For, Match, Show, Switch } from 'solid-js'
import type { IocType, ParsedIoc } from '../../../functions/domain/ioc'
import { t } from '../i18n'
import { iocErrorParts, warningTitle } from '../i18n/ioc'
import { IconAlert, IconCheck } from './Icons'
import { IocValue, TypeBadge } from './IocBits'

/** What the parser (the same module the server runs) makes of the value, as you type. */
export function IocPreview(props: {
  parsed: ParsedIoc | null
  wanted: IocType | ''
  onSuggestion: (value: string) => void
}) {
  return (
    <section class="card glass preview-card" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">{t('preview.title')}</h2>
      <Switch>
        <Match when={!props.parsed}>
          <p class="muted" data-testid="preview-empty">
            {t('preview.empty')}
          </p>
        </Match>
        <Match when={props.parsed?.ok && props.parsed}>
          {(ok) => (
            <div class="preview-ok">
              <dl class="preview-grid">
                <dt>{t('preview.detected')}</dt>
                <dd>
                  <TypeBadge type={ok().type} testId="preview-type" />
                </dd>
                <dt>{t('preview.canonical')}</dt>
                <dd class="preview-value">
                  <IconCheck size={16} class="ok-icon" />
                  <IocValue value={ok().value} testId="preview-value" />
                </dd>
              </dl>
              <Show when={ok().warnings.length}>
                <h3 class="subhead">{t('preview.warnings')}</h3>
                <WarningList warnings={ok().warnings} testId="preview-warnings" />
              </Show>
              <p class="field-hint">{t('preview.checks')}</p>
            </div>
          )}
        </Match>
        <Match when={props.parsed && !props.parsed.ok && props.parsed.error}>
          {(error) => (
            <div class="preview-error" data-testid="preview-error" data-code={error().code}>
              <ErrorParts {...iocErrorParts(error(), props.wanted)} />
              <Show when={error().suggestion}>
                {(suggestion) => (
                  <p class="preview-suggestion">
                    <span>{t('preview.suggestion')}</span>
                    <IocValue value={suggestion()} />
                    <button
                      type="button"
                      class="btn btn-secondary btn-sm"
                      data-testid="preview-suggestion"
                      onClick={() => props.onSuggestion(suggestion())}
                    >
                      {t('preview.useSuggestion')}
                    </button>
                  </p>
                )}
              </Show>
            </div>
          )}
        </Match>
      </Switch>
    </section>
  )
}

/** Warnings with a translated title and the English detail the server or parser gave. */
export function WarningList(props: { warnings: { code: string; message: string }[]; testId?: string }) {
  return (
    <ul class="warning-list" data-testid={props.testId}>
      <For each={props.warnings}>
        {(warning) => (
          <li data-code={warning.code}>
            <strong>{warningTitle(warning.code)}</strong>
            <span class="warning-detail" dir="ltr">
              {warning.message}
            </span>
          </li>
        )}
      </For>
    </ul>
  )
}

/** A translated error title with the parser's exact (English, left-to-right) detail below it. */
export function ErrorParts(props: { title: string; detail?: string }) {
  return (
    <div class="preview-error-text">
      <IconAlert size={18} />
      <div>
        <p class="error-title">{props.title}</p>
        <Show when={props.detail}>
          <p class="error-detail" dir="ltr">
            {props.detail}
          </p>
        </Show>
      </div>
    </div>
  )
}
