import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { ROOT } from '../../bin/config'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

export interface Server {
  proc: ChildProcess
  base: string
  output: () => string
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/** Starts `moat start` as a real process, the way the README does, and waits until it listens. */
/** `detached`: own process group, so `process.kill(-proc.pid, 'SIGKILL')` takes workerd down too. */
export async function startServer(dataDir: string, env: Record<string, string> = {}, opts: { detached?: boolean } = {}): Promise<Server> {
  const port = await freePort()
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'moat.mjs'), 'start'], {
    cwd: ROOT,
    env: { ...process.env, MOAT_DATA: dataDir, MOAT_PORT: String(port), MOAT_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  })
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const deadline = Date.now() + 90_000
  while (!out.includes('"moat is listening"')) {
    if (proc.exitCode !== null) throw new Error(`moat exited early (${proc.exitCode}):\n${out}`)
    if (Date.now() > deadline) throw new Error(`moat did not start in time:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    proc,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode)
        proc.once('exit', (code) => resolve(code))
        proc.kill('SIGTERM')
      }),
  }
}

/** Debian's Chromium, never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
