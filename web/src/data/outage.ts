import { createSignal } from 'solid-js'
import { health } from '../api/client'

const CHECK_MS = 10_000

const [databaseDown, setDatabaseDown] = createSignal(false)
let timer: ReturnType<typeof setInterval> | undefined

/** True while the server reports its database unavailable (set by any 503 `database_unavailable`). */
export { databaseDown }

/** Shows the outage banner and checks /health every 10 s until the database answers again. */
export function markDatabaseDown() {
  setDatabaseDown(true)
  timer ??= setInterval(async () => {
    try {
      const h = await health()
      if (h.database.ok) {
        setDatabaseDown(false)
        clearInterval(timer)
        timer = undefined
      }
    } catch {
      // Still down or unreachable: keep the banner and keep checking.
    }
  }, CHECK_MS)
}
