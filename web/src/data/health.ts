import { createResource, onCleanup } from 'solid-js'
import { health } from '../api/client'

const REFRESH_MS = 30_000

/** GET /health, refreshed every 30 s while the caller is mounted. */
export function useHealth() {
  const [data, { refetch }] = createResource(health)
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void refetch()
  }, REFRESH_MS)
  onCleanup(() => clearInterval(timer))
  return { data, refresh: () => void refetch() }
}
