import { A } from '@solidjs/router'
import { Match, Show, Switch } from 'solid-js'
import type { Ioc, IocWarningItem } from '../api/client'
import { t } from '../i18n'
import { formatDateTime, isolate } from '../i18n/format'
import { IconAlert, IconCheck, IconSearch, IconShield } from './Icons'
import { Expiry, IocValue, StatusBadge, submitterName, TypeBadge, When } from './IocBits'
import { ErrorParts, WarningList } from './IocPreview'
import { blockedText } from '../data/policy'

export type SubmitOutcome =
  | { kind: 'created'; ioc: Ioc; warnings: IocWarningItem[] }
  | { kind: 'extended'; ioc: Ioc; extended: boolean }
  | { kind: 'duplicate'; ioc: Ioc }
  | { kind: 'confirm'; warnings: IocWarningItem[]; critical?: boolean }
  | { kind: 'blocked'; check?: string; forAll: boolean }
  | { kind: 'allowlisted'; entry: { value: string; reason: string; kind?: string } }
  | { kind: 'invalid'; title: string; detail?: string; suggestion?: string }
  | { kind: 'error'; message: string }

/** Deep link to an IOC in Search (the drawer opens on it). */
export const searchHref = (ioc: Pick<Ioc, 'id' | 'value' | 'type'>) =>
  `/search?${new URLSearchParams({ q: ioc.value, match: 'exact', type: ioc.type, status: 'all', open: String(ioc.id) })}`

const TONE: Record<SubmitOutcome['kind'], string> = {
  created: 'ok',
  extended: 'ok',
  duplicate: 'info',
  confirm: 'warn',
  allowlisted: 'bad',
  blocked: 'bad',
  invalid: 'bad',
  error: 'bad',
}

export function SubmitResult(props: {
  outcome: SubmitOutcome
  busy: boolean
  onExtend: () => void
  onConfirm: () => void
  onSuggestion: (value: string) => void
  onDismiss: () => void
}) {
  return (
    <section
      class={`card glass result-card tone-${TONE[props.outcome.kind]}`}
      data-testid="submit-result"
      data-result={props.outcome.kind}
      role="status"
      aria-live="polite"
      tabindex="-1"
      ref={(el) => queueMicrotask(() => el.scrollIntoView({ block: 'nearest', behavior: 'smooth' }))}
    >
      <Switch>
        <Match when={props.outcome.kind === 'created' && props.outcome}>
          {(o) => (
            <>
              <Title icon="ok" text={t('result.createdTitle')} />
              <p>{t('result.createdBody', { id: o().ioc.id, ticket: isolate(o().ioc.ticket) })}</p>
              <IocSummary ioc={o().ioc} />
              <Show when={o().warnings.length}>
                <p class="muted">{t('result.createdWarnings')}</p>
                <WarningList warnings={o().warnings} />
              </Show>
              <div class="button-row">
                <SearchLink ioc={o().ioc} />
              </div>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'extended' && props.outcome}>
          {(o) => (
            <>
              <Title icon="ok" text={t('result.extendedTitle')} />
              <p>
                {o().extended
                  ? t('result.extendedBody', {
                      id: o().ioc.id,
                      when: o().ioc.expiresAt ? formatDateTime(o().ioc.expiresAt!) : t('ioc.permanent'),
                    })
                  : t('result.notExtended', { id: o().ioc.id })}
              </p>
              <IocSummary ioc={o().ioc} />
              <div class="button-row">
                <SearchLink ioc={o().ioc} />
              </div>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'duplicate' && props.outcome}>
          {(o) => (
            <>
              <Title icon="info" text={t('result.duplicateTitle')} />
              <p>{t('result.duplicateBody', { id: o().ioc.id })}</p>
              <IocSummary ioc={o().ioc} />
              <div class="button-row">
                <button type="button" class="btn btn-primary btn-sm" data-testid="extend-button" disabled={props.busy} onClick={() => props.onExtend()}>
                  {props.busy ? t('result.extending') : t('result.extend')}
                </button>
                <SearchLink ioc={o().ioc} />
              </div>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'confirm' && props.outcome}>
          {(o) => (
            <>
              <Title icon="warn" text={t('result.confirmTitle')} />
              <p>{t('result.confirmBody')}</p>
              <WarningList warnings={o().warnings} testId="confirm-warnings" />
              <Show when={o().critical}>
                <p class="muted" data-testid="critical-note">{t('policy.criticalNote')}</p>
              </Show>
              <div class="button-row">
                <button type="button" class="btn btn-primary btn-sm" data-testid="confirm-button" disabled={props.busy} onClick={() => props.onConfirm()}>
                  {props.busy ? t('result.confirming') : t('result.confirm')}
                </button>
                <button type="button" class="btn btn-ghost btn-sm" onClick={() => props.onDismiss()}>
                  {t('result.dismiss')}
                </button>
              </div>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'blocked' && props.outcome}>
          {(o) => (
            <>
              <Title icon="shield" text={t('policy.blockedTitle')} />
              <p data-testid="blocked-reason" data-check={o().check}>{blockedText(o().check, o().forAll, 'body')}</p>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'allowlisted' && props.outcome}>
          {(o) => (
            <>
              <Title icon="shield" text={t('result.allowlistedTitle')} />
              <p data-testid="allowlist-entry">{t('result.allowlistedBody', { value: isolate(o().entry.value) })}</p>
              <p class="allowlist-entry">
                <span class="muted">{t('result.allowlistedReason')}</span>{' '}
                <span dir="auto" data-testid="allowlist-reason">{o().entry.reason}</span>
              </p>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'invalid' && props.outcome}>
          {(o) => (
            <>
              <Title icon="bad" text={t('result.invalidTitle')} />
              <div data-testid="result-error">
                <ErrorParts title={o().title} detail={o().detail} />
              </div>
              <Show when={o().suggestion}>
                {(s) => (
                  <p class="preview-suggestion">
                    <span>{t('preview.suggestion')}</span>
                    <IocValue value={s()} />
                    <button type="button" class="btn btn-secondary btn-sm" onClick={() => props.onSuggestion(s())}>
                      {t('preview.useSuggestion')}
                    </button>
                  </p>
                )}
              </Show>
            </>
          )}
        </Match>
        <Match when={props.outcome.kind === 'error' && props.outcome}>
          {(o) => (
            <>
              <Title icon="bad" text={t('result.errorTitle')} />
              <p data-testid="result-error">{o().message}</p>
            </>
          )}
        </Match>
      </Switch>
    </section>
  )
}

function Title(props: { icon: 'ok' | 'info' | 'warn' | 'bad' | 'shield'; text: string }) {
  return (
    <h2 class="result-title">
      <Show when={props.icon === 'ok'} fallback={props.icon === 'shield' ? <IconShield size={20} /> : <IconAlert size={20} />}>
        <IconCheck size={20} />
      </Show>
      {props.text}
    </h2>
  )
}

function SearchLink(props: { ioc: Ioc }) {
  return (
    <A class="btn btn-secondary btn-sm" href={searchHref(props.ioc)} data-testid="result-link">
      <IconSearch size={16} />
      {t('result.openInSearch')}
    </A>
  )
}

/** The IOC a result is about, in a compact line. */
function IocSummary(props: { ioc: Ioc }) {
  return (
    <div class="ioc-summary" data-testid="result-ioc" data-id={props.ioc.id}>
      <div class="ioc-summary-head">
        <TypeBadge type={props.ioc.type} />
        <IocValue value={props.ioc.value} />
        <StatusBadge status={props.ioc.status} />
      </div>
      <dl class="ioc-summary-grid">
        <dt>{t('search.columns.expiry')}</dt>
        <dd>
          <Expiry at={props.ioc.expiresAt} />
        </dd>
        <dt>{t('search.columns.ticket')}</dt>
        <dd dir="ltr" class="ioc-value plain">{props.ioc.ticket}</dd>
        <dt>{t('search.columns.submitter')}</dt>
        <dd>{submitterName(props.ioc)}</dd>
        <dt>{t('search.columns.created')}</dt>
        <dd>
          <When at={props.ioc.createdAt} />
        </dd>
      </dl>
    </div>
  )
}
