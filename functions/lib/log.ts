/** Structured logs from the worker: one JSON line each, in the same shape as the launcher's. */
export function logEvent(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
  if (level === 'info') console.log(line)
  else console.error(line)
}
