import { createResource, createSignal, For, onCleanup, Show } from 'solid-js'
import type { AdminUser, UserFilters } from '../api/client'
import { TokenTable } from '../components/ApiTokens'
import { Avatar } from '../components/Avatar'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconEdit, IconImage, IconKey, IconPlus, IconUsers } from '../components/Icons'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { ResourceList } from '../components/ResourceList'
import { SecretBox } from '../components/SecretBox'
import { Select } from '../components/Select'
import { ConfirmRow, RowButton, RowPanel, RowSwitch, TableHead } from '../components/TableParts'
import { createUser, listTokens, listUsers, patchUser, removeUserAvatar, resetUserPassword } from '../data/admin'
import { user } from '../data/session'
import { t } from '../i18n'
import type { FormErrors } from '../i18n/errors'
import { formatDateTime, formatRelative, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { adminErrorMessage, adminFormErrors } from '../lib/admin-errors'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

const ROLES = ['admin', 'analyst', 'viewer'] as const
type RoleName = (typeof ROLES)[number]
const roleOptions = (): [string, string][] => ROLES.map((r) => [r, t(`roles.${r}`)])

interface OneTime {
  username: string
  password: string
  reset: boolean
}

export default function UsersPage() {
  usePageTitle(() => t('users.title'))
  return (
    <div class="page page-wide">
      <PageHeader icon={IconUsers} title={t('users.title')} subtitle={t('users.subtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('users.adminOnly')}>
        <UsersSection />
        <AllTokens />
      </AdminOnly>
    </div>
  )
}

function UsersSection() {
  const [filters, setFilters] = createSignal<UserFilters>({})
  const [users, { refetch, mutate }] = createResource(filters, async (f) => (await listUsers(f)).items)
  const [oneTime, setOneTime] = createSignal<OneTime>()
  const [flash, setFlash] = createSignal<string>()
  const replace = (next: AdminUser) => mutate((old) => old?.map((u) => (u.id === next.id ? next : u)))
  return (
    <>
      <Show when={oneTime()}>
        {(o) => (
          <SecretBox
            testId="user-password"
            title={o().reset ? t('users.resetTitle', { name: isolate(o().username) }) : t('users.createdTitle', { name: isolate(o().username) })}
            warning={t('users.passwordOnce')}
            hint={t('users.passwordHint')}
            value={o().password}
            onDismiss={() => setOneTime(undefined)}
          />
        )}
      </Show>
      <CreateUserForm
        onCreated={(u, password) => {
          setFlash(undefined)
          setOneTime({ username: u.username, password, reset: false })
          void refetch()
        }}
      />
      <section class="card glass" aria-labelledby="users-list-title">
        <h2 id="users-list-title">{t('users.list')}</h2>
        <UserFilterBar onChange={setFilters} />
        <SuccessNote message={flash()} />
        <ResourceList resource={users} empty={t('users.empty')}>
          {(items) => (
            <UserTable
              items={items()}
              onChanged={(u, message) => {
                replace(u)
                setFlash(message)
              }}
              onReset={(u, password) => {
                replace(u)
                setFlash(undefined)
                setOneTime({ username: u.username, password, reset: true })
              }}
            />
          )}
        </ResourceList>
      </section>
    </>
  )
}

function UserFilterBar(props: { onChange: (f: UserFilters) => void }) {
  const [f, setF] = createSignal<Required<UserFilters>>({ q: '', role: '', source: '', active: '' })
  let timer: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => clearTimeout(timer))
  const set = (key: keyof UserFilters, debounce = false) => (value: string) => {
    setF((old) => ({ ...old, [key]: value }))
    clearTimeout(timer)
    if (debounce) timer = setTimeout(() => props.onChange({ ...f() }), 250)
    else props.onChange({ ...f() })
  }
  return (
    <div class="user-filters" role="search" aria-label={t('users.filters')}>
      <Field id="users-q" data-testid="users-q" type="search" label={t('users.search')} placeholder={t('users.searchPlaceholder')} value={f().q} onValue={set('q', true)} autocomplete="off" />
      <Select id="users-role" testId="users-role" label={t('users.role')} value={f().role} onValue={set('role')} options={[['', t('users.anyRole')], ...roleOptions()]} />
      <Select
        id="users-source"
        testId="users-source"
        label={t('users.source')}
        value={f().source}
        onValue={set('source')}
        options={[
          ['', t('users.anySource')],
          ['local', t('sources.local')],
          ['ldap', t('sources.ldap')],
          ['system', t('sources.system')],
        ]}
      />
      <Select
        id="users-active"
        testId="users-active"
        label={t('users.state')}
        value={f().active}
        onValue={set('active')}
        options={[
          ['', t('users.anyState')],
          ['true', t('users.activeOnly')],
          ['false', t('users.inactiveOnly')],
        ]}
      />
    </div>
  )
}

function CreateUserForm(props: { onCreated: (u: AdminUser, password: string) => void }) {
  const empty = { username: '', displayName: '', email: '', role: 'analyst' as RoleName, roleDescription: '' }
  const [draft, setDraft] = createSignal({ ...empty })
  const [errors, setErrors] = createSignal<FormErrors>()
  const { busy, run } = useAction()
  const set = (key: keyof typeof empty) => (value: string) => setDraft((d) => ({ ...d, [key]: value }))

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    const d = draft()
    if (!d.username.trim()) {
      setErrors({ form: t('errors.validation_failed'), fields: { username: t('validation.required') } })
      return
    }
    void run(async () => {
      try {
        const res = await createUser({
          username: d.username.trim(),
          displayName: d.displayName.trim() || undefined,
          email: d.email.trim(),
          role: d.role,
          roleDescription: d.roleDescription.trim(),
        })
        setDraft({ ...empty })
        props.onCreated(res.user, res.password)
      } catch (err) {
        setErrors(adminFormErrors(err, ['username', 'displayName', 'email', 'role', 'roleDescription'], 'users'))
      }
    })
  }

  return (
    <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="user-new-title">
      <h2 id="user-new-title">{t('users.newTitle')}</h2>
      <FormError message={errors()?.form} testId="user-error" />
      <div class="user-fields">
        <Field id="user-username" data-testid="user-username" label={t('users.username')} hint={t('users.usernameHint')} value={draft().username} onValue={set('username')} error={errors()?.fields.username} maxLength={64} autocomplete="off" dir="ltr" spellcheck={false} />
        <Field id="user-display" data-testid="user-display" label={t('users.displayName')} value={draft().displayName} onValue={set('displayName')} error={errors()?.fields.displayName} maxLength={100} dir="auto" />
        <Field id="user-email" data-testid="user-email" type="email" label={t('users.email')} value={draft().email} onValue={set('email')} error={errors()?.fields.email} maxLength={254} dir="ltr" />
        <Select id="user-role" testId="user-role" label={t('users.role')} value={draft().role} onValue={set('role')} error={errors()?.fields.role} options={roleOptions()} />
        <Field id="user-role-description" data-testid="user-role-description" label={t('users.roleDescription')} value={draft().roleDescription} onValue={set('roleDescription')} error={errors()?.fields.roleDescription} maxLength={200} dir="auto" />
      </div>
      <p class="field-hint">{t('users.createHint')}</p>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="user-create" disabled={busy()}>
          <IconPlus size={18} />
          {busy() ? t('users.creating') : t('users.create')}
        </button>
      </div>
    </form>
  )
}

type Pending = { id: number; action: 'edit' | 'reset' | 'avatar' }
const COLUMNS = 7

function UserTable(props: { items: AdminUser[]; onChanged: (u: AdminUser, message: string) => void; onReset: (u: AdminUser, password: string) => void }) {
  const [pending, setPending] = createSignal<Pending>()
  const { busy, error, setError, run } = useAction()
  const me = () => user()?.id
  const now = Date.now()
  const open = (id: number, action: Pending['action']) => {
    setError(undefined)
    setPending(pending()?.id === id && pending()?.action === action ? undefined : { id, action })
  }
  const isOpen = (id: number, action: Pending['action']) => pending()?.id === id && pending()?.action === action

  const toggle = (u: AdminUser, active: boolean, input: HTMLInputElement) =>
    run(async () => {
      try {
        const res = await patchUser(u.id, { active })
        const name = isolate(u.username)
        props.onChanged(res.user, active ? t('users.activated', { name }) : t('users.deactivated', { name }))
      } catch (err) {
        input.checked = u.active
        throw err
      }
    })

  return (
    <>
      <FormError message={error() ? adminErrorMessage(error()) : undefined} testId="user-table-error" />
      <div class="table-wrap consumer-table-wrap">
        <table class="table user-table" data-testid="user-table">
          <TableHead
            actions
            columns={[t('users.columns.user'), t('users.columns.role'), t('users.columns.source'), t('users.columns.active'), t('users.columns.lastLogin'), t('users.columns.tokens')]}
          />
          <tbody>
            <For each={props.items}>
              {(u) => (
                <>
                  <tr data-testid="user-row" data-username={u.username} classList={{ 'row-inactive': !u.active }}>
                    <td>
                      <div class="user-cell">
                        <Avatar user={u} size="sm" />
                        <div>
                          <bdi class="strong">{u.displayName}</bdi>
                          <div class="muted small" dir="ltr">
                            @{u.username}
                          </div>
                          <Show when={u.roleDescription}>
                            <div class="muted small" dir="auto">
                              {u.roleDescription}
                            </div>
                          </Show>
                        </div>
                      </div>
                    </td>
                    <td>
                      <span class={`badge badge-role-${u.role}`} data-testid="user-role-badge">
                        {t(`roles.${u.role}`)}
                      </span>
                      <Show when={u.mustChangePassword}>
                        <div class="muted small">{t('users.mustChange')}</div>
                      </Show>
                      <Show when={u.lockedUntil}>
                        <div class="badge badge-warn">{t('users.locked')}</div>
                      </Show>
                    </td>
                    <td class="small">{t(`sources.${u.source}`)}</td>
                    <td>
                      <RowSwitch
                        testId="user-active"
                        checked={u.active}
                        disabled={busy() || u.id === me()}
                        label={t('users.activeLabel', { name: u.username })}
                        onChange={(on, input) => void toggle(u, on, input)}
                      />
                    </td>
                    <td class="nowrap" data-testid="user-last-login">
                      <Show when={u.lastLoginAt} fallback={<span class="muted">{u.source === 'system' ? t('users.cannotSignIn') : t('users.never')}</span>}>
                        {(at) => (
                          <time datetime={at()} title={formatDateTime(at())}>
                            {formatRelative(at(), now)}
                          </time>
                        )}
                      </Show>
                    </td>
                    <td class="num">{u.activeTokens}</td>
                    <td class="cell-action">
                      <div class="row-actions">
                        <RowButton icon={IconEdit} testId="user-edit" label={t('users.editLabel', { name: u.username })} text={t('users.edit')} expanded={isOpen(u.id, 'edit')} onClick={() => open(u.id, 'edit')} />
                        <Show when={u.source === 'local' && u.id !== me()}>
                          <RowButton icon={IconKey} testId="user-reset" label={t('users.resetLabel', { name: u.username })} text={t('users.reset')} onClick={() => open(u.id, 'reset')} />
                        </Show>
                        <Show when={u.hasAvatar}>
                          <RowButton icon={IconImage} testId="user-avatar-remove" label={t('users.avatarLabel', { name: u.username })} text={t('users.avatarRemove')} onClick={() => open(u.id, 'avatar')} />
                        </Show>
                      </div>
                    </td>
                  </tr>
                  <Show when={isOpen(u.id, 'reset')}>
                    <ConfirmRow
                      columns={COLUMNS}
                      panel
                      message={t('users.resetConfirm', { name: isolate(u.username) })}
                      confirmLabel={t('users.confirmReset')}
                      cancelLabel={t('users.cancel')}
                      testId="user-confirm-reset"
                      busy={busy()}
                      onConfirm={() =>
                        void run(async () => {
                          const res = await resetUserPassword(u.id)
                          setPending(undefined)
                          props.onReset(res.user, res.password)
                        })
                      }
                      onCancel={() => setPending(undefined)}
                    />
                  </Show>
                  <Show when={isOpen(u.id, 'avatar')}>
                    <ConfirmRow
                      columns={COLUMNS}
                      panel
                      message={t('users.avatarConfirm', { name: isolate(u.username) })}
                      confirmLabel={t('users.confirmAvatar')}
                      cancelLabel={t('users.cancel')}
                      testId="user-confirm-avatar"
                      busy={busy()}
                      onConfirm={() =>
                        void run(async () => {
                          const res = await removeUserAvatar(u.id)
                          setPending(undefined)
                          props.onChanged(res.user, t('users.avatarRemoved', { name: isolate(u.username) }))
                        })
                      }
                      onCancel={() => setPending(undefined)}
                    />
                  </Show>
                  <Show when={isOpen(u.id, 'edit')}>
                    <RowPanel columns={COLUMNS} panel>
                      <EditUserForm
                        user={u}
                        self={u.id === me()}
                        onCancel={() => setPending(undefined)}
                        onSaved={(next) => {
                          setPending(undefined)
                          props.onChanged(next, t('users.saved', { name: isolate(next.username) }))
                        }}
                      />
                    </RowPanel>
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

function EditUserForm(props: { user: AdminUser; self: boolean; onSaved: (u: AdminUser) => void; onCancel: () => void }) {
  const [draft, setDraft] = createSignal({
    displayName: props.user.displayName,
    email: props.user.email,
    role: props.user.role as RoleName,
    roleDescription: props.user.roleDescription,
  })
  const [errors, setErrors] = createSignal<FormErrors>()
  const { busy, run } = useAction()
  const set = (key: keyof ReturnType<typeof draft>) => (value: string) => setDraft((d) => ({ ...d, [key]: value }))
  const prefix = `user-edit-${props.user.id}`
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    setErrors(undefined)
    void run(async () => {
      try {
        const d = draft()
        const res = await patchUser(props.user.id, { ...d, displayName: d.displayName.trim(), email: d.email.trim(), roleDescription: d.roleDescription.trim() })
        props.onSaved(res.user)
      } catch (err) {
        setErrors(adminFormErrors(err, ['displayName', 'email', 'role', 'roleDescription'], 'users'))
      }
    })
  }
  return (
    <form class="edit-form form" onSubmit={submit} novalidate aria-label={t('users.editTitle', { name: props.user.username })} data-testid="user-edit-form">
      <FormError message={errors()?.form} testId="user-edit-error" />
      <div class="user-fields">
        <Field id={`${prefix}-display`} data-testid="user-edit-display" label={t('users.displayName')} value={draft().displayName} onValue={set('displayName')} error={errors()?.fields.displayName} maxLength={100} dir="auto" />
        <Field id={`${prefix}-email`} data-testid="user-edit-email" type="email" label={t('users.email')} value={draft().email} onValue={set('email')} error={errors()?.fields.email} maxLength={254} dir="ltr" />
        <Select
          id={`${prefix}-role`}
          testId="user-edit-role"
          label={t('users.role')}
          value={draft().role}
          onValue={set('role')}
          error={errors()?.fields.role}
          hint={props.self ? t('users.ownRole') : undefined}
          options={props.self ? roleOptions().filter(([r]) => r === props.user.role) : roleOptions()}
        />
        <Field id={`${prefix}-role-description`} data-testid="user-edit-role-description" label={t('users.roleDescription')} value={draft().roleDescription} onValue={set('roleDescription')} error={errors()?.fields.roleDescription} maxLength={200} dir="auto" />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" data-testid="user-edit-save" disabled={busy()}>
          {busy() ? t('users.saving') : t('users.save')}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => props.onCancel()}>
          {t('users.cancel')}
        </button>
      </div>
    </form>
  )
}

function AllTokens() {
  const [tokens, { mutate }] = createResource(async () => (await listTokens(true)).items)
  const [flash, setFlash] = createSignal<string>()
  return (
    <section class="card glass" aria-labelledby="all-tokens-title" data-testid="all-tokens">
      <h2 id="all-tokens-title">{t('tokens.allTitle')}</h2>
      <p class="muted small">{t('tokens.allIntro')}</p>
      <SuccessNote message={flash()} />
      <ResourceList resource={tokens} empty={t('tokens.allEmpty')}>
        {(items) => (
          <TokenTable
            items={items()}
            showOwner
            onRevoked={(token) => {
              mutate((old) => old?.map((x) => (x.id === token.id ? { ...x, status: 'revoked' as const } : x)))
              setFlash(t('tokens.revoked', { name: isolate(token.name) }))
            }}
          />
        )}
      </ResourceList>
    </section>
  )
}
