// Runs one backup job of bin/backup.ts (a VACUUM INTO snapshot or an integrity check) on a worker
// thread, so a large database does not stall the launcher's event loop (the HOST binding keeps
// answering, and a second "Back up now" is refused at once instead of queued).
import { parentPort, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { inspectDatabase, snapshotDatabase } = await import('./backup.ts')
try {
  const result =
    workerData.op === 'snapshot' ? snapshotDatabase(workerData.src, workerData.dest) : inspectDatabase(workerData.file, workerData.migrationsDir)
  parentPort.postMessage({ ok: true, result })
} catch (err) {
  parentPort.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) })
}
