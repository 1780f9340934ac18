import { type Accessor, type JSX, type Resource, Show } from 'solid-js'
import { errorMessage } from '../i18n/errors'
import { FormError } from './FormError'
import { Loading } from './Loading'

/** A fetched list: its load error, a spinner while loading, `empty` when there is nothing. */
export function ResourceList<T>(props: {
  resource: Resource<T[]>
  empty: string
  children: (items: Accessor<T[]>) => JSX.Element
}) {
  return (
    <>
      <FormError message={props.resource.error ? errorMessage(props.resource.error) : undefined} />
      <Show
        when={props.resource()}
        fallback={
          <Show when={!props.resource.error}>
            <Loading />
          </Show>
        }
      >
        {(items) => (
          <Show when={items().length} fallback={<p class="empty-state">{props.empty}</p>}>
            {props.children(items)}
          </Show>
        )}
      </Show>
    </>
  )
}
