export {
  addAllowlistEntry,
  deleteAllowlistEntry,
  deleteWarninglist,
  importWarninglist,
  listAllowlist,
  listWarninglists,
  setWarninglistEnabled,
} from '../api/client'
