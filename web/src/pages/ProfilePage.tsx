import { useLocation } from '@solidjs/router'
import { createSignal, Show, untrack } from 'solid-js'
import type { Me, ProfileInput } from '../../../schema/contracts/auth'
import { ApiTokensCard } from '../components/ApiTokens'
import { AvatarEditor } from '../components/AvatarEditor'
import { AccountCard } from '../components/AccountCard'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { PageHeader } from '../components/PageHeader'
import { Select } from '../components/Select'
import { saveProfile, user } from '../data/session'
import { t } from '../i18n'
import { formErrors } from '../i18n/errors'
import { useAction } from '../lib/action'
import { usePageTitle } from '../lib/title'

const FIELDS = ['displayName', 'email', 'roleDescription', 'locale', 'theme'] as const

type Flash = 'saved' | 'uploaded' | 'removed' | 'passwordChanged'

const flashText: Record<Flash, () => string> = {
  saved: () => t('profile.saved'),
  uploaded: () => t('avatar.uploaded'),
  removed: () => t('avatar.removed'),
  passwordChanged: () => t('changePassword.done'),
}

export default function ProfilePage() {
  usePageTitle(() => t('profile.title'))
  const location = useLocation<{ flash?: Flash }>()
  const [flash, setFlash] = createSignal<Flash | undefined>(location.state?.flash)
  return (
    <Show when={user()}>
      {(me) => (
        <div class="page">
          <PageHeader title={t('profile.title')} subtitle={t('profile.subtitle')} />
          <SuccessNote message={flash() && flashText[flash()!]()} />
          <div class="profile-grid">
            <div class="stack">
              <section class="card glass" aria-labelledby="avatar-title">
                <h2 id="avatar-title">{t('avatar.title')}</h2>
                <AvatarEditor user={me()} onDone={setFlash} />
              </section>
              <AccountCard user={me()} />
            </div>
            <ProfileForm user={me()} onSaved={() => setFlash('saved')} onEdit={() => setFlash()} />
          </div>
          <ApiTokensCard role={me().role} />
        </div>
      )}
    </Show>
  )
}

function ProfileForm(props: { user: Me; onSaved: () => void; onEdit: () => void }) {
  const initial = untrack(() => props.user)
  const [form, setForm] = createSignal<Required<ProfileInput>>({
    displayName: initial.displayName,
    email: initial.email,
    roleDescription: initial.roleDescription,
    locale: initial.locale,
    theme: initial.theme,
  })
  const { busy, error, run } = useAction()
  const errors = () => (error() === undefined ? undefined : formErrors(error(), [...FIELDS]))
  const set = <K extends keyof ProfileInput>(key: K) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }))
    props.onEdit()
  }

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    void run(async () => {
      const f = form()
      await saveProfile({ ...f, displayName: f.displayName.trim(), email: f.email.trim() })
      props.onSaved()
    })
  }

  return (
    <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="details-title">
      <h2 id="details-title">{t('profile.details')}</h2>
      <FormError message={errors()?.form} />
      <Field
        id="displayName"
        label={t('profile.displayName')}
        value={form().displayName}
        onValue={set('displayName')}
        error={errors()?.fields.displayName}
        autocomplete="name"
        maxLength={100}
        required
      />
      <Field
        id="email"
        type="email"
        label={t('profile.email')}
        value={form().email}
        onValue={set('email')}
        error={errors()?.fields.email}
        hint={t('profile.emailHint')}
        autocomplete="email"
        maxLength={254}
      />
      <Field
        id="roleDescription"
        label={t('profile.roleDescription')}
        value={form().roleDescription}
        onValue={set('roleDescription')}
        error={errors()?.fields.roleDescription}
        hint={t('profile.roleDescriptionHint')}
        maxLength={200}
      />
      <h2 class="form-section">{t('profile.preferences')}</h2>
      <div class="field-row">
        <Select
          id="locale"
          label={t('profile.language')}
          value={form().locale}
          onValue={set('locale')}
          error={errors()?.fields.locale}
          options={[
            ['en', t('languages.en')],
            ['he', t('languages.he')],
          ]}
        />
        <Select
          id="theme"
          label={t('profile.theme')}
          value={form().theme}
          onValue={set('theme')}
          error={errors()?.fields.theme}
          options={[
            ['system', t('theme.system')],
            ['light', t('theme.light')],
            ['dark', t('theme.dark')],
          ]}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy()}>
          {busy() ? t('profile.saving') : t('profile.save')}
        </button>
      </div>
    </form>
  )
}
