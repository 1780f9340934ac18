import { A } from '@solidjs/router'
import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import type { FeedCatalogueEntry, FeedSettings } from '../api/client'
import { Field } from '../components/Field'
import { TextArea } from '../components/TextArea'
import { FormError, SuccessNote } from '../components/FormError'
import { IconCheck, IconCopy, IconRouter, IconRss } from '../components/Icons'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { Select } from '../components/Select'
import { TaxiiCard } from '../components/TaxiiCard'
import { feedCatalogue, patchFeedSettings } from '../data/feeds'
import { user } from '../data/session'
import { intlLocale, t, tryT } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { formatBytes, formatRelative, isolate } from '../i18n/format'
import { typeLabel } from '../i18n/ioc'
import { copyText, FEED_FAMILIES, type FeedFamily, feedFamily, feedUrl } from '../lib/feeds'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const ALL_TYPES = 7

export default function FeedsPage() {
  usePageTitle(() => t('feeds.title'))
  const [catalogue, { mutate }] = createResource(feedCatalogue)
  const settings = () => catalogue()?.settings
  const onSaved = (next: FeedSettings) => mutate((old) => (old ? { ...old, settings: next } : old))

  return (
    <div class="page page-wide">
      <PageHeader icon={IconRss} title={t('feeds.title')} subtitle={t('feeds.subtitle')} />
      <FormError message={catalogue.error ? errorMessage(catalogue.error) : undefined} />
      <Show when={catalogue()} fallback={<Show when={!catalogue.error}><Loading /></Show>}>
        {(data) => (
          <>
            <AccessBanner access={data().settings.access} />
            <Show when={isAdmin(user())}>
              <FeedSettingsCard settings={settings()!} onSaved={onSaved} />
            </Show>
            <FormatNotes />
            <For each={FEED_FAMILIES}>
              {(family) => <FamilyCard family={family} items={data().items} />}
            </For>
            <TaxiiCard settings={data().settings} onSaved={onSaved} />
          </>
        )}
      </Show>
    </div>
  )
}

function AccessBanner(props: { access: FeedSettings['access'] }) {
  return (
    <section
      class="card glass feed-access-card"
      data-testid={isAdmin(user()) ? 'feed-access-mode' : 'feed-access'}
      data-access={props.access}
      aria-label={t('feeds.accessLabel')}
    >
      <div class="feed-access-line">
        <span class="muted">{t('feeds.accessLabel')}</span>
        <span class={`badge ${props.access === 'token' ? 'badge-ok' : 'badge-info'}`}>
          <span class="dot" aria-hidden="true" />
          {t(`feeds.access.${props.access}`)}
        </span>
        <span class="small">{t(`feeds.accessHelp.${props.access}`)}</span>
      </div>
      <Show when={isAdmin(user())}>
        <A href="/admin/feed-consumers" class="btn btn-secondary btn-sm">
          <IconRouter size={16} />
          {t('feeds.manageConsumers')}
        </A>
      </Show>
    </section>
  )
}

function FormatNotes() {
  const keys = ['pa', 'cp', 'slice', 'tokens'] as const
  return (
    <section class="card glass feed-notes" aria-labelledby="feed-notes-title">
      <h2 id="feed-notes-title">{t('feeds.notes.title')}</h2>
      <ul>
        <For each={keys}>{(key) => <li>{t(`feeds.notes.${key}`)}</li>}</For>
      </ul>
    </section>
  )
}

/** Translated one-line description from the feed's format and types (server title as fallback). */
function feedTitle(feed: FeedCatalogueEntry): string {
  const types =
    feed.types.length >= ALL_TYPES ? t('feeds.allTypes') : feed.types.map(typeLabel).join(', ')
  if (feed.deprecated && !feed.aliasOf && feedFamily(feed.path) === 'pa') {
    return `${types}: ${t('feeds.noPanType')}`
  }
  return tryT(`feeds.formats.${feed.format}`, { types }) ?? feed.title
}

function FamilyCard(props: { family: FeedFamily; items: FeedCatalogueEntry[] }) {
  // Current feeds first, compatibility routes after them (stable otherwise).
  const feeds = createMemo(() =>
    props.items
      .filter((feed) => feedFamily(feed.path) === props.family)
      .sort((a, b) => Number(a.deprecated) - Number(b.deprecated)),
  )
  const titleId = `feed-family-${props.family}`
  return (
    <Show when={feeds().length}>
      <section class="card glass" aria-labelledby={titleId} data-testid="feed-family" data-family={props.family}>
        <div class="card-header">
          <div>
            <h2 id={titleId}>{t(`feeds.families.${props.family}`)}</h2>
            <p class="muted small">{t(`feeds.familyHints.${props.family}`)}</p>
          </div>
          <span class="badge">{t('feeds.count', { n: feeds().length })}</span>
        </div>
        <ul class="feed-list">
          <For each={feeds()}>{(feed) => <FeedRow feed={feed} />}</For>
        </ul>
      </section>
    </Show>
  )
}

function FeedRow(props: { feed: FeedCatalogueEntry }) {
  const url = () => feedUrl(props.feed.path)
  const [copied, setCopied] = createSignal<'copied' | 'selected'>()
  let urlEl: HTMLElement | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const number = (n: number) => new Intl.NumberFormat(intlLocale()).format(n)

  const copy = async () => {
    setCopied(await copyText(url(), urlEl))
    clearTimeout(timer)
    timer = setTimeout(() => setCopied(undefined), 2500)
  }

  return (
    <li
      class="feed-row"
      classList={{ 'feed-deprecated': props.feed.deprecated }}
      data-testid="feed-row"
      data-path={props.feed.path}
    >
      <div class="feed-main">
        <div class="feed-url-line">
          <code class="feed-url" dir="ltr" data-testid="feed-url" ref={urlEl}>
            {url()}
          </code>
          <button
            type="button"
            class="btn btn-ghost btn-sm feed-copy"
            data-testid="feed-copy"
            aria-label={t('feeds.copyLabel', { url: url() })}
            title={t('feeds.copyLabel', { url: url() })}
            onClick={() => void copy()}
          >
            <Show when={copied() === 'copied'} fallback={<IconCopy size={16} />}>
              <IconCheck size={16} />
            </Show>
            <span aria-live="polite">
              {copied() === 'copied'
                ? t('feeds.copied')
                : copied() === 'selected'
                  ? t('feeds.selected')
                  : t('feeds.copy')}
            </span>
          </button>
        </div>
        <p class="feed-title">
          <span>{feedTitle(props.feed)}</span>
          <Show when={props.feed.deprecated}>
            <span class="badge badge-warn" data-testid="feed-deprecated">
              {t('feeds.deprecated')}
            </span>
          </Show>
          <Show when={props.feed.overLimit && props.feed.limit}>
            {(max) => (
              <span class="badge badge-error" role="alert" data-testid="feed-over-limit">
                {t('feeds.overLimit', { entries: number(props.feed.entries ?? 0), max: number(max()) })}
              </span>
            )}
          </Show>
          <Show when={props.feed.aliasOf}>
            {(target) => (
              <span class="badge" data-testid="feed-alias">
                {t('feeds.aliasOf', { path: isolate(target()) })}
              </span>
            )}
          </Show>
        </p>
      </div>
      <dl class="feed-stats">
        <Show
          when={props.feed.builtAt}
          fallback={
            <div class="feed-stat feed-stat-wide">
              <dt class="visually-hidden">{t('feeds.built')}</dt>
              <dd class="muted" data-testid="feed-not-built">
                {t('feeds.notBuilt')}
              </dd>
            </div>
          }
        >
          {(at) => (
            <>
              <div class="feed-stat">
                <dt>{t('feeds.entries')}</dt>
                <dd class="num" data-testid="feed-entries">
                  {number(props.feed.entries ?? 0)}
                  <Show when={props.feed.limit}>
                    {(max) => <span class="muted small"> / {number(max())}</span>}
                  </Show>
                </dd>
              </div>
              <div class="feed-stat">
                <dt>{t('feeds.size')}</dt>
                <dd class="num">
                  <span dir="ltr">{formatBytes(props.feed.bytes ?? 0)}</span>
                </dd>
              </div>
              <div class="feed-stat" title={t('feeds.droppedHint')}>
                <dt>{t('feeds.dropped')}</dt>
                <dd class="num" classList={{ 'feed-dropped': (props.feed.dropped ?? 0) > 0 }}>
                  {number(props.feed.dropped ?? 0)}
                </dd>
              </div>
              <div class="feed-stat">
                <dt>{t('feeds.built')}</dt>
                <dd>
                  <time datetime={at()} title={new Date(at()).toLocaleString(intlLocale())}>
                    {formatRelative(at())}
                  </time>
                </dd>
              </div>
            </>
          )}
        </Show>
      </dl>
    </li>
  )
}

/** `/feed/pa/url = 50000` per line <-> `{ "/feed/pa/url": 50000 }`. */
function formatLimits(limits: Record<string, number>): string {
  return Object.entries(limits)
    .map(([path, max]) => `${path} = ${max}`)
    .join('\n')
}

/** The limits map, or the first line that cannot be read. */
function parseLimits(text: string): Record<string, number> | string {
  const out: Record<string, number> = {}
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    const m = /^(\/feed\/\S+)\s*[=:\s]\s*(\d+)$/.exec(line)
    if (!m || Number(m[2]) < 1) return line
    out[m[1].toLowerCase()] = Number(m[2])
  }
  return out
}

function FeedSettingsCard(props: { settings: FeedSettings; onSaved: (next: FeedSettings) => void }) {
  const [access, setAccess] = createSignal(props.settings.access)
  const [wildcard, setWildcard] = createSignal(props.settings.paDomainWildcard)
  const [ipv6, setIpv6] = createSignal(props.settings.cpIpv6)
  const [share, setShare] = createSignal(String(Math.round(props.settings.shrinkAlertShare * 1000) / 10))
  const [grace, setGrace] = createSignal(String(props.settings.tokenGraceHours))
  const [limits, setLimits] = createSignal(formatLimits(props.settings.limits ?? {}))
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const [local, setLocal] = createSignal<Record<string, string>>({})
  const [saved, setSaved] = createSignal<string>()
  const SHOWN = ['access', 'paDomainWildcard', 'cpIpv6', 'shrinkAlertShare', 'tokenGraceHours', 'limits']
  const fieldErrorPrefix = (prefix: string) =>
    local()[prefix] ?? Object.entries(errors()?.fields ?? {}).find(([k]) => k.startsWith(prefix))?.[1]
  const errors = () => (error() === undefined ? undefined : formErrors(error(), SHOWN))
  const fieldError = (name: string) => local()[name] ?? errors()?.fields[name]

  const edited = () => {
    setSaved(undefined)
  }

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    setError(undefined)
    setSaved(undefined)
    const percent = Number(share().trim().replace(',', '.'))
    const hours = Number(grace().trim())
    const problems: Record<string, string> = {}
    if (share().trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      problems.shrinkAlertShare = t('feeds.settings.percentRange')
    }
    if (grace().trim() === '' || !Number.isInteger(hours) || hours < 0 || hours > 720) {
      problems.tokenGraceHours = t('feeds.settings.hoursRange')
    }
    const parsedLimits = parseLimits(limits())
    if (typeof parsedLimits === 'string') problems.limits = t('feeds.settings.limitsInvalid', { line: parsedLimits })
    setLocal(problems)
    if (Object.keys(problems).length) return
    setBusy(true)
    try {
      const res = await patchFeedSettings({
        access: access(),
        paDomainWildcard: wildcard(),
        cpIpv6: ipv6(),
        shrinkAlertShare: Math.round(percent * 10) / 1000,
        tokenGraceHours: hours,
        limits: parsedLimits as Record<string, number>,
      })
      props.onSaved(res.settings)
      setSaved(t('feeds.settings.saved'))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      class="card glass form"
      onSubmit={submit}
      novalidate
      aria-labelledby="feed-settings-title"
      data-testid="feed-settings"
    >
      <div>
        <h2 id="feed-settings-title">{t('feeds.settings.title')}</h2>
        <p class="muted small">{t('feeds.settings.subtitle')}</p>
      </div>
      <FormError
        message={Object.keys(local()).length ? t('errors.validation_failed') : errors()?.form}
        testId="feed-settings-error"
      />
      <SuccessNote message={saved()} />
      <div class="feed-settings-grid">
        <Select
          id="feed-access"
          testId="feed-access"
          label={t('feeds.settings.access')}
          value={access()}
          onValue={(v) => {
            setAccess(v as FeedSettings['access'])
            edited()
          }}
          options={(['public', 'token'] as const).map((k): [string, string] => [
            k,
            t(`feeds.settings.accessOptions.${k}`),
          ])}
          hint={t(`feeds.accessHelp.${access()}`)}
          error={fieldError('access')}
        />
        <Field
          id="feed-shrink"
          data-testid="feed-shrink"
          type="number"
          inputmode="decimal"
          min="0"
          max="100"
          step="any"
          dir="ltr"
          label={t('feeds.settings.shrinkAlertShare')}
          hint={t('feeds.settings.shrinkAlertShareHint')}
          value={share()}
          onValue={(v) => {
            setShare(v)
            edited()
          }}
          error={fieldError('shrinkAlertShare')}
        />
        <Field
          id="feed-grace"
          data-testid="feed-grace"
          type="number"
          inputmode="numeric"
          min="0"
          max="720"
          step="1"
          dir="ltr"
          label={t('feeds.settings.tokenGraceHours')}
          hint={t('feeds.settings.tokenGraceHoursHint')}
          value={grace()}
          onValue={(v) => {
            setGrace(v)
            edited()
          }}
          error={fieldError('tokenGraceHours')}
        />
      </div>
      <TextArea
        id="feed-limits"
        data-testid="feed-limits"
        dir="ltr"
        rows={3}
        label={t('feeds.settings.limits')}
        hint={t('feeds.settings.limitsHint')}
        placeholder="/feed/pa/url = 50000"
        value={limits()}
        onValue={(v) => {
          setLimits(v)
          edited()
        }}
        error={fieldErrorPrefix('limits')}
      />
      <div class="feed-switches">
        <SwitchField
          id="feed-wildcard"
          label={t('feeds.settings.paDomainWildcard')}
          hint={t('feeds.settings.paDomainWildcardHint')}
          checked={wildcard()}
          onChange={(v) => {
            setWildcard(v)
            edited()
          }}
          error={fieldError('paDomainWildcard')}
        />
        <SwitchField
          id="feed-ipv6"
          label={t('feeds.settings.cpIpv6')}
          hint={t('feeds.settings.cpIpv6Hint')}
          checked={ipv6()}
          onChange={(v) => {
            setIpv6(v)
            edited()
          }}
          error={fieldError('cpIpv6')}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="feed-settings-save" disabled={busy()}>
          {busy() ? t('feeds.settings.saving') : t('feeds.settings.save')}
        </button>
      </div>
    </form>
  )
}

function SwitchField(props: {
  id: string
  label: string
  hint: string
  checked: boolean
  onChange: (value: boolean) => void
  error?: string
}) {
  return (
    <div class="switch-field" classList={{ 'has-error': !!props.error }}>
      <label class="switch">
        <input
          id={props.id}
          type="checkbox"
          role="switch"
          data-testid={props.id}
          checked={props.checked}
          aria-describedby={`${props.id}-hint${props.error ? ` ${props.id}-error` : ''}`}
          onChange={(e) => props.onChange(e.currentTarget.checked)}
        />
        <span class="switch-track" aria-hidden="true" />
      </label>
      <div>
        <label for={props.id} class="strong">
          {props.label}
        </label>
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
        <p class="field-error" id={`${props.id}-error`} aria-live="polite">
          {props.error ?? ''}
        </p>
      </div>
    </div>
  )
}
