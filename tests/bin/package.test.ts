import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../bin/config'

// `npm run package` -> one tar.gz; extracted into an empty folder, installed with its install.sh
// and started with no network at all (a fresh network namespace: only loopback) and npm pointed
// at an unreachable registry in offline mode. /health must answer.

const work = mkdtempSync(path.join(tmpdir(), 'moat-package-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Runs inside the namespace: start the installed Moat, wait for /health, print it, stop. */
const CHECK = `
const { spawn } = require('node:child_process')
const [app, data] = process.argv.slice(2)
const child = spawn(process.execPath, [app + '/bin/moat.mjs', 'start'], {
  cwd: '/',
  env: { ...process.env, MOAT_DATA: data, MOAT_PORT: '18787', MOAT_HOST: '127.0.0.1', MOAT_ADMIN_PASSWORD: 'Offline-pass-2468-x',
    npm_config_offline: 'true', npm_config_registry: 'http://127.0.0.1:9' },
  stdio: ['ignore', 'pipe', 'pipe'],
})
let out = ''
child.stdout.on('data', (d) => (out += d))
child.stderr.on('data', (d) => (out += d))
const deadline = Date.now() + 90000
const done = (result) => { child.kill('SIGTERM'); console.log(JSON.stringify({ ...result, log: out.slice(-4000) })); child.on('exit', () => process.exit(0)) }
;(async () => {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return done({ error: 'exited ' + child.exitCode })
    if (out.includes('"moat is listening"')) {
      try {
        const res = await fetch('http://127.0.0.1:18787/health')
        if (res.status === 200) return done({ health: await res.json() })
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  done({ error: 'timeout' })
})()
`

describe('offline bundle', () => {
  it('builds one archive that installs and starts with no registry and no network', async () => {
    const out = path.join(work, 'out')
    execFileSync(process.execPath, [path.join(ROOT, 'bin', 'moat.mjs'), 'package', '--out', out, '--fast'], { cwd: ROOT, stdio: 'pipe' })
    const archives = readdirSync(out)
    expect(archives).toHaveLength(1)
    expect(archives[0]).toMatch(/^moat-\d+\.\d+\.\d+-linux-x64-node\d+\.tar\.gz$/)
    const archive = path.join(out, archives[0])

    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n')
    const top = archives[0].replace(/\.tar\.gz$/, '')
    expect(listing).toContain(`${top}/install.sh`)
    expect(listing).toContain(`${top}/app/node_modules/workerd/bin/workerd`)
    expect(listing).toContain(`${top}/app/dist/worker.mjs`)
    expect(listing).toContain(`${top}/app/web/dist/index.html`)
    // Production only: no dev tools, no tests, no UI sources.
    expect(listing.some((f) => f.startsWith(`${top}/app/node_modules/vitest/`))).toBe(false)
    expect(listing.some((f) => f.startsWith(`${top}/app/tests/`) || f.startsWith(`${top}/app/web/src/`))).toBe(false)

    const empty = path.join(work, 'unpacked')
    execFileSync('mkdir', ['-p', empty])
    execFileSync('tar', ['-xzf', archive, '-C', empty])
    const prefix = path.join(work, 'opt-moat')
    const data = path.join(work, 'var-moat')
    execFileSync(path.join(empty, top, 'install.sh'), ['--prefix', prefix, '--data', data, '--no-service'], { stdio: 'pipe' })

    const script = path.join(work, 'check.cjs')
    writeFileSync(script, CHECK)
    // A network namespace of our own (root, util-linux): nothing but loopback exists in it.
    const isolated = spawnSync('unshare', ['-n', 'true']).status === 0 && spawnSync('ip', ['-V']).status === 0
    const run = isolated
      ? spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" "${script}" "${prefix}" "${data}"`], { encoding: 'utf8', timeout: 120_000 })
      : spawnSync(process.execPath, [script, prefix, data], { encoding: 'utf8', timeout: 120_000 })
    const lines = run.stdout.trim().split('\n')
    const result = JSON.parse(lines[lines.length - 1])
    expect(result.error, result.log).toBeUndefined()
    expect(result.health).toMatchObject({ status: 'ok', database: { ok: true } })
    expect(result.log).toContain('prebuilt package: using its build')
    if (!isolated) console.warn('unshare -n is not available: started with npm offline only')
  }, 240_000)
})
