import { type Component, type JSX, Show } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import type { IconProps } from './Icons'

/** The page title block: an optional icon, the heading and a muted subtitle. */
export function PageHeader(props: {
  icon?: Component<IconProps>
  title: string
  subtitle: string
}) {
  return (
    <header class="page-header">
      <Show when={props.icon}>
        {(Icon) => (
          <span class="page-icon" aria-hidden="true">
            <Dynamic component={Icon()} size={22} />
          </span>
        )}
      </Show>
      <div>
        <h1>{props.title}</h1>
        <p class="muted">{props.subtitle}</p>
      </div>
    </header>
  )
}

/** Shows its children to admins only; everyone else gets `message` as an error alert. */
export function AdminOnly(props: { when: boolean; message: string; children: JSX.Element }) {
  return (
    <Show
      when={props.when}
      fallback={
        <div class="alert alert-error" role="alert" data-testid="admin-only">
          {props.message}
        </div>
      }
    >
      {props.children}
    </Show>
  )
}
