import { For } from 'solid-js'
import { FieldNotes } from './Field'

/** A labelled native select; `options` are [value, label] pairs. */
export function Select(props: {
  id: string
  label: string
  value: string
  onValue: (value: string) => void
  options: [string, string][]
  error?: string
  testId?: string
  hint?: string
}) {
  return (
    <div class="field" classList={{ 'has-error': !!props.error }}>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.id}
        data-testid={props.testId}
        value={props.value}
        onChange={(e) => props.onValue(e.currentTarget.value)}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={
          [props.error ? `${props.id}-error` : '', props.hint ? `${props.id}-hint` : '']
            .filter(Boolean)
            .join(' ') || undefined
        }
      >
        <For each={props.options}>
          {([value, label]) => (
            <option value={value} selected={value === props.value}>
              {label}
            </option>
          )}
        </For>
      </select>
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </div>
  )
}
