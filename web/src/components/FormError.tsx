import { Show } from 'solid-js'
import { IconAlert, IconCheck } from './Icons'

/** The form-level alert; screen readers announce it when it appears. */
export function FormError(props: { message?: string; testId?: string }) {
  return (
    <Show when={props.message}>
      <div class="alert alert-error" role="alert" data-testid={props.testId ?? 'form-error'}>
        <IconAlert size={18} />
        <span>{props.message}</span>
      </div>
    </Show>
  )
}

export function SuccessNote(props: { message?: string }) {
  return (
    <Show when={props.message}>
      <div class="alert alert-success" role="status" data-testid="saved">
        <IconCheck size={18} />
        <span>{props.message}</span>
      </div>
    </Show>
  )
}
