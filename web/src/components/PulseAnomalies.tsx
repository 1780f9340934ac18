import { createSignal, For, Show } from 'solid-js'
import type { PulseAnomalies as Anomalies, PulseExclusions, PulseWindow } from '../api/client'
import { useCursorList } from '../data/paged'
import { excludeIoc, pulseAnomalies, pulseExclusions, unexcludeIoc } from '../data/pulse'
import { user } from '../data/session'
import { t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { warningTitle } from '../i18n/ioc'
import { useAction } from '../lib/action'
import { canWrite } from '../lib/permissions'
import { FormError, SuccessNote } from './FormError'
import { IconBan, IconUndo } from './Icons'
import { TypeBadge } from './IocBits'
import { num, OpenValue } from './PulseBits'
import { Ago, PagedCard } from './PulseLists'

export const ruleLabel = (rule: string) => tryT(`pulse.rules.${rule}`) ?? rule

/**
 * Anomalies of the active IOCs with exclude / unexclude (admins and analysts; the server checks).
 * An excluded row stays in the list, marked, until the next reload, so a mistaken click is undone in place.
 */
export function AnomaliesCard(props: { onChange: () => void }) {
  const [rule, setRule] = createSignal('')
  const [counts, setCounts] = createSignal<Pick<Anomalies, 'scanned' | 'anomalous' | 'byRule' | 'rules'>>()
  const [excluded, setExcluded] = createSignal<Record<number, boolean>>({})
  const [note, setNote] = createSignal<string>()
  const list = useCursorList<Anomalies['items'][number], string, Anomalies>(rule, (r, cursor) => pulseAnomalies(r || undefined, cursor), (page) => setCounts(page))
  const action = useAction(() => setNote(undefined))
  const toggle = (id: number, value: string, rules: string[], exclude: boolean) =>
    action.run(async () => {
      if (exclude) await excludeIoc(id, t('pulse.excludeReason', { rule: rules.map(ruleLabel).join(', ') }))
      else await unexcludeIoc(id)
      setExcluded((m) => ({ ...m, [id]: exclude }))
      setNote(t(exclude ? 'pulse.excludedDone' : 'pulse.unexcludedDone', { value: isolate(value) }))
      props.onChange()
    })
  const writer = () => canWrite(user())
  const head = () => [t('pulse.type'), t('pulse.value'), t('pulse.matched'), t('pulse.analyst'), ...(writer() ? [''] : [])]
  return (
    <PagedCard
      title={t('pulse.anomalies')}
      testId="pulse-anomalies"
      head={head()}
      list={list}
      extra={
        <>
          <Show when={counts()}>
            {(c) => (
              <>
                <p class="muted small">{t('pulse.anomaliesHint', { anomalous: num(c().anomalous), scanned: num(c().scanned) })}</p>
                <div class="chip-row" role="group" aria-label={t('pulse.rule')}>
                  <button type="button" class="chip" classList={{ active: rule() === '' }} onClick={() => setRule('')} data-testid="rule-all">
                    {t('pulse.allRules')} <b>{num(c().anomalous)}</b>
                  </button>
                  <For each={c().rules.filter((r) => c().byRule[r] > 0 || r === rule())}>
                    {(r) => (
                      <button type="button" class="chip" classList={{ active: rule() === r }} onClick={() => setRule(r)} data-testid={`rule-${r}`}>
                        {ruleLabel(r)} <b>{num(c().byRule[r])}</b>
                      </button>
                    )}
                  </For>
                </div>
              </>
            )}
          </Show>
          <SuccessNote message={note()} />
          <FormError message={action.error() ? errorMessage(action.error()) : undefined} testId="anomaly-error" />
        </>
      }
    >
      <For each={list.items()}>
        {(row) => (
          <tr classList={{ 'row-excluded': excluded()[row.id] }} data-testid="anomaly-row" data-value={row.value}>
            <td>
              <TypeBadge type={row.type} />
            </td>
            <td>
              <OpenValue id={row.id} value={row.value} />
              <Show when={row.warnings[0]}>
                {(w) => (
                  <div class="muted small">
                    {warningTitle(w().code)} · <span dir="ltr">{w().message}</span>
                  </div>
                )}
              </Show>
            </td>
            <td>
              <span class="tag-list">
                <For each={row.rules}>{(r) => <span class="badge badge-warn">{ruleLabel(r)}</span>}</For>
              </span>
            </td>
            <td>{row.analyst ? isolate(row.analyst) : '—'}</td>
            <Show when={writer()}>
              <td class="nowrap">
                <Show
                  when={excluded()[row.id]}
                  fallback={
                    <button type="button" class="btn btn-secondary btn-sm" disabled={action.busy()} onClick={() => void toggle(row.id, row.value, row.rules, true)} data-testid="anomaly-exclude">
                      <IconBan size={14} />
                      {t('pulse.exclude')}
                    </button>
                  }
                >
                  <button type="button" class="btn btn-ghost btn-sm" disabled={action.busy()} onClick={() => void toggle(row.id, row.value, row.rules, false)} data-testid="anomaly-unexclude">
                    <IconUndo size={14} />
                    {t('pulse.unexclude')}
                  </button>
                </Show>
              </td>
            </Show>
          </tr>
        )}
      </For>
    </PagedCard>
  )
}

export function ExclusionsCard(props: { window: PulseWindow }) {
  const [count, setCount] = createSignal<number>()
  const list = useCursorList<PulseExclusions['items'][number], PulseWindow, PulseExclusions>(() => props.window, (w, cursor) => pulseExclusions(w, cursor), (page) => setCount(page.exclusionsCount))
  return (
    <PagedCard
      title={t('pulse.exclusions')}
      testId="pulse-exclusions"
      head={[t('pulse.when'), t('pulse.type'), t('pulse.value'), t('pulse.reason'), t('pulse.excludedBy')]}
      list={list}
      extra={<Show when={count() !== undefined}><p class="muted small" data-testid="exclusions-count">{t('pulse.exclusionsCount', { n: num(count()!) })}</p></Show>}
    >
      <For each={list.items()}>
        {(row) => (
          <tr>
            <td>
              <Ago at={row.excludedAt} />
            </td>
            <td>
              <TypeBadge type={row.type} />
            </td>
            <td>
              <OpenValue id={row.id} value={row.value} />
            </td>
            <td dir="auto">{row.reason || <span class="muted">{t('pulse.noReason')}</span>}</td>
            <td>{row.excludedBy ? isolate(row.excludedBy) : '—'}</td>
          </tr>
        )}
      </For>
    </PagedCard>
  )
}
