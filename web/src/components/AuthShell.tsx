import type { JSX } from 'solid-js'
import { t } from '../i18n'
import { Brand } from './Logo'
import { LangToggle, ThemeToggle } from './Toggles'

/** The signed-out layout: a centred glass card with the toggles above it. */
export function AuthShell(props: { children: JSX.Element }) {
  return (
    <div class="auth-shell">
      <header class="auth-top">
        <Brand />
        <div class="auth-toggles">
          <LangToggle />
          <ThemeToggle />
        </div>
      </header>
      <main id="main" class="auth-main">
        {props.children}
      </main>
      <footer class="auth-footer">{t('app.tagline')}</footer>
    </div>
  )
}
