import { createEffect } from 'solid-js'
import { t } from '../i18n'

/** Keeps document.title in step with the page and the language. */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ${t('app.name')}`
  })
}
