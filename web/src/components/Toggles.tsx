import { Show } from 'solid-js'
import { locale, t, toggleLocale } from '../i18n'
import { theme, toggleTheme } from '../lib/theme'
import { IconGlobe, IconMoon, IconSun } from './Icons'

/** Shows the language it switches to, written in that language. */
export function LangToggle() {
  return (
    <button
      type="button"
      class="btn btn-ghost btn-sm"
      data-testid="lang-toggle"
      title={t('lang.toggle')}
      onClick={toggleLocale}
    >
      <IconGlobe size={18} />
      <span lang={locale() === 'he' ? 'en' : 'he'}>{t('lang.other')}</span>
    </button>
  )
}

export function ThemeToggle() {
  const label = () => (theme() === 'dark' ? t('theme.toLight') : t('theme.toDark'))
  return (
    <button
      type="button"
      class="btn btn-ghost btn-icon"
      data-testid="theme-toggle"
      aria-label={label()}
      title={label()}
      onClick={toggleTheme}
    >
      <Show when={theme() === 'dark'} fallback={<IconMoon size={18} />}>
        <IconSun size={18} />
      </Show>
    </button>
  )
}
