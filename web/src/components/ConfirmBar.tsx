import type { JSX } from 'solid-js'
import { IconAlert } from './Icons'

/** An inline "are you sure?" strip: no modal dialog, keyboard focus lands on the confirm button. */
export interface ConfirmBarProps {
  message: JSX.Element
  confirmLabel: string
  cancelLabel: string
  onConfirm: () => void
  onCancel: () => void
  busy?: boolean
  testId?: string
  danger?: boolean
}

export function ConfirmBar(props: ConfirmBarProps) {
  return (
    <div class="confirm-bar" role="alertdialog" aria-live="assertive">
      <IconAlert size={18} />
      <span class="confirm-text">{props.message}</span>
      <div class="button-row">
        <button
          type="button"
          class={`btn btn-sm ${props.danger === false ? 'btn-primary' : 'btn-danger'}`}
          data-testid={props.testId}
          disabled={props.busy}
          ref={(el) => queueMicrotask(() => el.focus())}
          onClick={() => props.onConfirm()}
        >
          {props.confirmLabel}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => props.onCancel()}>
          {props.cancelLabel}
        </button>
      </div>
    </div>
  )
}
