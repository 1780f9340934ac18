import { createSignal, Show } from 'solid-js'
import type { Me } from '../../../schema/contracts/auth'
import { avatarSrc } from '../data/session'
import { t } from '../i18n'

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts
  return letters.map((part) => [...part][0] ?? '').join('').toUpperCase() || '?'
}

/** The user's picture, or their initials when there is none (or it fails to load). */
export function Avatar(props: { user: Me; size?: 'sm' | 'md' | 'lg'; src?: string }) {
  const [failed, setFailed] = createSignal<string>()
  const src = () => props.src ?? (props.user.hasAvatar ? avatarSrc(props.user) : undefined)
  const name = () => props.user.displayName || props.user.username
  return (
    <span class={`avatar avatar-${props.size ?? 'md'}`}>
      <Show
        when={src() && failed() !== src() ? src() : undefined}
        fallback={<span aria-hidden="true">{initials(name())}</span>}
      >
        {(url) => (
          <img
            src={url()}
            alt={t('avatar.alt', { name: name() })}
            onError={() => setFailed(url())}
          />
        )}
      </Show>
    </span>
  )
}
