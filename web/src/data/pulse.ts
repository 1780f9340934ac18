export {
  pulseSummary,
  pulseIncoming,
  pulseOutgoing,
  pulseAnomalies,
  pulseExclusions,
  pulseFeeds,
  pulseConsumers,
  listPlaybook,
  createPlaybookLink,
  patchPlaybookLink,
  deletePlaybookLink,
  reorderPlaybook,
  excludeIoc,
  unexcludeIoc,
} from '../api/client'
export type { PlaybookLink, PulseWindow } from '../api/client'
