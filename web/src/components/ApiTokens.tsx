import { createResource, createSignal, For, Show } from 'solid-js'
import type { Role } from '../../../schema/contracts/common'
import type { ApiToken } from '../api/client'
import { createToken, listTokens, revokeToken } from '../data/admin'
import { t } from '../i18n'
import type { FormErrors } from '../i18n/errors'
import { formatDateTime, formatRelative, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { adminErrorMessage, adminFormErrors } from '../lib/admin-errors'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { IconKey, IconPlus, IconTrash } from './Icons'
import { ResourceList } from './ResourceList'
import { SecretBox } from './SecretBox'
import { Select } from './Select'
import { ConfirmRow, RowButton, TableHead } from './TableParts'

type Scope = ApiToken['scopes'][number]
const SCOPES_FOR: Record<Role, Scope[]> = { viewer: ['read'], analyst: ['read', 'write'], admin: ['read', 'write', 'admin'] }
const EXPIRY_DAYS = ['30', '90', '365', 'never'] as const

const HEADER = isolate('Authorization: Bearer <token>')

const highest = (scopes: Scope[]): Scope => (scopes.includes('admin') ? 'admin' : scopes.includes('write') ? 'write' : 'read')

/** The API tokens section of the profile: create (shown once), list, revoke. */
export function ApiTokensCard(props: { role: Role }) {
  const [tokens, { refetch, mutate }] = createResource(async () => (await listTokens()).items)
  const [shown, setShown] = createSignal<{ name: string; secret: string }>()
  const [flash, setFlash] = createSignal<string>()
  return (
    <section class="card glass" aria-labelledby="tokens-title" data-testid="tokens-card">
      <div class="card-header">
        <h2 id="tokens-title">
          <IconKey size={20} /> {t('tokens.title')}
        </h2>
      </div>
      <p class="muted small">{t('tokens.intro', { header: HEADER })}</p>
      <Show when={shown()}>
        {(s) => (
          <SecretBox
            testId="token-secret"
            title={t('tokens.createdTitle', { name: isolate(s().name) })}
            warning={t('tokens.once')}
            hint={t('tokens.use', { header: HEADER })}
            value={s().secret}
            onDismiss={() => setShown(undefined)}
          />
        )}
      </Show>
      <TokenCreateForm
        role={props.role}
        onCreated={(token, secret) => {
          setFlash(undefined)
          setShown({ name: token.name, secret })
          void refetch()
        }}
      />
      <SuccessNote message={flash()} />
      <ResourceList resource={tokens} empty={t('tokens.empty')}>
        {(items) => (
          <TokenTable
            items={items()}
            onRevoked={(token) => {
              mutate((old) => old?.map((x) => (x.id === token.id ? { ...x, status: 'revoked', revokedAt: new Date().toISOString() } : x)))
              setFlash(t('tokens.revoked', { name: isolate(token.name) }))
            }}
          />
        )}
      </ResourceList>
    </section>
  )
}

function TokenCreateForm(props: { role: Role; onCreated: (token: ApiToken, secret: string) => void }) {
  const [name, setName] = createSignal('')
  const [scope, setScope] = createSignal<Scope>('read')
  const [expiry, setExpiry] = createSignal<(typeof EXPIRY_DAYS)[number]>('90')
  const [errors, setErrors] = createSignal<FormErrors>()
  const { busy, run } = useAction()

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    if (!name().trim()) {
      setErrors({ form: t('errors.validation_failed'), fields: { name: t('validation.required') } })
      return
    }
    void run(async () => {
      try {
        const days = expiry()
        const expiresAt = days === 'never' ? null : new Date(Date.now() + Number(days) * 86_400_000).toISOString()
        const res = await createToken({ name: name().trim(), scopes: [scope()], expiresAt })
        setName('')
        props.onCreated(res.token, res.secret)
      } catch (err) {
        setErrors(adminFormErrors(err, ['name', 'scopes', 'expiresAt'], 'tokens'))
      }
    })
  }

  return (
    <form class="form token-form" onSubmit={submit} novalidate aria-label={t('tokens.create')}>
      <FormError message={errors()?.form} testId="token-error" />
      <div class="token-form-fields">
        <Field
          id="token-name"
          data-testid="token-name"
          label={t('tokens.name')}
          placeholder={t('tokens.namePlaceholder')}
          value={name()}
          onValue={setName}
          error={errors()?.fields.name}
          maxLength={100}
          autocomplete="off"
        />
        <Select
          id="token-scope"
          testId="token-scope"
          label={t('tokens.scope')}
          value={scope()}
          onValue={(v) => setScope(v as Scope)}
          error={errors()?.fields.scopes}
          options={SCOPES_FOR[props.role].map((s): [string, string] => [s, t(`tokens.scopes.${s}`)])}
        />
        <Select
          id="token-expiry"
          testId="token-expiry"
          label={t('tokens.expiry')}
          value={expiry()}
          onValue={(v) => setExpiry(v as (typeof EXPIRY_DAYS)[number])}
          error={errors()?.fields.expiresAt}
          options={EXPIRY_DAYS.map((d): [string, string] => [d, d === 'never' ? t('tokens.never') : t('tokens.days', { n: d })])}
        />
        <button type="submit" class="btn btn-primary token-create" data-testid="token-create" disabled={busy()}>
          <IconPlus size={18} />
          {busy() ? t('tokens.creating') : t('tokens.create')}
        </button>
      </div>
      <p class="field-hint">{t(`tokens.scopeHints.${scope()}`)}</p>
    </form>
  )
}

const STATUS_TONE = { active: 'ok', expired: 'warn', revoked: 'bad' } as const

/** Tokens with their scope, state and last use; `showOwner` adds the user column (admin view). */
export function TokenTable(props: { items: ApiToken[]; showOwner?: boolean; onRevoked: (token: ApiToken) => void }) {
  const [pending, setPending] = createSignal<number>()
  const { busy, error, run } = useAction()
  const now = Date.now()
  const columns = () => [
    ...(props.showOwner ? [t('tokens.columns.user')] : []),
    t('tokens.columns.name'),
    t('tokens.columns.scope'),
    t('tokens.columns.status'),
    t('tokens.columns.created'),
    t('tokens.columns.expires'),
    t('tokens.columns.lastUsed'),
  ]
  const revoke = (token: ApiToken) =>
    run(async () => {
      await revokeToken(token.id)
      setPending(undefined)
      props.onRevoked(token)
    })
  return (
    <>
      <FormError message={error() ? adminErrorMessage(error()) : undefined} testId="token-table-error" />
      <div class="table-wrap">
        <table class="table token-table" data-testid="token-table">
          <TableHead columns={columns()} actions />
          <tbody>
            <For each={props.items}>
              {(token) => (
                <>
                  <tr data-testid="token-row" data-name={token.name} data-status={token.status} classList={{ 'row-inactive': token.status !== 'active' }}>
                    <Show when={props.showOwner}>
                      <td>
                        <bdi class="strong">{token.user.displayName}</bdi>
                        <div class="muted small" dir="ltr">
                          @{token.user.username}
                        </div>
                      </td>
                    </Show>
                    <td>
                      <span class="strong" dir="auto">
                        {token.name}
                      </span>
                      <div>
                        <code class="ioc-value small" dir="ltr" data-testid="token-prefix">
                          {token.prefix}…
                        </code>
                      </div>
                    </td>
                    <td>
                      <span class={`badge badge-scope-${highest(token.scopes)}`}>{t(`tokens.scopes.${highest(token.scopes)}`)}</span>
                    </td>
                    <td>
                      <span class={`badge badge-${STATUS_TONE[token.status]}`} data-testid="token-status">
                        <span class="dot" aria-hidden="true" />
                        {t(`tokens.status.${token.status}`)}
                      </span>
                    </td>
                    <td class="nowrap">
                      <time datetime={token.createdAt} title={formatDateTime(token.createdAt)}>
                        {formatRelative(token.createdAt, now)}
                      </time>
                    </td>
                    <td class="nowrap">
                      {token.expiresAt ? <time datetime={token.expiresAt}>{formatDateTime(token.expiresAt)}</time> : <span class="muted">{t('tokens.never')}</span>}
                    </td>
                    <td class="nowrap" data-testid="token-last-used">
                      <Show when={token.lastUsedAt} fallback={<span class="muted">{t('tokens.unused')}</span>}>
                        {(at) => (
                          <>
                            <time datetime={at()} title={formatDateTime(at())}>
                              {formatRelative(at(), now)}
                            </time>
                            <div class="muted small" dir="ltr">
                              {token.lastUsedIp}
                            </div>
                          </>
                        )}
                      </Show>
                    </td>
                    <td class="cell-action">
                      <Show when={token.status === 'active'}>
                        <RowButton
                          icon={IconTrash}
                          testId="token-revoke"
                          label={t('tokens.revokeLabel', { name: token.name })}
                          text={t('tokens.revoke')}
                          onClick={() => setPending(token.id)}
                        />
                      </Show>
                    </td>
                  </tr>
                  <Show when={pending() === token.id}>
                    <ConfirmRow
                      columns={columns().length + 1}
                      message={t('tokens.revokeConfirm', { name: isolate(token.name) })}
                      confirmLabel={t('tokens.confirmRevoke')}
                      cancelLabel={t('tokens.cancel')}
                      testId="token-confirm-revoke"
                      busy={busy()}
                      onConfirm={() => void revoke(token)}
                      onCancel={() => setPending(undefined)}
                    />
                  </Show>
                </>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </>
  )
}
