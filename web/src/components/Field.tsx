import { createSignal, type JSX, Show, splitProps } from 'solid-js'
import { t } from '../i18n'
import { IconEye, IconEyeOff } from './Icons'

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement>

interface FieldProps extends Omit<InputProps, 'onInput' | 'value'> {
  id: string
  label: string
  value: string
  onValue: (value: string) => void
  error?: string
  hint?: string
}

function describe(id: string, error?: string, hint?: string): string | undefined {
  const ids = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

/** A labelled input with its hint and error bound through aria-describedby. */
export function Field(props: FieldProps) {
  const [own, input] = splitProps(props, ['id', 'label', 'value', 'onValue', 'error', 'hint'])
  const describedBy = () => describe(own.id, own.error, own.hint)
  return (
    <div class="field" classList={{ 'has-error': !!own.error }}>
      <label for={own.id}>{own.label}</label>
      <input
        {...input}
        id={own.id}
        name={input.name ?? own.id}
        value={own.value}
        onInput={(e) => own.onValue(e.currentTarget.value)}
        aria-invalid={own.error ? 'true' : undefined}
        aria-describedby={describedBy()}
      />
      <FieldNotes id={own.id} hint={own.hint} error={own.error} />
    </div>
  )
}

export function FieldNotes(props: { id: string; hint?: string; error?: string }) {
  return (
    <>
      <Show when={props.hint}>
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <p class="field-error" id={`${props.id}-error`} aria-live="polite">
        {props.error ?? ''}
      </p>
    </>
  )
}

/** A password input with a show/hide button. */
export function PasswordField(props: Omit<FieldProps, 'type'>) {
  const [own, rest] = splitProps(props, ['id', 'label', 'value', 'onValue', 'error', 'hint'])
  const [visible, setVisible] = createSignal(false)
  const describedBy = () => describe(own.id, own.error, own.hint)
  return (
    <div class="field" classList={{ 'has-error': !!own.error }}>
      <label for={own.id}>{own.label}</label>
      <div class="input-with-action">
        <input
          {...rest}
          id={own.id}
          name={rest.name ?? own.id}
          type={visible() ? 'text' : 'password'}
          value={own.value}
          onInput={(e) => own.onValue(e.currentTarget.value)}
          aria-invalid={own.error ? 'true' : undefined}
          aria-describedby={describedBy()}
          spellcheck={false}
          autocapitalize="off"
        />
        <button
          type="button"
          class="input-action"
          aria-label={visible() ? t('login.hidePassword') : t('login.showPassword')}
          title={visible() ? t('login.hidePassword') : t('login.showPassword')}
          aria-pressed={visible()}
          aria-controls={own.id}
          onClick={() => setVisible((v) => !v)}
        >
          <Show when={visible()} fallback={<IconEye size={18} />}>
            <IconEyeOff size={18} />
          </Show>
        </button>
      </div>
      <FieldNotes id={own.id} hint={own.hint} error={own.error} />
    </div>
  )
}
