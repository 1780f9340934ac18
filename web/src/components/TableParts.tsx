import { type Component, For, type JSX, Show, splitProps } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import { t } from '../i18n'
import { ConfirmBar, type ConfirmBarProps } from './ConfirmBar'
import type { IconProps } from './Icons'

/** A header row of column titles; `actions` adds the unlabelled column for row buttons. */
export function TableHead(props: { columns: string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        <For each={props.columns}>{(title) => <th scope="col">{title}</th>}</For>
        <Show when={props.actions}>
          <th scope="col">
            <span class="visually-hidden">{t('search.columns.actions')}</span>
          </th>
        </Show>
      </tr>
    </thead>
  )
}

/** A small ghost button with an icon, as used in a table's action cell. */
export function RowButton(props: {
  icon: Component<IconProps>
  testId: string
  label: string
  text: string
  expanded?: boolean
  onClick: () => void
}) {
  return (
    <button
      type="button"
      class="btn btn-ghost btn-sm"
      data-testid={props.testId}
      aria-label={props.label}
      aria-expanded={props.expanded}
      onClick={() => props.onClick()}
    >
      <Dynamic component={props.icon} size={16} />
      {props.text}
    </button>
  )
}

/** A full-width row under a table row, for a confirmation or an inline form. */
export function RowPanel(props: { columns: number; panel?: boolean; children: JSX.Element }) {
  return (
    <tr class="confirm-row">
      <td colSpan={props.columns}>
        <Show when={props.panel} fallback={props.children}>
          <div class="row-panel">{props.children}</div>
        </Show>
      </td>
    </tr>
  )
}

/** A RowPanel holding a ConfirmBar. */
export function ConfirmRow(props: ConfirmBarProps & { columns: number; panel?: boolean }) {
  const [own, bar] = splitProps(props, ['columns', 'panel'])
  return (
    <RowPanel columns={own.columns} panel={own.panel}>
      <ConfirmBar {...bar} />
    </RowPanel>
  )
}

/** An on/off switch in a table cell, named by `label`. */
export function RowSwitch(props: {
  testId: string
  checked: boolean
  disabled?: boolean
  label: string
  onChange: (checked: boolean, input: HTMLInputElement) => void
}) {
  return (
    <label class="switch">
      <input
        type="checkbox"
        role="switch"
        data-testid={props.testId}
        checked={props.checked}
        disabled={props.disabled}
        aria-label={props.label}
        onChange={(e) => props.onChange(e.currentTarget.checked, e.currentTarget)}
      />
      <span class="switch-track" aria-hidden="true" />
    </label>
  )
}
