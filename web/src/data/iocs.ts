import { batch, createEffect, createSignal, on } from 'solid-js'
import * as api from '../api/client'
import type { Ioc, IocSearch } from '../api/client'

export {
  createIoc,
  deleteIoc,
  excludeIoc,
  getIoc,
  iocHistory,
  patchIoc,
  unexcludeIoc,
  addNote,
  listNotes,
} from '../api/client'

const PAGE_SIZE = '50'

/**
 * A cursor-paged IOC list for a reactive set of filters: reloads when they change, appends on
 * `loadMore`, and drops answers that arrive after the filters moved on.
 */
export function useIocList(filters: () => IocSearch) {
  const [items, setItems] = createSignal<Ioc[]>([])
  const [cursor, setCursor] = createSignal<string | null>(null)
  const [loading, setLoading] = createSignal(false)
  const [loaded, setLoaded] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  let generation = 0

  async function fetchPage(append: boolean) {
    const mine = append ? generation : ++generation
    setLoading(true)
    setError(undefined)
    try {
      const page = await api.searchIocs({
        limit: PAGE_SIZE,
        ...filters(),
        cursor: append ? (cursor() ?? undefined) : undefined,
      })
      if (mine !== generation) return
      batch(() => {
        setItems((old) => (append ? [...old, ...page.items] : page.items))
        setCursor(page.nextCursor)
        setLoaded(true)
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
    loading,
    loaded,
    error,
    hasMore: () => cursor() !== null,
    loadMore: () => void fetchPage(true),
    reload: () => void fetchPage(false),
    /** Puts a changed IOC in place (after an edit in the drawer). */
    replace: (ioc: Ioc) => setItems((old) => old.map((row) => (row.id === ioc.id ? ioc : row))),
    remove: (id: number) => setItems((old) => old.filter((row) => row.id !== id)),
  }
}
