import { createResource, createSignal, onCleanup } from 'solid-js'

export * from '../api/client'

/**
 * A resource refreshed every `intervalMs` while the tab is visible; paused (no request) while it
 * is hidden and refreshed at once when it shows again.
 */
export function usePolling<T>(fetcher: () => Promise<T>, intervalMs: number) {
  const [data, { refetch, mutate }] = createResource(fetcher)
  const [paused, setPaused] = createSignal(document.hidden)
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = () => {
    clearTimeout(timer)
    if (!document.hidden) timer = setTimeout(() => void Promise.resolve(refetch()).finally(schedule), intervalMs)
  }
  const onVisibility = () => {
    setPaused(document.hidden)
    if (document.hidden) clearTimeout(timer)
    else void Promise.resolve(refetch()).finally(schedule)
  }
  document.addEventListener('visibilitychange', onVisibility)
  schedule()
  onCleanup(() => {
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisibility)
  })
  return { data, refetch, mutate, paused }
}
