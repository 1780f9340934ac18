import { For, type JSX, Show, type Resource } from 'solid-js'
import type { Health } from '../../../schema/contracts/auth'
import { t, tryT } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { formatBytes, formatDateTime, formatRelative, formatUnit, isolate } from '../i18n/format'
import { FormError } from './FormError'
import { IconClock, IconDatabase, IconDisk, IconPackage, IconRefresh, IconServer } from './Icons'

/** Job names come from the server ("misp-pull"); known ones are translated, others humanised. */
function jobLabel(name: string): string {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '')
  return tryT(`jobs.${key}`) ?? name.replace(/[-_.]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase())
}

function Stat(props: { icon: JSX.Element; label: string; children: JSX.Element; testId?: string }) {
  return (
    <div class="stat" data-testid={props.testId}>
      <span class="stat-icon" aria-hidden="true">
        {props.icon}
      </span>
      <div>
        <div class="stat-label">{props.label}</div>
        <div class="stat-value">{props.children}</div>
      </div>
    </div>
  )
}

/** GET /health at a glance: status, version, database latency, disk and scheduled jobs. */
export function SystemCard(props: { data: Resource<Health>; onRefresh: () => void }) {
  const health = () => (props.data.error ? undefined : props.data.latest)
  return (
    <section
      class="card glass"
      aria-labelledby="system-title"
      data-testid="system-card"
      aria-busy={props.data.loading}
    >
      <div class="card-header">
        <h2 id="system-title">{t('overview.system')}</h2>
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          onClick={props.onRefresh}
          disabled={props.data.loading}
        >
          <IconRefresh size={18} class={props.data.loading ? 'spin' : ''} />
          {props.data.loading ? t('overview.refreshing') : t('overview.refresh')}
        </button>
      </div>
      <Show when={props.data.error}>
        <FormError message={`${t('overview.unavailable')} ${errorMessage(props.data.error)}`} />
      </Show>
      <Show when={health()}>
        {(h) => (
          <>
            <div class="stats">
              <Stat icon={<IconServer />} label={t('overview.status')} testId="health-status">
                <span class={`badge ${h().status === 'ok' ? 'badge-ok' : 'badge-warn'}`}>
                  <span class="dot" aria-hidden="true" />
                  {h().status === 'ok' ? t('overview.statusOk') : t('overview.statusDegraded')}
                </span>
              </Stat>
              <Stat icon={<IconPackage />} label={t('overview.version')} testId="health-version">
                <bdi class="mono">{h().version}</bdi>
              </Stat>
              <Stat icon={<IconDatabase />} label={t('overview.database')} testId="health-database">
                <span class={`badge ${h().database.ok ? 'badge-ok' : 'badge-bad'}`}>
                  {h().database.ok ? t('overview.dbOk') : t('overview.dbDown')}
                </span>{' '}
                <span class="muted">{formatUnit(h().database.latencyMs, 'millisecond')}</span>
              </Stat>
              <Show when={h().disk}>
                {(disk) => (
                  <Stat icon={<IconDisk />} label={t('overview.disk')} testId="health-disk">
                    <span class={`badge ${disk().ok ? 'badge-ok' : 'badge-warn'}`}>
                      <span class="dot" aria-hidden="true" />
                      {disk().ok ? t('overview.diskOk') : t('overview.diskLow')}
                    </span>
                    <span class="muted">
                      {t('overview.diskFree', {
                        free: isolate(formatBytes(disk().freeBytes)),
                        total: isolate(formatBytes(disk().totalBytes)),
                      })}
                    </span>
                  </Stat>
                )}
              </Show>
            </div>
            <h3 class="subhead">{t('overview.jobs')}</h3>
            <JobTable jobs={h().jobs} />
            <p class="fine-print">
              <IconClock size={14} />{' '}
              {t('overview.checkedAt', { time: formatDateTime(h().time) })}
            </p>
          </>
        )}
      </Show>
    </section>
  )
}

function JobTable(props: { jobs: Health['jobs'] }) {
  const entries = () => Object.entries(props.jobs)
  return (
    <Show when={entries().length > 0} fallback={<p class="muted">{t('overview.noJobs')}</p>}>
      <div class="table-wrap">
        <table class="table" data-testid="health-jobs">
          <thead>
            <tr>
              <th scope="col">{t('overview.job')}</th>
              <th scope="col">{t('overview.lastSuccess')}</th>
              <th scope="col">{t('overview.lastOutcome')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={entries()}>
              {([name, job]) => (
                <tr>
                  <th scope="row">{jobLabel(name)}</th>
                  <td>
                    <Show
                      when={job.lastSuccessAt}
                      fallback={<span class="muted">{t('overview.neverSucceeded')}</span>}
                    >
                      {(at) => (
                        <time datetime={at()} title={formatDateTime(at())}>
                          {formatDateTime(at())}{' '}
                          <span class="muted">({formatRelative(at())})</span>
                        </time>
                      )}
                    </Show>
                  </td>
                  <td>
                    <bdi class="mono">{job.lastOutcome ?? '—'}</bdi>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  )
}
