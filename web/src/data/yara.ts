import { batch, createEffect, createSignal, on } from 'solid-js'
import * as api from '../api/client'
import type { YaraListItem, YaraSearch } from '../api/client'

export {
  approveYara,
  deleteYara,
  getYara,
  patchYara,
  patchYaraSettings,
  rejectYara,
  scanYara,
  uploadYara,
  validateYara,
  yaraDownloadUrl,
  yaraHistory,
  yaraSettings,
} from '../api/client'

const PAGE_SIZE = '50'

/** The rule library for reactive filters: cursor-paged, with the counts per status. */
export function useYaraList(filters: () => YaraSearch) {
  const [items, setItems] = createSignal<YaraListItem[]>([])
  const [counts, setCounts] = createSignal<api.YaraPage['counts']>()
  const [cursor, setCursor] = createSignal<number | null>(null)
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
      const page = await api.listYara({ limit: PAGE_SIZE, ...filters(), cursor: append && next ? String(next) : undefined })
      if (mine !== generation) return
      batch(() => {
        setItems((old) => (append ? [...old, ...page.items] : page.items))
        setCounts(page.counts)
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
    counts,
    loading,
    loaded,
    error,
    hasMore: () => cursor() !== null,
    loadMore: () => void fetchPage(true),
    reload: () => void fetchPage(false),
  }
}
