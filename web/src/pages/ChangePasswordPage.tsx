import { A, useNavigate } from '@solidjs/router'
import { createSignal, Show } from 'solid-js'
import { MIN_PASSWORD_LENGTH } from '../../../schema/contracts/auth'
import { PasswordField } from '../components/Field'
import { FormError } from '../components/FormError'
import { IconKey } from '../components/Icons'
import { PageHeader } from '../components/PageHeader'
import { changePassword, user } from '../data/session'
import { t } from '../i18n'
import { formErrors } from '../i18n/errors'
import { usePageTitle } from '../lib/title'
import { checkPasswordChange, type PasswordProblems } from '../lib/password-check'

const FIELDS = ['current', 'new', 'confirm'] as const

export default function ChangePasswordPage() {
  const navigate = useNavigate()
  const forced = () => user()?.mustChangePassword === true
  const [current, setCurrent] = createSignal('')
  const [next, setNext] = createSignal('')
  const [confirm, setConfirm] = createSignal('')
  const [busy, setBusy] = createSignal(false)
  const [local, setLocal] = createSignal<PasswordProblems>({})
  const [serverError, setServerError] = createSignal<unknown>()
  usePageTitle(() => (forced() ? t('changePassword.forcedTitle') : t('changePassword.title')))

  const server = () =>
    serverError() === undefined ? undefined : formErrors(serverError(), [...FIELDS])
  const fieldError = (field: (typeof FIELDS)[number]) => {
    const problem = local()[field]
    if (problem) return problem()
    return server()?.fields[field]
  }

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    setServerError(undefined)
    const problems = checkPasswordChange(current(), next(), confirm())
    setLocal(problems)
    if (Object.keys(problems).length > 0) return
    setBusy(true)
    try {
      const wasForced = forced()
      await changePassword(current(), next())
      if (wasForced) navigate('/', { replace: true })
      else navigate('/profile', { state: { flash: 'passwordChanged' } })
    } catch (err) {
      setServerError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="page page-narrow">
      <PageHeader
        icon={IconKey}
        title={forced() ? t('changePassword.forcedTitle') : t('changePassword.title')}
        subtitle={forced() ? t('changePassword.forced') : t('changePassword.intro')}
      />
      <form class="card glass form" onSubmit={submit} novalidate>
        <FormError message={server()?.form} />
        <PasswordField
          id="current"
          label={t('changePassword.current')}
          value={current()}
          onValue={setCurrent}
          error={fieldError('current')}
          autocomplete="current-password"
          required
        />
        <PasswordField
          id="new"
          label={t('changePassword.new')}
          value={next()}
          onValue={setNext}
          error={fieldError('new')}
          hint={t('changePassword.hint', { min: MIN_PASSWORD_LENGTH })}
          autocomplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          required
        />
        <PasswordField
          id="confirm"
          label={t('changePassword.confirm')}
          value={confirm()}
          onValue={setConfirm}
          error={fieldError('confirm')}
          autocomplete="new-password"
          required
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy()}>
            {busy() ? t('changePassword.submitting') : t('changePassword.submit')}
          </button>
          <Show when={!forced()}>
            <A href="/profile" class="btn btn-ghost">
              {t('changePassword.cancel')}
            </A>
          </Show>
        </div>
      </form>
    </div>
  )
}
