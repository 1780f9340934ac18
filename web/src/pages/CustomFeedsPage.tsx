import { createEffect, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js'
import {
  CIDR_FORMATS,
  COMMENT_FORMATS,
  CSV_COLUMNS,
  CUSTOM_FORMATS,
  FORMAT_TYPES,
  ORIGINS,
  RANGE_FORMATS,
  type CustomFormat,
} from '../../../schema/contracts/custom-feeds'
import {
  ApiFailure,
  createCustomFeed,
  deleteCustomFeed,
  listCampaigns,
  listCustomFeeds,
  listUsers,
  previewCustomFeed,
  updateCustomFeed,
  type CustomFeed,
  type CustomFeedInput,
  type CustomFeedPreview,
} from '../api/client'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconCheck, IconCopy, IconEdit, IconPlus, IconRss, IconTrash } from '../components/Icons'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { Select } from '../components/Select'
import { user } from '../data/session'
import { t, tryT } from '../i18n'
import { errorMessage, fieldLabel, fieldMessage } from '../i18n/errors'
import { formatBytes, formatRelative, isolate } from '../i18n/format'
import { copyText, feedUrl } from '../lib/feeds'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'
import '../styles/custom-feeds.css'

/** A key built at run time (format, reason names): falls back to the key itself. */
const tx = (key: string, params?: Record<string, string | number>) => tryT(key, params) ?? key

const IOC_TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const

interface Draft {
  name: string
  slug: string
  slugEdited: boolean
  description: string
  format: CustomFormat
  columns: string[]
  types: string[]
  tagsAny: string
  tagsAll: string
  tagsNone: string
  campaigns: number[]
  minConfidence: string
  sources: string[]
  analysts: number[]
  createdWithinDays: string
  expiringWithinDays: string
  collapse: 'none' | 'cidr' | 'range'
  maxPrefixV4: string
  maxPrefixV6: string
  refuseTld: boolean
  maxEntries: string
  headerComment: boolean
  wildcard: boolean
  onEmpty: 'comment' | 'unavailable'
}

const emptyDraft = (): Draft => ({
  name: '',
  slug: '',
  slugEdited: false,
  description: '',
  format: 'pa-ip',
  columns: ['type', 'value'],
  types: ['ip'],
  tagsAny: '',
  tagsAll: '',
  tagsNone: '',
  campaigns: [],
  minConfidence: '',
  sources: [],
  analysts: [],
  createdWithinDays: '',
  expiringWithinDays: '',
  collapse: 'none',
  maxPrefixV4: '16',
  maxPrefixV6: '48',
  refuseTld: true,
  maxEntries: '',
  headerComment: false,
  wildcard: false,
  onEmpty: 'comment',
})

const draftOf = (f: CustomFeed): Draft => ({
  name: f.name,
  slug: f.slug,
  slugEdited: true,
  description: f.description,
  format: f.format,
  columns: f.columns,
  types: f.filters.types,
  tagsAny: f.filters.tags.any.join(', '),
  tagsAll: f.filters.tags.all.join(', '),
  tagsNone: f.filters.tags.none.join(', '),
  campaigns: f.filters.campaigns,
  minConfidence: f.filters.minConfidence === null ? '' : String(f.filters.minConfidence),
  sources: f.filters.sources,
  analysts: f.filters.analysts,
  createdWithinDays: f.filters.createdWithinDays === null ? '' : String(f.filters.createdWithinDays),
  expiringWithinDays: f.filters.expiringWithinDays === null ? '' : String(f.filters.expiringWithinDays),
  collapse: f.policy.collapse,
  maxPrefixV4: String(f.policy.maxPrefixV4),
  maxPrefixV6: String(f.policy.maxPrefixV6),
  refuseTld: f.policy.refuseTld,
  maxEntries: f.policy.maxEntries === null ? '' : String(f.policy.maxEntries),
  headerComment: f.policy.headerComment,
  wildcard: f.policy.wildcard,
  onEmpty: f.policy.onEmpty,
})

/** A slug from a name: ASCII lowercase, dashes between words (the admin can type another). */
const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)

const tagList = (text: string) => [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))]
/** A number box: empty = null; anything else is sent as typed so the server names a bad value. */
const num = (text: string): number | null => (text.trim() === '' ? null : Number(text.trim()))

/** The definition part of a draft, kept valid for the format (types, collapse and switches it allows). */
function definitionOf(d: Draft) {
  const allowed = FORMAT_TYPES[d.format]
  return {
    format: d.format,
    columns: d.format === 'csv' ? d.columns : [],
    filters: {
      types: d.types.filter((x) => allowed.includes(x)) as never,
      tags: { any: tagList(d.tagsAny), all: tagList(d.tagsAll), none: tagList(d.tagsNone) },
      campaigns: d.campaigns,
      minConfidence: num(d.minConfidence),
      sources: d.sources as never,
      analysts: d.analysts,
      createdWithinDays: num(d.createdWithinDays),
      expiringWithinDays: num(d.expiringWithinDays),
    },
    policy: {
      collapse: collapseOptions(d.format).includes(d.collapse) ? d.collapse : 'none',
      maxPrefixV4: num(d.maxPrefixV4) ?? 16,
      maxPrefixV6: num(d.maxPrefixV6) ?? 48,
      refuseTld: d.refuseTld,
      maxEntries: num(d.maxEntries),
      headerComment: COMMENT_FORMATS.includes(d.format) && d.headerComment,
      wildcard: d.format === 'pa-domain' && d.wildcard,
      onEmpty: d.onEmpty,
    },
  }
}

function collapseOptions(format: CustomFormat): Draft['collapse'][] {
  const out: Draft['collapse'][] = ['none']
  if (CIDR_FORMATS.includes(format)) out.push('cidr')
  if (RANGE_FORMATS.includes(format)) out.push('range')
  return out
}

/** Draft keys that show their own error under the input. */
const SHOWN_FIELDS = new Set(['name', 'slug', 'description', 'format', 'columns', 'types', 'tagsAny', 'tagsAll', 'tagsNone', 'campaigns', 'sources', 'analysts', 'minConfidence', 'createdWithinDays', 'expiringWithinDays', 'collapse', 'maxEntries', 'maxPrefixV4', 'maxPrefixV6'])

interface Errors {
  form?: string
  fields: Record<string, string>
}

/** Field errors by the draft key they belong to (filters.tags.any.0 → tagsAny). */
function errorsOf(err: unknown): Errors {
  const issues = err instanceof ApiFailure ? err.fields : []
  if (!issues.length) return { form: errorMessage(err), fields: {} }
  const fields: Record<string, string> = {}
  const keyOf = (field: string) => {
    const parts = field.split('.')
    if (parts[0] === 'filters' && parts[1] === 'tags') return `tags${(parts[2] ?? 'any').replace(/^./, (c) => c.toUpperCase())}`
    if (parts[0] === 'filters' || parts[0] === 'policy') return parts[1]
    return parts[0]
  }
  for (const issue of issues) {
    const message = issue.field === 'slug' && issue.code === 'duplicate' ? t('customFeeds.slugTaken') : fieldMessage(issue)
    fields[keyOf(issue.field)] ??= message
  }
  // Issues shown next to their field need no repeat in the banner; any other is named there.
  const stray = issues.filter((i) => !SHOWN_FIELDS.has(keyOf(i.field)))
  const form = stray.length
    ? stray.map((i) => t('validation.withField', { field: fieldLabel(i.field), message: fieldMessage(i) })).join(' ')
    : t('errors.validation_failed')
  return { form, fields }
}

export default function CustomFeedsPage() {
  usePageTitle(() => t('customFeeds.title'))
  return (
    <div class="page page-wide">
      <PageHeader icon={IconRss} title={t('customFeeds.title')} subtitle={t('customFeeds.subtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('customFeeds.adminOnly')}>
        <CustomFeedsSection />
      </AdminOnly>
    </div>
  )
}

function CustomFeedsSection() {
  const [feeds, { refetch }] = createResource(async () => (await listCustomFeeds()).items)
  const [campaigns] = createResource(async () => (await listCampaigns()).items)
  const [people] = createResource(async () => (await listUsers({})).items)
  const [editing, setEditing] = createSignal<CustomFeed>()
  const [flash, setFlash] = createSignal<string>()
  const [formKey, setFormKey] = createSignal(0)

  return (
    <>
      <section class="card glass" aria-labelledby="cf-list-title">
        <h2 id="cf-list-title">{t('customFeeds.list')}</h2>
        <SuccessNote message={flash()} />
        <Show when={feeds()} fallback={<p class="muted">{t('app.loading')}</p>}>
          {(items) => (
            <Show when={items().length} fallback={<p class="muted" data-testid="cf-empty">{t('customFeeds.empty')}</p>}>
              <FeedTable
                items={items()}
                onEdit={(f) => {
                  setFlash(undefined)
                  setEditing(f)
                  setFormKey((k) => k + 1)
                  queueMicrotask(() => document.getElementById('cf-form')?.scrollIntoView({ block: 'start', behavior: 'smooth' }))
                }}
                onDeleted={(f) => {
                  setFlash(t('customFeeds.deleted', { name: isolate(f.name) }))
                  if (editing()?.id === f.id) setEditing(undefined)
                  void refetch()
                }}
              />
            </Show>
          )}
        </Show>
      </section>
      <Show when={formKey() + 1} keyed>
        <FeedForm
          initial={editing()}
          campaigns={campaigns() ?? []}
          people={(people() ?? []).filter((p) => p.role !== 'viewer')}
          onCancel={() => {
            setEditing(undefined)
            setFormKey((k) => k + 1)
          }}
          onSaved={(f, created) => {
            setFlash(created ? t('customFeeds.created', { name: isolate(f.name), url: isolate(f.url) }) : t('customFeeds.updated', { name: isolate(f.name) }))
            setEditing(undefined)
            setFormKey((k) => k + 1)
            void refetch()
          }}
        />
      </Show>
    </>
  )
}

function CopyButton(props: { text: string; testId: string }) {
  const [done, setDone] = createSignal(false)
  return (
    <button
      type="button"
      class="btn btn-ghost btn-sm"
      data-testid={props.testId}
      onClick={async () => {
        await copyText(props.text)
        setDone(true)
        setTimeout(() => setDone(false), 2000)
      }}
    >
      <Show when={done()} fallback={<IconCopy size={16} />}>
        <IconCheck size={16} />
      </Show>
      <span aria-live="polite">{done() ? t('customFeeds.copied') : t('customFeeds.copyUrl')}</span>
    </button>
  )
}

function FeedTable(props: { items: CustomFeed[]; onEdit: (f: CustomFeed) => void; onDeleted: (f: CustomFeed) => void }) {
  const [confirming, setConfirming] = createSignal<number>()
  const [error, setError] = createSignal<string>()
  const remove = async (f: CustomFeed) => {
    try {
      await deleteCustomFeed(f.id)
      setConfirming(undefined)
      props.onDeleted(f)
    } catch (err) {
      setError(errorMessage(err))
    }
  }
  return (
    <div class="table-wrap">
      <FormError message={error()} />
      <table class="table cf-table" data-testid="cf-table">
        <thead>
          <tr>
            <th>{t('customFeeds.name')}</th>
            <th>{t('customFeeds.url')}</th>
            <th>{t('customFeeds.format')}</th>
            <th class="num">{t('customFeeds.entries')}</th>
            <th class="num">{t('customFeeds.size')}</th>
            <th>{t('customFeeds.lastBuilt')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          <For each={props.items}>
            {(f) => (
              <>
                <tr data-testid={`cf-row-${f.slug}`}>
                  <td>
                    <strong dir="auto">{f.name}</strong>
                    <Show when={f.description}>
                      <div class="small muted" dir="auto">
                        {f.description}
                      </div>
                    </Show>
                  </td>
                  <td>
                    <code dir="ltr" class="cf-url">
                      {f.url}
                    </code>
                  </td>
                  <td>
                    <code dir="ltr" title={tx(`customFeeds.formats.${f.format}`)}>
                      {f.format}
                    </code>
                  </td>
                  <td class="num">{f.entries ?? '—'}</td>
                  <td class="num">{f.bytes === null ? '—' : formatBytes(f.bytes)}</td>
                  <td class="small muted">{f.builtAt ? formatRelative(f.builtAt) : t('customFeeds.never')}</td>
                  <td class="cf-actions">
                    <CopyButton text={feedUrl(f.url)} testId={`cf-copy-${f.slug}`} />
                    <button type="button" class="btn btn-ghost btn-sm" data-testid={`cf-edit-${f.slug}`} onClick={() => props.onEdit(f)}>
                      <IconEdit size={16} />
                      {t('customFeeds.edit')}
                    </button>
                    <button type="button" class="btn btn-ghost btn-sm danger" data-testid={`cf-delete-${f.slug}`} onClick={() => setConfirming(f.id)}>
                      <IconTrash size={16} />
                      {t('customFeeds.delete')}
                    </button>
                  </td>
                </tr>
                <Show when={confirming() === f.id}>
                  <tr class="cf-confirm">
                    <td colSpan={7}>
                      <span>{t('customFeeds.confirmDelete', { name: isolate(f.name), url: isolate(f.url) })}</span>
                      <button type="button" class="btn btn-danger btn-sm" data-testid={`cf-confirm-delete-${f.slug}`} onClick={() => void remove(f)}>
                        {t('customFeeds.delete')}
                      </button>
                      <button type="button" class="btn btn-secondary btn-sm" onClick={() => setConfirming(undefined)}>
                        {t('customFeeds.cancel')}
                      </button>
                    </td>
                  </tr>
                </Show>
              </>
            )}
          </For>
        </tbody>
      </table>
    </div>
  )
}

function Checks<T extends string | number>(props: { legend: string; name: string; options: [T, string][]; value: T[]; onValue: (v: T[]) => void; error?: string; empty?: string; hint?: string }) {
  return (
    <fieldset class="cf-checks" classList={{ 'has-error': !!props.error }}>
      <legend>{props.legend}</legend>
      <div class="cf-check-list">
        <For each={props.options} fallback={<span class="small muted">{props.empty}</span>}>
          {([value, label]) => (
            <label class="cf-check">
              <input
                type="checkbox"
                data-testid={`cf-${props.name}-${value}`}
                checked={props.value.includes(value)}
                onChange={(e) => props.onValue(e.currentTarget.checked ? [...props.value, value] : props.value.filter((x) => x !== value))}
              />
              <span dir="auto">{label}</span>
            </label>
          )}
        </For>
      </div>
      <Show when={props.hint}>
        <p class="field-hint">{props.hint}</p>
      </Show>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
    </fieldset>
  )
}

function Switch(props: { id: string; label: string; hint?: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="switch-field">
      <label class="switch">
        <input id={props.id} type="checkbox" role="switch" data-testid={props.id} checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
        <span class="switch-track" aria-hidden="true" />
      </label>
      <div>
        <label for={props.id} class="strong">
          {props.label}
        </label>
        <Show when={props.hint}>
          <p class="field-hint">{props.hint}</p>
        </Show>
      </div>
    </div>
  )
}

function FeedForm(props: {
  initial?: CustomFeed
  campaigns: { id: number; name: string }[]
  people: { id: number; username: string; displayName: string }[]
  onSaved: (f: CustomFeed, created: boolean) => void
  onCancel: () => void
}) {
  const [draft, setDraft] = createSignal<Draft>(props.initial ? draftOf(props.initial) : emptyDraft())
  const [errors, setErrors] = createSignal<Errors>()
  const [busy, setBusy] = createSignal(false)
  const [preview, setPreview] = createSignal<CustomFeedPreview>()
  const [previewError, setPreviewError] = createSignal<string>()
  const [previewing, setPreviewing] = createSignal(false)
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const d = draft
  const err = (k: string) => errors()?.fields[k]

  // Live preview: debounced, the latest request wins.
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0
  createEffect(
    on(draft, (current) => {
      clearTimeout(timer)
      timer = setTimeout(async () => {
        const mine = ++seq
        setPreviewing(true)
        try {
          const res = await previewCustomFeed({ ...definitionOf(current), name: current.name || 'preview', lines: 50 } as never)
          if (mine === seq) {
            setPreview(res)
            setPreviewError(undefined)
          }
        } catch (e) {
          if (mine === seq) {
            setPreview(undefined)
            setPreviewError(errorsOf(e).form)
          }
        } finally {
          if (mine === seq) setPreviewing(false)
        }
      }, 350)
    }),
  )
  onCleanup(() => clearTimeout(timer))

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    setErrors(undefined)
    setBusy(true)
    const body = { name: d().name.trim(), slug: d().slug.trim(), description: d().description.trim(), ...definitionOf(d()) } as unknown as CustomFeedInput
    try {
      const res = props.initial ? await updateCustomFeed(props.initial.id, body) : await createCustomFeed(body)
      props.onSaved(res.feed, !props.initial)
    } catch (e) {
      setErrors(errorsOf(e))
    } finally {
      setBusy(false)
    }
  }

  const allowedTypes = () => FORMAT_TYPES[d().format]
  const warningText = (w: CustomFeedPreview['warnings'][number]) => {
    const params = { ...w.params } as Record<string, string | number>
    if (w.code === 'dropped') params.reason = tryT(`customFeeds.dropReasons.${params.reason}`) ?? String(params.reason)
    return tx(`customFeeds.warnings.${w.code}`, params)
  }

  return (
    <form id="cf-form" class="card glass form cf-form" onSubmit={submit} novalidate aria-labelledby="cf-form-title">
      <h2 id="cf-form-title">{props.initial ? t('customFeeds.editTitle', { name: isolate(props.initial.name) }) : t('customFeeds.newTitle')}</h2>
      <FormError message={errors()?.form} testId="cf-error" />
      <div class="cf-layout">
        <div class="cf-fields">
          <div class="cf-grid">
            <Field
              id="cf-name"
              data-testid="cf-name"
              label={t('customFeeds.name')}
              value={d().name}
              onValue={(v) => setDraft((x) => ({ ...x, name: v, slug: x.slugEdited ? x.slug : slugify(v) }))}
              error={err('name')}
              maxLength={100}
              dir="auto"
              required
            />
            <Field
              id="cf-slug"
              data-testid="cf-slug"
              label={t('customFeeds.slug')}
              hint={t('customFeeds.slugHint', { url: `/feed/custom/${d().slug || '…'}` })}
              value={d().slug}
              onValue={(v) => setDraft((x) => ({ ...x, slug: v, slugEdited: true }))}
              error={err('slug')}
              maxLength={64}
              dir="ltr"
              class="mono-input"
              autocomplete="off"
              spellcheck={false}
              required
            />
          </div>
          <Field id="cf-description" label={t('customFeeds.description')} value={d().description} onValue={(v) => set('description', v)} error={err('description')} maxLength={500} dir="auto" />
          <Select
            id="cf-format"
            testId="cf-format"
            label={t('customFeeds.format')}
            value={d().format}
            onValue={(v) => {
              const format = v as CustomFormat
              setDraft((x) => {
                const types = x.types.filter((ty) => FORMAT_TYPES[format].includes(ty))
                const columns = format === 'csv' && !x.columns.length ? ['type', 'value'] : x.columns
                return { ...x, format, columns, types: types.length ? types : [FORMAT_TYPES[format][0]] }
              })
            }}
            options={CUSTOM_FORMATS.map((f) => [f, tx(`customFeeds.formats.${f}`)])}
            error={err('format')}
          />
          <Show when={d().format === 'csv'}>
            <Checks legend={t('customFeeds.columns')} name="column" options={CSV_COLUMNS.map((c) => [c, c] as [string, string])} value={d().columns} onValue={(v) => set('columns', CSV_COLUMNS.filter((c) => v.includes(c)))} error={err('columns')} />
          </Show>

          <h3 class="subhead">{t('customFeeds.filters')}</h3>
          <Checks legend={t('customFeeds.types')} name="type" options={IOC_TYPES.filter((ty) => allowedTypes().includes(ty)).map((ty) => [ty, ty] as [string, string])} value={d().types} onValue={(v) => set('types', v)} error={err('types')} />
          <div class="cf-grid cf-grid-3">
            <Field id="cf-tags-any" data-testid="cf-tags-any" label={t('customFeeds.tagsAny')} hint={t('customFeeds.tagsHint')} value={d().tagsAny} onValue={(v) => set('tagsAny', v)} error={err('tagsAny')} dir="auto" />
            <Field id="cf-tags-all" data-testid="cf-tags-all" label={t('customFeeds.tagsAll')} hint={t('customFeeds.tagsHint')} value={d().tagsAll} onValue={(v) => set('tagsAll', v)} error={err('tagsAll')} dir="auto" />
            <Field id="cf-tags-none" data-testid="cf-tags-none" label={t('customFeeds.tagsNone')} hint={t('customFeeds.tagsHint')} value={d().tagsNone} onValue={(v) => set('tagsNone', v)} error={err('tagsNone')} dir="auto" />
          </div>
          <Checks legend={t('customFeeds.campaigns')} name="campaign" options={props.campaigns.map((c) => [c.id, c.name] as [number, string])} value={d().campaigns} onValue={(v) => set('campaigns', v)} error={err('campaigns')} empty={t('customFeeds.noCampaigns')} hint={t('customFeeds.anyHint')} />
          <Checks legend={t('customFeeds.sources')} name="source" options={ORIGINS.map((o) => [o, tx(`customFeeds.sourceNames.${o}`)] as [string, string])} value={d().sources} onValue={(v) => set('sources', v)} error={err('sources')} hint={t('customFeeds.anyHint')} />
          <Checks legend={t('customFeeds.analysts')} name="analyst" options={props.people.map((p) => [p.id, `${p.displayName} (${p.username})`] as [number, string])} value={d().analysts} onValue={(v) => set('analysts', v)} error={err('analysts')} hint={t('customFeeds.anyHint')} />
          <div class="cf-grid cf-grid-3">
            <Field id="cf-min-confidence" data-testid="cf-min-confidence" type="number" min={0} max={100} label={t('customFeeds.minConfidence')} value={d().minConfidence} onValue={(v) => set('minConfidence', v)} error={err('minConfidence')} />
            <Field id="cf-created-within" data-testid="cf-created-within" type="number" min={1} label={t('customFeeds.createdWithin')} value={d().createdWithinDays} onValue={(v) => set('createdWithinDays', v)} error={err('createdWithinDays')} />
            <Field id="cf-expiring-within" data-testid="cf-expiring-within" type="number" min={1} label={t('customFeeds.expiringWithin')} value={d().expiringWithinDays} onValue={(v) => set('expiringWithinDays', v)} error={err('expiringWithinDays')} />
          </div>

          <h3 class="subhead">{t('customFeeds.policy')}</h3>
          <div class="cf-grid">
            <Select
              id="cf-collapse"
              testId="cf-collapse"
              label={t('customFeeds.collapse')}
              value={collapseOptions(d().format).includes(d().collapse) ? d().collapse : 'none'}
              onValue={(v) => set('collapse', v as Draft['collapse'])}
              options={collapseOptions(d().format).map((c) => [c, tx(`customFeeds.collapseNames.${c}`)])}
              error={err('collapse')}
            />
            <Field id="cf-max-entries" data-testid="cf-max-entries" type="number" min={1} label={t('customFeeds.maxEntries')} hint={t('customFeeds.maxEntriesHint')} value={d().maxEntries} onValue={(v) => set('maxEntries', v)} error={err('maxEntries')} />
            <Field id="cf-prefix-v4" type="number" min={0} max={32} label={t('customFeeds.maxPrefixV4')} value={d().maxPrefixV4} onValue={(v) => set('maxPrefixV4', v)} error={err('maxPrefixV4')} />
            <Field id="cf-prefix-v6" type="number" min={0} max={128} label={t('customFeeds.maxPrefixV6')} value={d().maxPrefixV6} onValue={(v) => set('maxPrefixV6', v)} error={err('maxPrefixV6')} />
          </div>
          <Select
            id="cf-on-empty"
            label={t('customFeeds.onEmpty')}
            value={d().onEmpty}
            onValue={(v) => set('onEmpty', v as Draft['onEmpty'])}
            options={(['comment', 'unavailable'] as const).map((o) => [o, tx(`customFeeds.onEmptyNames.${o}`)])}
          />
          <Switch id="cf-refuse-tld" label={t('customFeeds.refuseTld')} hint={t('customFeeds.refuseTldHint')} checked={d().refuseTld} onChange={(v) => set('refuseTld', v)} />
          <Show when={COMMENT_FORMATS.includes(d().format)}>
            <Switch id="cf-header-comment" label={t('customFeeds.headerComment')} hint={t('customFeeds.headerCommentHint')} checked={d().headerComment} onChange={(v) => set('headerComment', v)} />
          </Show>
          <Show when={d().format === 'pa-domain'}>
            <Switch id="cf-wildcard" label={t('customFeeds.wildcard')} hint={t('customFeeds.wildcardHint')} checked={d().wildcard} onChange={(v) => set('wildcard', v)} />
          </Show>
        </div>

        <aside class="cf-preview" aria-labelledby="cf-preview-title" aria-busy={previewing()}>
          <div class="cf-preview-head">
            <h3 id="cf-preview-title">{t('customFeeds.preview')}</h3>
            <Show when={previewing()}>
              <span class="small muted">{t('customFeeds.previewing')}</span>
            </Show>
          </div>
          <Show when={previewError()}>
            <FormError message={previewError()} testId="cf-preview-error" />
          </Show>
          <Show when={preview()} fallback={<p class="small muted">{t('customFeeds.previewEmpty')}</p>}>
            {(p) => (
              <>
                <p class="cf-stats" data-testid="cf-preview-stats">
                  {t('customFeeds.previewStats', { entries: p().entries, total: p().total, size: formatBytes(p().bytes) })}
                </p>
                <For each={p().warnings}>
                  {(w) => (
                    <p class={`cf-warning ${w.code === 'over_limit' || w.code === 'empty' ? 'is-warn' : ''}`} data-testid={`cf-warning-${w.code}`}>
                      {warningText(w)}
                    </p>
                  )}
                </For>
                <pre class="cf-preview-body" dir="ltr" data-testid="cf-preview-body">
                  {p().lines.join('\n')}
                </pre>
                <Show when={p().truncated}>
                  <p class="small muted">{t('customFeeds.previewTruncated', { count: p().lines.length })}</p>
                </Show>
              </>
            )}
          </Show>
        </aside>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="cf-save" disabled={busy()}>
          <IconPlus size={18} />
          {busy() ? t('customFeeds.creating') : props.initial ? t('customFeeds.update') : t('customFeeds.create')}
        </button>
        <Show when={props.initial}>
          <button type="button" class="btn btn-secondary" onClick={() => props.onCancel()}>
            {t('customFeeds.cancel')}
          </button>
        </Show>
      </div>
    </form>
  )
}
