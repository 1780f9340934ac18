import { createSignal, For, Show } from 'solid-js'
import type { FeedSettings } from '../api/client'
import { API_ROOT, COLLECTIONS, TAXII1_COLLECTIONS } from '../../../functions/domain/taxii-catalogue'
import { patchFeedSettings } from '../data/feeds'
import { user } from '../data/session'
import { t } from '../i18n'
import { formErrors } from '../i18n/errors'
import { typeLabel } from '../i18n/ioc'
import { copyText } from '../lib/feeds'
import { isAdmin } from '../lib/permissions'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconCheck, IconCopy } from './Icons'
import { Select } from './Select'
import '../styles/taxii.css'

/** One URL (or id) with a copy button, styled like the feed rows. */
function CopyLine(props: { value: string; label: string; testId: string }) {
  const [copied, setCopied] = createSignal<'copied' | 'selected'>()
  let el: HTMLElement | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const copy = async () => {
    setCopied(await copyText(props.value, el))
    clearTimeout(timer)
    timer = setTimeout(() => setCopied(undefined), 2500)
  }
  return (
    <li class="feed-row taxii-row" data-testid={props.testId} data-value={props.value}>
      <div class="feed-main">
        <p class="feed-title">{props.label}</p>
        <div class="feed-url-line">
          <code class="feed-url" dir="ltr" ref={el}>
            {props.value}
          </code>
          <button type="button" class="btn btn-ghost btn-sm feed-copy" aria-label={t('feeds.copyLabel', { url: props.value })} onClick={() => void copy()}>
            <Show when={copied() === 'copied'} fallback={<IconCopy size={16} />}>
              <IconCheck size={16} />
            </Show>
            <span aria-live="polite">{copied() === 'copied' ? t('feeds.copied') : copied() === 'selected' ? t('feeds.selected') : t('feeds.copy')}</span>
          </button>
        </div>
      </div>
    </li>
  )
}

const collectionLabel = (alias: string) => (alias === 'all' ? t('taxii.allCollection') : typeLabel(alias))

/**
 * TAXII 2.1 and TAXII 1.1 addresses (plus the STIX bundle URLs) for SIEMs, OpenCTI, Palo Alto
 * and Cisco ESA; admins set the public base URL and the TLP marking here.
 */
export function TaxiiCard(props: { settings: FeedSettings; onSaved: (next: FeedSettings) => void }) {
  const base = () => (props.settings.publicUrl || location.origin).replace(/\/+$/, '')
  const root = () => `${base()}/taxii2/${API_ROOT}/`
  return (
    <section class="card glass" aria-labelledby="taxii-title" data-testid="taxii-card">
      <div class="card-header">
        <div>
          <h2 id="taxii-title">{t('taxii.title')}</h2>
          <p class="muted small">{t('taxii.subtitle')}</p>
        </div>
      </div>
      <h3 class="taxii-heading">{t('taxii.v21')}</h3>
      <ul class="feed-list">
        <CopyLine testId="taxii-url" label={t('taxii.discovery')} value={`${base()}/taxii2/`} />
        <CopyLine testId="taxii-url" label={t('taxii.apiRoot')} value={root()} />
      </ul>
      <h4 class="taxii-subheading">{t('taxii.collections')}</h4>
      <ul class="feed-list">
        <For each={COLLECTIONS}>
          {(col) => <CopyLine testId="taxii-collection" label={t('taxii.collectionId', { name: collectionLabel(col.alias) })} value={col.id} />}
        </For>
      </ul>
      <h3 class="taxii-heading">{t('taxii.v11')}</h3>
      <p class="muted small">{t('taxii.v11Hint')}</p>
      <ul class="feed-list">
        <CopyLine testId="taxii1-url" label={t('taxii.discovery')} value={`${base()}/taxii/discovery`} />
        <CopyLine testId="taxii1-url" label={t('taxii.collectionManagement')} value={`${base()}/taxii/collections`} />
        <CopyLine testId="taxii1-url" label={t('taxii.poll')} value={`${base()}/taxii/poll`} />
      </ul>
      <p class="small taxii-names" data-testid="taxii1-collections">
        {t('taxii.v11Collections')}{' '}
        <For each={TAXII1_COLLECTIONS}>
          {(col, i) => (
            <>
              <code dir="ltr">{col.name}</code>
              {i() < TAXII1_COLLECTIONS.length - 1 ? ' ' : ''}
            </>
          )}
        </For>
      </p>
      <h3 class="taxii-heading">{t('taxii.bundle')}</h3>
      <ul class="feed-list">
        <CopyLine testId="stix-url" label={t('taxii.bundleAll')} value={`${base()}/feed/stix`} />
        <CopyLine testId="stix-url" label={t('taxii.bundleType')} value={`${base()}/feed/stix/domain`} />
      </ul>
      <Show when={isAdmin(user())}>
        <TaxiiSettings settings={props.settings} onSaved={props.onSaved} />
      </Show>
    </section>
  )
}

function TaxiiSettings(props: { settings: FeedSettings; onSaved: (next: FeedSettings) => void }) {
  const [publicUrl, setPublicUrl] = createSignal(props.settings.publicUrl)
  const [tlp, setTlp] = createSignal(props.settings.taxiiTlp)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  const [saved, setSaved] = createSignal<string>()
  const errors = () => (error() === undefined ? undefined : formErrors(error(), ['publicUrl', 'taxiiTlp']))

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    setBusy(true)
    setError(undefined)
    setSaved(undefined)
    try {
      const res = await patchFeedSettings({ publicUrl: publicUrl().trim(), taxiiTlp: tlp() })
      props.onSaved(res.settings)
      setSaved(t('feeds.settings.saved'))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="form taxii-settings" onSubmit={submit} novalidate data-testid="taxii-settings">
      <FormError message={errors()?.form} />
      <SuccessNote message={saved()} />
      <div class="feed-settings-grid">
        <Field
          id="taxii-public-url"
          data-testid="taxii-public-url"
          type="url"
          dir="ltr"
          label={t('taxii.publicUrl')}
          hint={t('taxii.publicUrlHint')}
          placeholder="https://moat.example.org"
          value={publicUrl()}
          onValue={(v) => {
            setPublicUrl(v)
            setSaved(undefined)
          }}
          error={errors()?.fields.publicUrl}
        />
        <Select
          id="taxii-tlp"
          testId="taxii-tlp"
          label={t('taxii.tlp')}
          hint={t('taxii.tlpHint')}
          value={tlp()}
          onValue={(v) => {
            setTlp(v as FeedSettings['taxiiTlp'])
            setSaved(undefined)
          }}
          options={(['', 'white', 'green', 'amber', 'red'] as const).map((k): [string, string] => [k, t(`taxii.tlpOptions.${k || 'none'}`)])}
          error={errors()?.fields.taxiiTlp}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="taxii-settings-save" disabled={busy()}>
          {busy() ? t('feeds.settings.saving') : t('taxii.save')}
        </button>
      </div>
    </form>
  )
}
