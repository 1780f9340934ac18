export {
  createFeedConsumer,
  deleteFeedConsumer,
  feedCatalogue,
  listFeedConsumers,
  patchFeedConsumer,
  patchFeedSettings,
  rotateFeedConsumer,
} from '../api/client'
