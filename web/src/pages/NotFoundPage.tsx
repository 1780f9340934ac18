import { A, useLocation } from '@solidjs/router'
import { IconArrowStart } from '../components/Icons'
import { t } from '../i18n'
import { isolate } from '../i18n/format'
import { usePageTitle } from '../lib/title'

export default function NotFoundPage() {
  const location = useLocation()
  usePageTitle(() => t('notFound.title'))
  return (
    <div class="page page-narrow">
      <section class="card glass not-found" data-testid="not-found">
        <p class="not-found-code" aria-hidden="true">
          404
        </p>
        <h1>{t('notFound.title')}</h1>
        <p class="muted">
          {t('notFound.body', { path: isolate(location.pathname) })}
        </p>
        <A href="/" class="btn btn-primary">
          <IconArrowStart size={18} />
          {t('notFound.home')}
        </A>
      </section>
    </div>
  )
}
