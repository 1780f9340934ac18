import { type RouteSectionProps, useLocation, useNavigate } from '@solidjs/router'
import { Suspense } from 'solid-js'
import { configureClient } from './api/client'
import { Loading } from './components/Loading'
import { passwordChangeRequired, sessionLost } from './data/session'
import { locale } from './i18n'
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
  })
  return <Suspense fallback={<Loading full />}>{props.children}</Suspense>
}
