import { type RouteSectionProps, useLocation, useNavigate } from '@solidjs/router'
import { Show, Suspense } from 'solid-js'
import { configureClient } from './api/client'
import { Loading } from './components/Loading'
import { databaseDown, markDatabaseDown } from './data/outage'
import { passwordChangeRequired, sessionLost } from './data/session'
import { locale, t } from './i18n'
import { loginHref } from './lib/safe-next'

/** Router root: connects the API client's session events to navigation. */
export function App(props: RouteSectionProps) {
  const navigate = useNavigate()
  const location = useLocation()
  configureClient({
    language: locale,
    onUnauthorized: (failure) => {
      sessionLost()
      if (location.pathname !== '/login') {
        const href = loginHref(`${location.pathname}${location.search}`)
        navigate(href, { replace: true, state: { reason: failure.code } })
      }
    },
    onPasswordChangeRequired: () => {
      passwordChangeRequired()
      navigate('/change-password', { replace: true })
    },
    onDatabaseUnavailable: markDatabaseDown,
  })
  return (
    <>
      <Show when={databaseDown()}>
        <div class="outage-banner" role="alert" data-testid="outage-banner">
          <strong>{t('app.outageTitle')}</strong>
          <span>{t('app.outageBody')}</span>
        </div>
      </Show>
      <Suspense fallback={<Loading full />}>{props.children}</Suspense>
    </>
  )
}
