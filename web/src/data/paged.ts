import { batch, createEffect, createSignal, on } from 'solid-js'

export interface Page<T> {
  items: T[]
  nextCursor: string | number | null
}

/**
 * A cursor-paged list for a reactive set of filters: reloads when they change, appends on
 * `loadMore`, and drops answers that arrive after the filters moved on. `onPage` sees every page
 * (for extras such as counts).
 */
export function useCursorList<T, F, P extends Page<T>>(filters: () => F, fetch: (filters: F, cursor?: string) => Promise<P>, onPage?: (page: P) => void) {
  const [items, setItems] = createSignal<T[]>([])
  const [cursor, setCursor] = createSignal<string | number | null>(null)
  const [loading, setLoading] = createSignal(false)
  const [loaded, setLoaded] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  let generation = 0

  async function fetchPage(append: boolean) {
    const mine = append ? generation : ++generation
    setLoading(true)
    setError(undefined)
    try {
      const next = cursor()
      const page = await fetch(filters(), append && next !== null ? String(next) : undefined)
      if (mine !== generation) return
      batch(() => {
        setItems((old) => (append ? [...old, ...page.items] : page.items))
        setCursor(page.nextCursor)
        setLoaded(true)
        onPage?.(page)
      })
    } catch (err) {
      if (mine === generation) setError(err)
    } finally {
      if (mine === generation) setLoading(false)
    }
  }

  createEffect(on(() => JSON.stringify(filters()), () => void fetchPage(false)))

  return {
    items,
    setItems,
    loading,
    loaded,
    error,
    hasMore: () => cursor() !== null,
    loadMore: () => void fetchPage(true),
    reload: () => void fetchPage(false),
  }
}
