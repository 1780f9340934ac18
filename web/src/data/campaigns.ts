import { createResource } from 'solid-js'
import * as api from '../api/client'

export {
  createCampaign,
  getCampaign,
  patchCampaign,
  deleteCampaign,
  unlinkCampaignIoc,
  campaignExportUrl,
} from '../api/client'

/** The campaign list (for pickers and the campaigns page); `refetch` after a change. */
export function useCampaigns() {
  const [list, { refetch, mutate }] = createResource(async () => (await api.listCampaigns()).items)
  return { list, refetch, mutate }
}
