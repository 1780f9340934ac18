import { A } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import { pullMisp, type MispRun, type MispSettingsView } from '../data/misp'
import { t } from '../i18n'
import { formatDateTime, formatRelative, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { FormError, SuccessNote } from './FormError'
import { IconAlert, IconRefresh } from './Icons'
import { mispErrorMessage } from './MispParts'

const skippedTotal = (run: MispRun) => Object.values(run.result?.skipped ?? {}).reduce((a, b) => a + b, 0)

/** The link that opens a staged batch in the bulk-import review. */
export const reviewHref = (batchId: number) => `/submit?mode=bulk&batch=${batchId}`

function When(props: { at: string | null; fallback: string }) {
  return (
    <Show when={props.at} fallback={<span class="muted">{props.fallback}</span>}>
      {(at) => (
        <time datetime={at()} title={formatDateTime(at())}>
          {formatRelative(at())}
        </time>
      )}
    </Show>
  )
}

/** Where the pull stands, and "pull now". */
export function MispStatus(props: { view: MispSettingsView; onPulled: () => void }) {
  const s = () => props.view.settings
  const st = () => props.view.state
  const [full, setFull] = createSignal(false)
  const [reconcile, setReconcile] = createSignal(false)
  const [done, setDone] = createSignal<MispRun>()
  const pull = useAction(() => setDone(undefined))
  const configured = () => !!s().url && s().apiKey.set
  const run = () =>
    void pull.run(async () => {
      try {
        const res = await pullMisp({ full: full(), reconcile: reconcile() })
        setDone(res.run)
      } finally {
        props.onPulled()
      }
    })
  return (
    <section class="card glass" aria-labelledby="misp-status-title" data-testid="misp-status">
      <div class="card-header">
        <h2 id="misp-status-title">{t('misp.status.title')}</h2>
        <span class={`badge ${s().enabled ? 'badge-ok' : 'misp-off'}`} data-testid="misp-schedule-badge">
          <span class="dot" aria-hidden="true" />
          {s().enabled ? t('misp.status.scheduled', { n: s().intervalMinutes }) : t('misp.status.off')}
        </span>
      </div>
      <Show when={!configured()}>
        <p class="muted" data-testid="misp-not-configured">{t('misp.status.notConfigured')}</p>
      </Show>
      <dl class="details compact misp-state">
        <div class="detail-row">
          <dt>{t('misp.status.lastPull')}</dt>
          <dd>
            <When at={st().lastAttemptAt} fallback={t('misp.status.never')} />
            <Show when={st().lastStatus}>
              {(status) => (
                <>
                  {' '}
                  <span class={`badge badge-${status() === 'ok' ? 'ok' : 'bad'}`} data-testid="misp-last-status">
                    {t(`misp.status.${status()}`)}
                  </span>
                </>
              )}
            </Show>
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('misp.status.lastSuccess')}</dt>
          <dd>
            <When at={st().lastSuccessAt} fallback={t('misp.status.never')} />
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('misp.status.nextPull')}</dt>
          <dd>
            <When at={st().nextDueAt} fallback={t('misp.status.notScheduled')} />
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('misp.status.cursor')}</dt>
          <dd>
            <Show when={st().cursor} fallback={<span class="muted">{t('misp.status.never')}</span>}>
              {(c) => (
                <span title={t('misp.status.cursorHint')}>
                  {formatDateTime(new Date(c() * 1000))} <span class="muted small">({t('misp.status.cursorHint')})</span>
                </span>
              )}
            </Show>
          </dd>
        </div>
        <div class="detail-row">
          <dt>{t('misp.status.reconciled')}</dt>
          <dd>
            <When at={st().lastReconcileAt} fallback={t('misp.status.never')} />
          </dd>
        </div>
      </dl>
      <Show when={st().lastStatus === 'error' && st().lastError}>
        {(error) => (
          <div class="alert alert-error" role="alert" data-testid="misp-last-error">
            <IconAlert size={18} />
            <span>{t('misp.status.failed', { error: isolate(error()) })}</span>
          </div>
        )}
      </Show>
      <Show when={st().running && !pull.busy()}>
        <p class="muted" role="status">{t('misp.status.running')}</p>
      </Show>
      <div class="misp-pull">
        <label class="misp-check" title={t('misp.pull.fullHint')}>
          <input type="checkbox" data-testid="misp-full" checked={full()} onChange={(e) => setFull(e.currentTarget.checked)} />
          {t('misp.pull.full')}
        </label>
        <label class="misp-check" title={t('misp.pull.reconcileHint')}>
          <input type="checkbox" data-testid="misp-reconcile" checked={reconcile()} onChange={(e) => setReconcile(e.currentTarget.checked)} />
          {t('misp.pull.reconcile')}
        </label>
        <button type="button" class="btn btn-primary" data-testid="misp-pull" disabled={pull.busy() || !configured() || st().running} onClick={run}>
          <IconRefresh size={16} class={pull.busy() ? 'spin' : ''} />
          {pull.busy() ? t('misp.pull.pulling') : t('misp.pull.now')}
        </button>
      </div>
      <FormError message={pull.error() ? mispErrorMessage(pull.error()) : undefined} testId="misp-pull-error" />
      <Show when={done()}>
        {(r) => (
          <div class="misp-pull-result" data-testid="misp-pull-result">
            <SuccessNote
              message={t('misp.pull.done', {
                created: r().result?.created ?? 0,
                extended: r().result?.extended ?? 0,
                held: r().result?.held ?? 0,
                skipped: skippedTotal(r()),
              })}
            />
            <Show when={r().heldBatchId}>
              {(id) => (
                <A class="btn btn-secondary btn-sm" href={reviewHref(id())} data-testid="misp-review-held">
                  {t('misp.pull.reviewHeld')}
                </A>
              )}
            </Show>
          </div>
        )}
      </Show>
    </section>
  )
}

export { skippedTotal }
