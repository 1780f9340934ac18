import { A } from '@solidjs/router'
import { type JSX, Show } from 'solid-js'
import type { Me } from '../../../schema/contracts/auth'
import { t } from '../i18n'
import { formatDate, formatDateTime } from '../i18n/format'
import { IconKey } from './Icons'

/** Read-only account facts (username, role, last sign-in) and the way to change the password. */
export function AccountCard(props: { user: Me }) {
  const row = (label: string, value: JSX.Element) => (
    <div class="detail-row">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
  return (
    <section class="card glass" aria-labelledby="account-title">
      <h2 id="account-title">{t('profile.account')}</h2>
      <dl class="details">
        {row(t('profile.username'), <bdi data-testid="profile-username">{props.user.username}</bdi>)}
        {row(
          t('profile.role'),
          <span class={`badge badge-role-${props.user.role}`}>
            {t(`roles.${props.user.role}`)}
          </span>,
        )}
        {row(t('profile.source'), t(`sources.${props.user.source}`))}
        {row(
          t('profile.lastLogin'),
          props.user.lastLoginAt ? formatDateTime(props.user.lastLoginAt) : t('profile.never'),
        )}
        {row(t('profile.memberSince'), formatDate(props.user.createdAt))}
      </dl>
      <Show when={props.user.source === 'local'}>
        <div class="security">
          <p class="muted">{t('profile.securityText')}</p>
          <A href="/change-password" class="btn btn-secondary btn-sm" data-testid="change-password">
            <IconKey size={18} />
            {t('profile.changePassword')}
          </A>
        </div>
      </Show>
    </section>
  )
}
