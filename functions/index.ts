import { runScheduled } from '../scheduled'
import { app } from './app'
import { invalidateFeedContext } from './lib/feed-context'
import type { Bindings } from './env'

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Bindings) {
    try {
      await runScheduled(controller.cron, env, controller.scheduledTime)
    } finally {
      invalidateFeedContext()
    }
  },
} satisfies ExportedHandler<Bindings>
