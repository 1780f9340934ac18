import { createResource, For, Show } from 'solid-js'
import type { PulseWindow } from '../api/client'
import { pulseConsumers, pulseFeeds } from '../data/pulse'
import { t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatBytes, formatDateTime, formatDuration, isolate } from '../i18n/format'
import { Chart } from './Chart'
import { FormError } from './FormError'
import { IconAlert } from './Icons'
import { num, signed } from './PulseBits'
import { Ago } from './PulseLists'

/** Feed size per feed over the window (a step line per feed) with the window's alerts. */
export function FeedsCard(props: { window: PulseWindow }) {
  const [data] = createResource(() => props.window, pulseFeeds)
  const label = (f: { path: string; feed: string }) => (f.feed === `${f.path}?n=&s=` ? f.path : f.feed)
  return (
    <section class="card glass" data-testid="pulse-feeds">
      <h2 class="card-title">{t('pulse.feeds')}</h2>
      <p class="muted small">{t('pulse.feedsHint')}</p>
      <FormError message={data.error ? errorMessage(data.error) : undefined} />
      <Show when={data.latest}>
        {(d) => (
          <Show when={d().feeds.length} fallback={<p class="muted">{t('pulse.noFeeds')}</p>}>
            <Chart
              label={t('pulse.feedChart')}
              testId="feed-chart"
              options={() => ({
                chart: { type: 'line' },
                stroke: { curve: 'stepline', width: 2 },
                markers: { size: 3 },
                series: d().feeds.map((f) => ({
                  name: label(f),
                  data: [...f.points.map((p) => ({ x: Date.parse(p.at), y: p.entries })), { x: Date.now(), y: f.entries }],
                })),
                xaxis: { type: 'datetime', labels: { datetimeUTC: false } },
                yaxis: { min: 0, forceNiceScale: true, labels: { formatter: (v: number) => num(Math.round(v)) } },
                legend: { position: 'top' },
              })}
            />
            <div class="table-wrap pulse-table">
              <table class="table table-compact">
                <thead>
                  <tr>
                    <th>{t('pulse.feed')}</th>
                    <th class="num">{t('pulse.entries')}</th>
                    <th class="num">{t('pulse.change')}</th>
                    <th class="num">{t('pulse.size')}</th>
                    <th>{t('pulse.builtAt')}</th>
                    <th>{t('pulse.shrinkAlerts')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={d().feeds}>
                    {(f) => (
                      <tr data-testid="feed-row" data-feed={f.path}>
                        <td class="mono" dir="ltr">{label(f)}</td>
                        <td class="num">{num(f.entries)}</td>
                        <td class="num" classList={{ 'text-bad': f.change < 0 }} dir="ltr">{signed(f.change)}</td>
                        <td class="num" dir="ltr">{formatBytes(f.bytes)}</td>
                        <td>
                          <Ago at={f.builtAt} />
                        </td>
                        <td>
                          <Show when={f.shrinkAlerts} fallback={<span class="muted">0</span>}>
                            <span class="badge badge-bad">
                              <IconAlert size={14} />
                              {num(f.shrinkAlerts)}
                            </span>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Show when={d().alerts.length}>
              <ul class="pulse-alerts" data-testid="feed-alerts">
                <For each={d().alerts as { id: number; feed: string; kind: string; fromEntries: number | null; toEntries: number | null; at: string; message: string }[]}>
                  {(a) => (
                    <li>
                      <IconAlert size={16} />
                      <span>
                        <b>{tryT(`pulse.alertKinds.${a.kind}`) ?? a.kind}</b> · <span class="mono" dir="ltr">{a.feed.split('?')[0]}</span>
                        <Show when={a.fromEntries !== null && a.toEntries !== null}>
                          {' '}
                          <span dir="ltr">
                            {num(a.fromEntries!)} → {num(a.toEntries!)}
                          </span>
                        </Show>{' '}
                        · <time datetime={a.at}>{formatDateTime(a.at)}</time>
                      </span>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        )}
      </Show>
    </section>
  )
}

/** Each consumer's last poll and polling health; then the addresses polling without a token. */
export function ConsumersCard(props: { window: PulseWindow }) {
  const [data] = createResource(() => props.window, pulseConsumers)
  return (
    <section class="card glass" data-testid="pulse-consumers">
      <h2 class="card-title">{t('pulse.consumers')}</h2>
      <FormError message={data.error ? errorMessage(data.error) : undefined} />
      <Show when={data.latest}>
        {(d) => (
          <>
            <p class="muted small">{t('pulse.consumersHint', { n: d().stoppedFactor })}</p>
            <Show when={d().items.length} fallback={<p class="muted">{t('pulse.noConsumers')}</p>}>
              <div class="table-wrap pulse-table">
                <table class="table table-compact">
                  <thead>
                    <tr>
                      <th>{t('pulse.consumer')}</th>
                      <th>{t('pulse.status')}</th>
                      <th>{t('pulse.lastPoll')}</th>
                      <th>{t('pulse.address')}</th>
                      <th>{t('pulse.feed')}</th>
                      <th class="num">{t('pulse.polls')}</th>
                      <th>{t('pulse.interval')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={d().items}>
                      {(c) => (
                        <tr data-testid="consumer-row" data-name={c.name}>
                          <td>{isolate(c.name)}</td>
                          <td>
                            <span class="tag-list">
                              <Show when={!c.active} fallback={
                                <Show when={c.lastSeenAt} fallback={<span class="badge">{t('pulse.never')}</span>}>
                                  <span class={`badge ${c.stopped ? 'badge-bad' : 'badge-ok'}`}>{c.stopped ? t('pulse.stopped') : t('pulse.ok')}</span>
                                </Show>
                              }>
                                <span class="badge">{t('pulse.inactive')}</span>
                              </Show>
                              <Show when={c.authFailureStreak > 0}>
                                <span class="badge badge-warn">{t('pulse.authStreak', { n: c.authFailureStreak })}</span>
                              </Show>
                            </span>
                          </td>
                          <td>{c.lastSeenAt ? <Ago at={c.lastSeenAt} /> : '—'}</td>
                          <td class="mono" dir="ltr">{c.lastAddress ?? '—'}</td>
                          <td class="mono" dir="ltr">
                            {c.lastFeed ?? '—'}
                            <Show when={c.lastStatus}> · {c.lastStatus}</Show>
                          </td>
                          <td class="num">{num(c.polls)}</td>
                          <td>{c.intervalSeconds ? formatDuration(c.intervalSeconds) : '—'}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
            <Show when={d().anonymous.length}>
              <h3 class="pulse-subtitle">{t('pulse.anonymous')}</h3>
              <div class="table-wrap pulse-table">
                <table class="table table-compact">
                  <tbody>
                    <For each={d().anonymous as { address: string; lastSeenAt: string; lastFeed: string; lastStatus: number; polls: number }[]}>
                      {(a) => (
                        <tr>
                          <td class="mono" dir="ltr">{a.address}</td>
                          <td>
                            <Ago at={a.lastSeenAt} />
                          </td>
                          <td class="mono" dir="ltr">
                            {a.lastFeed} · {a.lastStatus}
                          </td>
                          <td class="num">{num(a.polls)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}
