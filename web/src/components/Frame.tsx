import { A, useLocation } from '@solidjs/router'
import { createEffect, For, type JSX, on, Show, Suspense } from 'solid-js'
import type { Me } from '../../../schema/contracts/auth'
import { t } from '../i18n'
import { navFor } from '../nav'
import { Brand } from './Logo'
import { Loading } from './Loading'
import { UserMenu } from './UserMenu'

/** The signed-in layout: sidebar (a top bar on narrow screens) and the page. */
export function Frame(props: { user: Me; children?: JSX.Element }) {
  const location = useLocation()
  let main: HTMLElement | undefined
  // After in-app navigation, move focus to the new page so screen readers start there.
  createEffect(
    on(
      () => location.pathname,
      () => main?.focus({ preventScroll: true }),
      { defer: true },
    ),
  )
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class="sidebar glass">
        <A href="/" class="brand-link" aria-label={t('app.name')}>
          <Brand />
        </A>
        <Show when={!props.user.mustChangePassword}>
          <nav class="nav" aria-label={t('nav.label')}>
            <ul>
              <For each={navFor(props.user.role)}>
                {(item) => (
                  <li>
                    <A href={item.href} end={item.end} class="nav-link" activeClass="active">
                      <item.icon />
                      <span>{t(`nav.${item.label}`)}</span>
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </nav>
        </Show>
        <UserMenu user={props.user} />
      </header>
      <main id="main" class="content" tabindex="-1" ref={main}>
        <Suspense fallback={<Loading />}>{props.children}</Suspense>
      </main>
    </div>
  )
}
