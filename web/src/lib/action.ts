import { createSignal } from 'solid-js'

/**
 * One async action at a time: `run` ignores calls while busy, clears the last error (and calls
 * `onStart`) before starting, and keeps a thrown error for the caller to show.
 */
export function useAction(onStart?: () => void) {
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<unknown>()
  async function run(action: () => Promise<void>) {
    if (busy()) return
    setBusy(true)
    setError(undefined)
    onStart?.()
    try {
      await action()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}
