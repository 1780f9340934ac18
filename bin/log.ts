/** Structured logs: one JSON object per line on stdout (stderr for warnings and errors). */
type Level = 'debug' | 'info' | 'warn' | 'error'

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  if (level === 'debug' && !process.env.MOAT_DEBUG) return
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })
  if (level === 'warn' || level === 'error') process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}
