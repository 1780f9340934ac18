import { createEffect, createResource, createSignal, For, Show } from 'solid-js'
import { Chart } from '../components/Chart'
import { ChampsAdmin, GoalAdmin } from '../components/ChampsAdmin'
import { Badges, GoalBar, LevelBar, Medal, num, Ticker, Trend } from '../components/ChampsParts'
import { Flag } from '../components/Flag'
import { FormError } from '../components/FormError'
import { IconTrophy } from '../components/Icons'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { champsConfig, champsLeaderboard, champsSpotlight, champsTicker, champsVelocity, usePolling, type Leaderboard, type LeaderboardRow } from '../data/analytics'
import { user } from '../data/session'
import { locale, t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatRelative, isolate } from '../i18n/format'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

export default function ChampsPage() {
  usePageTitle(() => t('champs.title'))
  const board = usePolling(() => champsLeaderboard(), 60_000)
  const ticker = usePolling(champsTicker, 30_000)
  const [config, { refetch: refetchConfig }] = createResource(champsConfig)
  const [velocity] = createResource(champsVelocity)
  const [selected, setSelected] = createSignal<number>()
  createEffect(() => {
    const rows = board.data.latest?.rows
    if (rows?.length && selected() === undefined) setSelected(rows[0].user_id)
  })
  const summary = () => {
    const b = board.data.latest
    const m = config.latest?.methods.find((x) => x.id === b?.method)
    return m ? m.summary[locale()] : ''
  }
  const reload = () => {
    void board.refetch()
    void ticker.refetch()
    void refetchConfig()
  }
  return (
    <div class="page page-wide champs-page">
      <PageHeader icon={IconTrophy} title={t('champs.title')} subtitle={t('champs.subtitle')} />
      <Ticker items={ticker.data.latest?.items ?? []} />
      <FormError message={board.data.error ? errorMessage(board.data.error) : undefined} />
      <Show when={board.data.latest} fallback={<Show when={!board.data.error}><Loading /></Show>}>
        {(b) => (
          <>
            <section class="card glass" aria-labelledby="goal-title">
              <h2 class="card-title" id="goal-title">{t('champs.goal.title')}</h2>
              <Show when={b().goal} fallback={<p class="muted">{t('champs.goal.none')}</p>}>
                {(g) => <GoalBar goal={g()} />}
              </Show>
              <Show when={isAdmin(user())}>
                <GoalAdmin goal={b().goal} onChanged={reload} />
              </Show>
            </section>
            <div class="champs-main">
              <LeaderboardTable board={b()} summary={summary()} selected={selected()} onSelect={setSelected} />
              <SpotlightCard userId={selected()} />
            </div>
          </>
        )}
      </Show>
      <div class="analytics-grid two">
        <section class="card glass">
          <h2 class="card-title">{t('champs.velocity')}</h2>
          <p class="muted small">{t('champs.velocityHint')}</p>
          <Show when={velocity()}>
            {(v) => (
              <Chart
                label={t('champs.velocity')}
                testId="velocity-chart"
                options={() => ({
                  chart: { type: 'area', stacked: true },
                  dataLabels: { enabled: false },
                  stroke: { curve: 'smooth', width: 2 },
                  series: [
                    { name: t('champs.team'), data: v().days.map((d) => d.team) },
                    { name: t('champs.system'), data: v().days.map((d) => d.system) },
                  ],
                  xaxis: { categories: v().days.map((d) => d.date.slice(5)), tickAmount: 10 },
                  legend: { position: 'top' },
                })}
              />
            )}
          </Show>
        </section>
        <section class="card glass">
          <h2 class="card-title">{t('champs.activityPie')}</h2>
          <p class="muted small">{t('champs.activityPieHint')}</p>
          <Show when={velocity()?.analysts.length} fallback={<p class="muted">{t('stats.none')}</p>}>
            <Chart
              label={t('champs.activityPie')}
              testId="activity-pie"
              options={() => ({
                chart: { type: 'donut' },
                series: velocity()!.analysts.map((a) => a.n),
                labels: velocity()!.analysts.map((a) => a.name),
                legend: { position: 'bottom' },
              })}
            />
          </Show>
        </section>
      </div>
      <Show when={isAdmin(user()) && config.latest}>
        <ChampsAdmin config={config.latest!} onSaved={reload} />
      </Show>
    </div>
  )
}

function LeaderboardTable(props: { board: Leaderboard; summary: string; selected?: number; onSelect: (id: number) => void }) {
  return (
    <section class="card glass leaderboard" data-testid="leaderboard">
      <h2 class="card-title">{t('champs.leaderboard')}</h2>
      <p class="muted small">{t('champs.method', { summary: props.summary })}</p>
      <Show when={props.board.rows.length} fallback={<p class="muted">{t('champs.noAnalysts')}</p>}>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>{t('champs.rank')}</th>
                <th>{t('champs.analyst')}</th>
                <th>{t('champs.levelShort')}</th>
                <th class="num">{t('champs.score')}</th>
                <th>{t('champs.trend')}</th>
                <th>{t('champs.badges')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.board.rows}>
                {(row) => (
                  <tr classList={{ selected: props.selected === row.user_id }} data-testid="leaderboard-row">
                    <td>
                      <Medal rank={row.rank} />
                    </td>
                    <td>
                      <button type="button" class="linklike" onClick={() => props.onSelect(row.user_id)} aria-pressed={props.selected === row.user_id}>
                        <strong>{isolate(row.display_name || row.username)}</strong>
                      </button>
                      <div class="muted small">
                        {row.nickname.emoji} {row.nickname.label[locale()]}
                        <Show when={row.streak_days >= 1}>
                          {' · '}🔥 {t('champs.streak', { n: row.streak_days })}
                        </Show>
                      </div>
                    </td>
                    <td>
                      <LevelBar row={row} />
                    </td>
                    <td class="num score">{num(row.score)}</td>
                    <td>
                      <Trend trend={row.trend} />
                    </td>
                    <td>
                      <Badges badges={row.badges} limit={6} />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  )
}

const KINDS = ['ip', 'domain', 'url', 'hash', 'email', 'yara'] as const

function SpotlightCard(props: { userId?: number }) {
  const [spot] = createResource(() => props.userId, champsSpotlight)
  return (
    <section class="card glass spotlight" data-testid="spotlight">
      <Show when={spot.latest} fallback={<p class="muted">{t('champs.spotlightHint')}</p>}>
        {(s) => (
          <>
            <h2 class="card-title">{t('champs.spotlightOf', { name: isolate(s().row.display_name || s().row.username) })}</h2>
            <div class="spot-head">
              <Medal rank={s().row.rank} />
              <span class="spot-score">{num(s().row.score)}</span>
              <span class="muted small">
                {s().row.nickname.emoji} {s().row.nickname.label[locale()]}
              </span>
            </div>
            <LevelBar row={s().row} />
            <Show when={s().row.streak_bonus_applied}>
              <p class="small">🔥 {t('champs.streakBonus')}</p>
            </Show>
            <Badges badges={s().row.badges} />
            <h3 class="subhead">{t('champs.activity14')}</h3>
            <Chart
              label={t('champs.activity14')}
              height={120}
              options={() => ({
                chart: { type: 'bar', sparkline: { enabled: true } },
                series: [{ name: t('champs.iocs'), data: s().activity.map((a) => a.count) }],
                xaxis: { categories: s().activity.map((a) => a.date) },
                plotOptions: { bar: { borderRadius: 3, columnWidth: '60%' } },
              })}
            />
            <h3 class="subhead">{t('champs.byKind')}</h3>
            <ul class="chips">
              <For each={KINDS.filter((k) => s().byKind[k] > 0)}>
                {(k) => (
                  <li class="chip">
                    {t(`champs.kinds.${k}`)} <strong>{num(s().byKind[k])}</strong>
                  </li>
                )}
              </For>
            </ul>
            <h3 class="subhead">{t('champs.methodScores')}</h3>
            <ol class="method-scores">
              <For each={Object.entries(s().scores)}>
                {([m, score]) => (
                  <li classList={{ current: Number(m) === s().method }}>
                    <span>#{m}</span>
                    <strong>{num(score)}</strong>
                  </li>
                )}
              </For>
            </ol>
            <Show when={s().rareFinds.length}>
              <h3 class="subhead">{t('champs.rareFinds')}</h3>
              <ul class="plain-list">
                <For each={s().rareFinds as { dim: 'country' | 'tld' | 'email_domain'; key: string }[]}>
                  {(f) => (
                    <li>
                      💎 <Show when={f.dim === 'country'}><Flag code={f.key} /></Show> {t('champs.rareFind', { dim: t(`champs.dims.${f.dim}`), key: isolate(f.key) })}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <h3 class="subhead">{t('champs.recent')}</h3>
            <ul class="plain-list">
              <For each={(s().recent as { id: number; type: string; value: string; country: string | null; createdAt: string }[]).slice(0, 6)}>
                {(r) => (
                  <li>
                    <span class={`badge badge-type badge-type-${r.type}`}>{t(`iocTypesShort.${r.type as 'ip'}`)}</span>{' '}
                    <span class="mono ioc-value" dir="ltr">{r.value}</span> <Flag code={r.country} />{' '}
                    <span class="muted small">{formatRelative(r.createdAt)}</span>
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
    </section>
  )
}

export type { LeaderboardRow }
