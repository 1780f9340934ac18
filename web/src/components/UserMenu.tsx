import { useNavigate } from '@solidjs/router'
import { createSignal } from 'solid-js'
import type { Me } from '../../../schema/contracts/auth'
import { signOut } from '../data/session'
import { t } from '../i18n'
import { Avatar } from './Avatar'
import { IconLogout } from './Icons'
import { LangToggle, ThemeToggle } from './Toggles'

export function UserMenu(props: { user: Me }) {
  const navigate = useNavigate()
  const [busy, setBusy] = createSignal(false)
  const logout = async () => {
    setBusy(true)
    await signOut()
    setBusy(false)
    navigate('/login', { replace: true })
  }
  return (
    <section class="user-menu" aria-label={t('user.menu')}>
      <div class="whoami" data-testid="whoami" title={t('user.signedInAs', { name: props.user.username })}>
        <Avatar user={props.user} size="sm" />
        <span class="whoami-text">
          <span class="whoami-name">{props.user.displayName || props.user.username}</span>
          <span class="whoami-sub">
            @{props.user.username} · {t(`roles.${props.user.role}`)}
          </span>
        </span>
      </div>
      <div class="user-actions">
        <LangToggle />
        <ThemeToggle />
        <button
          type="button"
          class="btn btn-ghost btn-sm"
          data-testid="logout"
          onClick={logout}
          disabled={busy()}
        >
          <IconLogout size={18} />
          <span class="logout-label">{t('user.logout')}</span>
        </button>
      </div>
    </section>
  )
}
