import { createSignal } from 'solid-js'
import * as api from '../api/client'
import type { YaraListItem, YaraSearch } from '../api/client'
import { useCursorList } from './paged'

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
  const [counts, setCounts] = createSignal<api.YaraPage['counts']>()
  const list = useCursorList<YaraListItem, YaraSearch, api.YaraPage>(
    filters,
    (f, cursor) => api.listYara({ limit: PAGE_SIZE, ...f, cursor }),
    (page) => setCounts(page.counts),
  )
  const { setItems: _setItems, ...rest } = list
  return { ...rest, counts }
}
