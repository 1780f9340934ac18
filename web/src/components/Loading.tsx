import { t } from '../i18n'

export function Loading(props: { full?: boolean }) {
  return (
    <div class={props.full ? 'loading loading-full' : 'loading'} role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{t('app.loading')}</span>
    </div>
  )
}
