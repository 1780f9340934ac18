import { runScheduled } from '../scheduled'
import { app } from './app'
import type { Bindings } from './env'

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Bindings) {
    await runScheduled(controller.cron, env, controller.scheduledTime)
  },
} satisfies ExportedHandler<Bindings>
