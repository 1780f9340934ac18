import { type JSX, splitProps } from 'solid-js'
import { FieldNotes } from './Field'

interface TextAreaProps
  extends Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'onInput' | 'value'> {
  id: string
  label: string
  value: string
  onValue: (value: string) => void
  error?: string
  hint?: string
}

/** A labelled textarea, the multi-line sibling of Field. */
export function TextArea(props: TextAreaProps) {
  const [own, rest] = splitProps(props, ['id', 'label', 'value', 'onValue', 'error', 'hint'])
  const describedBy = () =>
    [own.error ? `${own.id}-error` : '', own.hint ? `${own.id}-hint` : ''].filter(Boolean).join(' ') ||
    undefined
  return (
    <div class="field" classList={{ 'has-error': !!own.error }}>
      <label for={own.id}>{own.label}</label>
      <textarea
        {...rest}
        id={own.id}
        name={rest.name ?? own.id}
        value={own.value}
        onInput={(e) => own.onValue(e.currentTarget.value)}
        aria-invalid={own.error ? 'true' : undefined}
        aria-describedby={describedBy()}
      />
      <FieldNotes id={own.id} hint={own.hint} error={own.error} />
    </div>
  )
}
