import { Navigate, type RouteSectionProps, useLocation } from '@solidjs/router'
import { createSignal, Match, onMount, Switch } from 'solid-js'
import { loadSession, signedOut, user } from '../data/session'
import { errorMessage } from '../i18n/errors'
import { t } from '../i18n'
import { loginHref } from '../lib/safe-next'
import { AuthShell } from './AuthShell'
import { FormError } from './FormError'
import { Frame } from './Frame'
import { Loading } from './Loading'

const CHANGE_PASSWORD = '/change-password'

/**
 * Guards every signed-in route: asks who is signed in, sends strangers to /login?next=…, and keeps
 * users who must change their password on /change-password.
 */
export function RequireAuth(props: RouteSectionProps) {
  const location = useLocation()
  const [bootError, setBootError] = createSignal<unknown>()
  const boot = () => {
    setBootError(undefined)
    loadSession().catch(setBootError)
  }
  onMount(() => {
    if (user() === undefined) boot()
  })
  const here = () => `${location.pathname}${location.search}${location.hash}`
  return (
    <Switch>
      <Match when={bootError()}>
        <AuthShell>
          <div class="card glass auth-card">
            <h1>{t('app.bootFailed')}</h1>
            <FormError message={errorMessage(bootError())} />
            <button type="button" class="btn btn-primary" onClick={boot}>
              {t('app.retry')}
            </button>
          </div>
        </AuthShell>
      </Match>
      <Match when={user() === undefined}>
        <Loading full />
      </Match>
      <Match when={user() === null}>
        <Navigate href={signedOut() ? '/login' : loginHref(here())} />
      </Match>
      <Match when={user()?.mustChangePassword && location.pathname !== CHANGE_PASSWORD}>
        <Navigate href={CHANGE_PASSWORD} />
      </Match>
      <Match when={user()}>{(me) => <Frame user={me()}>{props.children}</Frame>}</Match>
    </Switch>
  )
}
