import { A } from '@solidjs/router'
import { Show } from 'solid-js'
import { Avatar } from '../components/Avatar'
import { IconUser } from '../components/Icons'
import { SystemCard } from '../components/SystemCard'
import { useHealth } from '../data/health'
import { user } from '../data/session'
import { t } from '../i18n'
import { usePageTitle } from '../lib/title'

export default function OverviewPage() {
  usePageTitle(() => t('overview.title'))
  const health = useHealth()
  return (
    <div class="page">
      <Show when={user()}>
        {(me) => (
          <section class="card glass hero" aria-labelledby="welcome-title">
            <Avatar user={me()} size="lg" />
            <div class="hero-text">
              <h1 id="welcome-title">
                {t('overview.welcome', { name: me().displayName || me().username })}
              </h1>
              <p class="role-line">
                <span>{t('overview.roleLine')}</span>
                <span class={`badge badge-role-${me().role}`}>{t(`roles.${me().role}`)}</span>
                <Show when={me().roleDescription}>
                  <span class="muted">{me().roleDescription}</span>
                </Show>
              </p>
              <p class="muted">{t('overview.intro')}</p>
              <A href="/profile" class="btn btn-secondary btn-sm">
                <IconUser size={18} />
                {t('overview.profileLink')}
              </A>
            </div>
          </section>
        )}
      </Show>
      <SystemCard data={health.data} onRefresh={health.refresh} />
    </div>
  )
}
