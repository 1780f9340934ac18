import { Cron } from 'croner'
import { log } from './log'

export type Fire = (cron: string, scheduledTime: Date) => Promise<void>

/**
 * Fires each cron of wrangler.toml on its schedule (UTC), as Cloudflare would: workerd itself
 * never fires them. A run still going when the next tick comes is skipped, not doubled.
 */
export function startScheduler(crons: string[], fire: Fire): { stop(): void; next(): Record<string, string | null> } {
  const jobs = crons.map(
    (pattern) =>
      new Cron(pattern, { timezone: 'UTC', protect: () => log('warn', 'cron still running; tick skipped', { cron: pattern }) }, async (self: Cron) => {
        const at = self.currentRun() ?? new Date()
        try {
          await fire(pattern, at)
        } catch (err) {
          log('error', 'cron failed', { cron: pattern, error: err instanceof Error ? err.message : String(err) })
        }
      }),
  )
  return {
    stop: () => jobs.forEach((j) => j.stop()),
    next: () => Object.fromEntries(jobs.map((j, i) => [crons[i], j.nextRun()?.toISOString() ?? null])),
  }
}

/** Runs the worker's `scheduled` handler for one cron string (or `job:<name>`) and checks the outcome. */
export async function fireScheduled(
  worker: { scheduled(o: { cron: string; scheduledTime: Date }): Promise<{ outcome: string }> },
  cron: string,
  scheduledTime: Date,
): Promise<void> {
  const started = Date.now()
  const { outcome } = await worker.scheduled({ cron, scheduledTime })
  const ms = Date.now() - started
  if (outcome !== 'ok') throw new Error(`scheduled handler for '${cron}' ended with outcome '${outcome}'`)
  log('info', 'cron fired', { cron, outcome, ms })
}
