import { useLocation, useNavigate, useSearchParams } from '@solidjs/router'
import { createSignal, onMount, Show } from 'solid-js'
import { AuthShell } from '../components/AuthShell'
import { Field, PasswordField } from '../components/Field'
import { FormError } from '../components/FormError'
import { signIn } from '../data/session'
import { t, tryT } from '../i18n'
import { formErrors } from '../i18n/errors'
import { safeNext } from '../lib/safe-next'
import { usePageTitle } from '../lib/title'

export default function LoginPage() {
  const navigate = useNavigate()
  const [params] = useSearchParams<{ next?: string }>()
  const location = useLocation<{ reason?: string }>()
  // Why the user landed here (a session that ended elsewhere), until they try to sign in.
  const notice = () =>
    error() === undefined && location.state?.reason
      ? (tryT(`errors.${location.state.reason}`) ?? t('errors.signedOut'))
      : undefined
  const [username, setUsername] = createSignal('')
  const [password, setPassword] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  let usernameInput: HTMLInputElement | undefined
  usePageTitle(() => t('login.pageTitle'))
  onMount(() => usernameInput?.focus())

  // Recomputed from the failure so the message follows a language switch.
  const errors = () =>
    error() === undefined ? undefined : formErrors(error(), ['username', 'password'])

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    setBusy(true)
    setError(undefined)
    try {
      const me = await signIn(username().trim(), password())
      const target = me.mustChangePassword ? '/change-password' : safeNext(params.next)
      navigate(target, { replace: true })
    } catch (err) {
      setError(err)
      setPassword('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthShell>
      <div class="card glass auth-card">
        <h1>{t('login.title')}</h1>
        <p class="muted">{t('login.subtitle')}</p>
        <form class="form" onSubmit={submit} novalidate>
          <Show when={notice()}>
            <div class="alert alert-info" role="status">
              {notice()}
            </div>
          </Show>
          <FormError message={errors()?.form} />
          <Field
            id="username"
            label={t('login.username')}
            value={username()}
            onValue={setUsername}
            error={errors()?.fields.username}
            autocomplete="username"
            autocapitalize="off"
            spellcheck={false}
            required
            ref={usernameInput}
          />
          <PasswordField
            id="password"
            label={t('login.password')}
            value={password()}
            onValue={setPassword}
            error={errors()?.fields.password}
            autocomplete="current-password"
            required
          />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy()}>
            {busy() ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <p class="fine-print">{t('login.footer')}</p>
      </div>
    </AuthShell>
  )
}
