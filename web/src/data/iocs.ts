import * as api from '../api/client'
import type { Ioc, IocSearch } from '../api/client'
import { useCursorList } from './paged'

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

/** A cursor-paged IOC list for reactive filters (see useCursorList), editable in place. */
export function useIocList(filters: () => IocSearch) {
  const { setItems, ...list } = useCursorList<Ioc, IocSearch, api.IocPage>(filters, (f, cursor) =>
    api.searchIocs({ limit: PAGE_SIZE, ...f, cursor }),
  )
  return {
    ...list,
    /** Puts a changed IOC in place (after an edit in the drawer). */
    replace: (ioc: Ioc) => setItems((old) => old.map((row) => (row.id === ioc.id ? ioc : row))),
    remove: (id: number) => setItems((old) => old.filter((row) => row.id !== id)),
  }
}
