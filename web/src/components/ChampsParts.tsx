import { For, Show } from 'solid-js'
import type { GoalProgress, LeaderboardRow, TickerItem } from '../api/client'
import { intlLocale, locale, t } from '../i18n'
import { formatRelative, isolate } from '../i18n/format'

export const num = (n: number) => new Intl.NumberFormat(intlLocale()).format(n)
const MEDALS = ['🥇', '🥈', '🥉']

export function Medal(props: { rank: number }) {
  return (
    <span class="rank" data-testid="rank">
      <Show when={props.rank <= 3} fallback={<span>#{props.rank}</span>}>
        <span aria-label={`#${props.rank}`}>{MEDALS[props.rank - 1]}</span>
      </Show>
    </span>
  )
}

/** `[ +N ] ▲` / `[ -N ] ▼` against yesterday's snapshot. */
export function Trend(props: { trend: LeaderboardRow['trend'] }) {
  return (
    <span class="trend" dir="ltr" classList={{ up: (props.trend.delta ?? 0) > 0, down: (props.trend.delta ?? 0) < 0 }}>
      {props.trend.delta === null
        ? t('champs.trendNew')
        : props.trend.delta > 0
          ? t('champs.trendUp', { n: props.trend.delta })
          : props.trend.delta < 0
            ? t('champs.trendDown', { n: -props.trend.delta })
            : t('champs.trendSame')}
    </span>
  )
}

export function LevelBar(props: { row: LeaderboardRow }) {
  const info = () => props.row.level_info
  const pct = () => (info().level_width ? (100 * info().xp_in_level) / info().level_width! : 100)
  return (
    <div class="level" title={info().xp_to_next === null ? t('champs.maxLevel') : t('champs.xp', { xp: num(info().xp_in_level), width: num(info().level_width!), next: info().level + 1 })}>
      <span class="level-label">{t('champs.level', { level: info().level })}</span>
      <span class="xp-bar" aria-hidden="true">
        <span style={{ width: `${pct()}%` }} />
      </span>
    </div>
  )
}

export function Badges(props: { badges: LeaderboardRow['badges']; limit?: number }) {
  const shown = () => (props.limit ? props.badges.slice(0, props.limit) : props.badges)
  return (
    <span class="badges" aria-label={t('champs.badges')}>
      <For each={shown()}>
        {(b) => (
          <span class="badge-emoji" title={`${b.label[locale()]}: ${b.description[locale()]}`} data-badge={b.key}>
            {b.emoji}
          </span>
        )}
      </For>
      <Show when={props.limit && props.badges.length > props.limit}>
        <span class="muted small">+{props.badges.length - props.limit!}</span>
      </Show>
    </span>
  )
}

export function GoalBar(props: { goal: GoalProgress }) {
  const g = () => props.goal
  return (
    <div class="goal" data-testid="team-goal">
      <div class="goal-head">
        <strong dir="auto">{g().goal.title}</strong>
        <span class="badge badge-info">{t(`champs.goal.types.${g().goal.goalType}`)}</span>
        <Show when={g().reached}>
          <span class="badge badge-ok">{t('champs.goal.reached')}</span>
        </Show>
      </div>
      <Show when={g().goal.description}>
        <p class="muted small" dir="auto">{g().goal.description}</p>
      </Show>
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={g().percent}>
        <span style={{ width: `${g().percent}%` }} />
        <em>{g().percent}%</em>
      </div>
      <p class="small">
        {t('champs.goal.progress', { current: num(g().current), target: num(g().goal.targetValue), unit: g().goal.unit })}
        {' · '}
        <span class="muted">{t('champs.goal.last', { period: t(`champs.goal.periods.${g().goal.period}`), n: num(g().previous) })}</span>
      </p>
    </div>
  )
}

export function tickerText(item: TickerItem): string {
  if (item.kind === 'custom') return String(item.params.text)
  const p = Object.fromEntries(Object.entries(item.params).map(([k, v]) => [k, k === 'rank' || k === 'n' || k === 'percent' ? String(v) : isolate(String(v ?? ''))]))
  if (item.kind === 'deletion') p.type = t(`iocTypesShort.${item.params.type as 'ip'}`)
  return t(`champs.tick.${item.kind}`, p)
}

/** The news ticker: a scrolling line (still when the reader prefers reduced motion). */
export function Ticker(props: { items: TickerItem[] }) {
  return (
    <section class="ticker glass" aria-label={t('champs.ticker')} data-testid="ticker">
      <span class="ticker-label">{t('champs.ticker')}</span>
      <div class="ticker-window">
        <Show when={props.items.length} fallback={<span class="muted">{t('champs.tickerEmpty')}</span>}>
          <ul class="ticker-track" aria-live="off">
            <For each={props.items}>
              {(item) => (
                <li class={`tick tick-${item.category}`} dir={item.dir ?? 'auto'} style={item.color ? { color: item.color } : undefined}>
                  {tickerText(item)}
                  <Show when={item.at}>
                    <span class="muted small"> · {formatRelative(item.at)}</span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </section>
  )
}
