import { A } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import type { MispRun } from '../data/misp'
import { MISP_TYPE_RULES, isMappedType } from '../../../functions/domain/misp-types'
import { t, tryT } from '../i18n'
import { iocErrorText, warningTitle } from '../i18n/ioc'
import { formatDateTime, formatDuration, isolate } from '../i18n/format'
import { IconEye } from './Icons'
import { reviewHref, skippedTotal } from './MispStatus'
import { RowButton, RowPanel, TableHead } from './TableParts'

type Result = NonNullable<MispRun['result']>
type Sample = Result['samples']['invalid'][number]

const COLUMNS = ['started', 'trigger', 'status', 'fetched', 'created', 'extended', 'held', 'skipped', 'expired'] as const

/** The pull history, newest first; a row opens its counts, skips and samples. */
export function MispRuns(props: { runs: MispRun[] }) {
  const [open, setOpen] = createSignal<number>()
  return (
    <section class="card glass" aria-labelledby="misp-runs-title" data-testid="misp-runs">
      <h2 id="misp-runs-title">{t('misp.runs.title')}</h2>
      <Show when={props.runs.length} fallback={<p class="empty-state">{t('misp.runs.empty')}</p>}>
        {/* consumer-table-wrap: the scrolling box is the container the detail panel sizes to. */}
        <div class="table-wrap consumer-table-wrap">
          <table class="table misp-runs">
            <TableHead columns={COLUMNS.map((c) => t(`misp.runs.columns.${c}`))} actions />
            <tbody>
              <For each={props.runs}>
                {(run) => (
                  <>
                    <tr data-testid="misp-run" data-status={run.status}>
                      <td class="nowrap">
                        <time datetime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
                      </td>
                      <td>
                        {run.trigger === 'schedule' ? t('misp.runs.triggers.schedule') : t('misp.runs.triggers.manual', { actor: isolate(run.actor) })}
                      </td>
                      <td>
                        <span class={`badge badge-${run.status === 'ok' ? 'ok' : run.status === 'error' ? 'bad' : 'info'}`}>
                          <span class="dot" aria-hidden="true" />
                          {t(`misp.runs.status.${run.status}`)}
                        </span>
                      </td>
                      <td class="num">{run.result?.fetched ?? '—'}</td>
                      <td class="num">{run.result?.created ?? '—'}</td>
                      <td class="num">{run.result?.extended ?? '—'}</td>
                      <td class="num">{run.result?.held ?? '—'}</td>
                      <td class="num">{run.result ? skippedTotal(run) : '—'}</td>
                      <td class="num">{run.result?.expired ?? '—'}</td>
                      <td>
                        <RowButton
                          icon={IconEye}
                          testId="misp-run-details"
                          label={t('misp.runs.details')}
                          text={open() === run.id ? t('misp.runs.hide') : t('misp.runs.details')}
                          expanded={open() === run.id}
                          onClick={() => setOpen(open() === run.id ? undefined : run.id)}
                        />
                      </td>
                    </tr>
                    <Show when={open() === run.id}>
                      <RowPanel columns={COLUMNS.length + 1} panel>
                        <RunDetails run={run} />
                      </RowPanel>
                    </Show>
                  </>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  )
}

function seconds(run: MispRun) {
  return run.finishedAt ? Math.max(1, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000) : 0
}

function RunDetails(props: { run: MispRun }) {
  const r = () => props.run.result
  const cursor = (v: number | null) => (v === null ? t('misp.runs.cursorNone') : formatDateTime(new Date(v * 1000)))
  return (
    <div class="misp-run-details" data-testid="misp-run-panel">
      <Show when={props.run.error}>
        {(e) => (
          <div class="alert alert-error" role="alert">
            <span>{e()}</span>
          </div>
        )}
      </Show>
      <Show when={r()}>
        {(res) => (
          <>
            <p>
              {props.run.full ? `${t('misp.runs.full')} · ` : ''}
              {t('misp.runs.pages', { n: res().pages, duration: formatDuration(seconds(props.run)) })} ·{' '}
              {t('misp.runs.cursor', { from: isolate(cursor(res().cursorFrom)), to: isolate(cursor(res().cursorTo)) })}
            </p>
            <p>
              {t('misp.runs.counts', { duplicates: res().duplicates, invalid: res().invalid, allowlisted: res().allowlisted, warnings: res().warningsImported })}
            </p>
            <Show when={res().reconciled}>
              <p>{t('misp.runs.reconciled', { checked: res().checked, withdrawn: res().withdrawn, expired: res().expired })}</p>
            </Show>
            <Counts title={t('misp.runs.skippedBy')} counts={res().skipped} label={(k) => tryT(`misp.runs.reasons.${k}`) ?? k} />
            <Counts title={t('misp.runs.skippedByType')} counts={res().skippedByType} label={(k) => k} code />
            <Samples title={t('misp.runs.samples.held')} items={res().samples.held} />
            <Samples title={t('misp.runs.samples.invalid')} items={res().samples.invalid} />
            <Samples title={t('misp.runs.samples.allowlisted')} items={res().samples.allowlisted} />
            <Samples title={t('misp.runs.samples.created')} items={res().samples.created.slice(0, 10)} />
          </>
        )}
      </Show>
      <div class="form-actions">
        <Show when={props.run.heldBatchId}>
          {(id) => (
            <A class="btn btn-secondary btn-sm" href={reviewHref(id())}>
              {t('misp.runs.reviewHeld')}
            </A>
          )}
        </Show>
      </div>
    </div>
  )
}

function Counts(props: { title: string; counts: Record<string, number>; label: (k: string) => string; code?: boolean }) {
  const entries = () => Object.entries(props.counts).sort((a, b) => b[1] - a[1])
  return (
    <Show when={entries().length}>
      <h3 class="misp-sub">{props.title}</h3>
      <ul class="chip-row misp-counts">
        <For each={entries()}>
          {([k, n]) => (
            <li class="chip">
              {props.code ? <code dir="ltr">{k}</code> : props.label(k)} <b>{n}</b>
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}

/** Why a sample row went where it did, in the user's language (parser details stay English, isolated). */
function sampleReason(s: Sample): string | undefined {
  if (s.error) return iocErrorText(s.error, isMappedType(s.mispType) ? MISP_TYPE_RULES[s.mispType].moat : undefined)
  if (s.allowlist) return t('bulk.reason.allowlisted', { value: isolate(s.allowlist.value), reason: s.allowlist.reason })
  if (s.warnings || s.listed) {
    const notes = (s.warnings ?? []).map(warningTitle)
    if (s.listed) notes.push(t('bulk.reason.listed', { list: isolate(s.listed) }))
    return notes.join(' · ') || undefined
  }
  return undefined
}

function Samples(props: { title: string; items: Sample[] }) {
  return (
    <Show when={props.items.length}>
      <h3 class="misp-sub">{props.title}</h3>
      <ul class="misp-samples">
        <For each={props.items}>
          {(s) => (
            <li>
              <code dir="ltr">{s.mispType}</code> <code dir="ltr" class="misp-value">{s.value}</code>
              <Show when={s.event}>{(e) => <span class="muted small"> · MISP-{e()}</span>}</Show>
              <Show when={sampleReason(s)}>{(why) => <div class="muted small">{why()}</div>}</Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}
