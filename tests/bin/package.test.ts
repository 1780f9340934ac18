import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../bin/config'
import { bootSystemd, systemdUnavailable } from '../helpers/systemd-ns'

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

/** The archive, built once for both tests of this file (`npm run package --fast`, ~20 s). */
let built: { file: string; names: string[]; top: string } | undefined
function archive() {
  if (built) return built
  const out = path.join(work, 'out')
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'moat.mjs'), 'package', '--out', out, '--fast'], { cwd: ROOT, stdio: 'pipe' })
  const names = readdirSync(out)
  built = { file: path.join(out, names[0]), names, top: names[0].replace(/\.tar\.gz$/, '') }
  return built
}

describe('offline bundle', () => {
  it('builds one archive that installs and starts with no registry and no network', async () => {
    const { file, names: archives } = archive()
    expect(archives).toHaveLength(1)
    expect(archives[0]).toMatch(/^moat-\d+\.\d+\.\d+-linux-x64-node\d+\.tar\.gz$/)
    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n')
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
    execFileSync('tar', ['-xzf', file, '-C', empty])
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

/**
 * Runs inside the systemd namespace: waits for Moat on the unit's ports (HTTPS 443, redirect on
 * 80), then reports /health, the redirect and (with a password) a sign-in as admin.
 */
const PROBE = `
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0' // the self-signed certificate Moat generated
const password = process.argv[2]
;(async () => {
  const deadline = Date.now() + 90000
  let health = null, redirect = null, lastError = ''
  // The redirect listener on 80 opens a moment after HTTPS: wait for both.
  while (Date.now() < deadline && !redirect) {
    try {
      const res = await fetch('https://127.0.0.1/health')
      if (res.status === 200) {
        health = await res.json()
        const r = await fetch('http://127.0.0.1/health?x=1', { redirect: 'manual' })
        redirect = { status: r.status, location: r.headers.get('location') }
      } else lastError = 'status ' + res.status
    } catch (e) { lastError = String(e.cause ?? e) }
    if (!redirect) await new Promise((r) => setTimeout(r, 250))
  }
  const out = { health, redirect, lastError }
  if (redirect) {
    if (password) {
      const login = await fetch('https://127.0.0.1/api/v1/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) })
      out.login = { status: login.status, body: await login.json() }
    }
  }
  console.log(JSON.stringify(out))
})()
`

// The shipped unit and install.sh in service mode under a real systemd (PID 1 of its own
// namespaces, see tests/helpers/systemd-ns.ts): nothing of this machine is changed.
const noSystemd = systemdUnavailable() ?? (existsSync('/usr/bin/node') ? null : 'the unit runs /usr/bin/node, which is missing')
describe('install.sh and deploy/moat.service under systemd', () => {
  it.skipIf(noSystemd)(`installs, runs hardened as user moat, stops cleanly and upgrades${noSystemd ? ` (skipped: ${noSystemd})` : ''}`, async () => {
    const hostPaths = ['/opt/moat', '/opt/moat.prev', '/var/lib/moat', '/usr/local/bin/moat', '/etc/systemd/system/moat.service', '/etc/moat']
    const before = { passwd: readFileSync('/etc/passwd', 'utf8'), paths: hostPaths.filter((p) => existsSync(p)) }

    const { file, top } = archive()
    const pkgs = path.join(work, 'service')
    execFileSync('mkdir', ['-p', pkgs])
    execFileSync('tar', ['-xzf', file, '-C', pkgs])
    // The "next version": the same package plus one migration (hard links: no second copy).
    execFileSync('cp', ['-al', path.join(pkgs, top), path.join(pkgs, 'next')])
    const migrations = path.join(pkgs, 'next', 'app', 'schema', 'migrations')
    execFileSync('sh', ['-c', `rm -rf "${migrations}" && cp -a "${path.join(pkgs, top, 'app', 'schema', 'migrations')}" "${migrations}"`])
    writeFileSync(path.join(migrations, '9999_systemd_upgrade_probe.sql'), 'CREATE TABLE `systemd_upgrade_probe` (`id` integer PRIMARY KEY);\n')
    writeFileSync(path.join(pkgs, 'probe.cjs'), PROBE)

    const ns = await bootSystemd(work, pkgs)
    try {
      const probe = (password = '') => JSON.parse(ns.sh(`node /run/moat-package/probe.cjs '${password}'`, { timeout: 120_000 }).trim().split('\n').at(-1)!)
      const journal = () => ns.sh('journalctl -u moat --no-pager -o cat')
      const show = (props: string) =>
        Object.fromEntries(ns.sh(`systemctl show moat -p ${props}`).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))

      // Site settings: listen on loopback only (the unit says 0.0.0.0; EnvironmentFile= values win
      // over Environment=). The unit itself asks for a self-signed certificate on the first start, so
      // 443 + 80 are HTTPS + redirect with nothing uploaded.
      ns.sh("mkdir -p /etc/moat && printf 'MOAT_HOST=127.0.0.1\\nMOAT_SERVER_NAME=moat.test\\n' > /etc/moat/moat.env")
      const installed = ns.run([`/run/moat-package/${top}/install.sh`], { timeout: 120_000 })
      expect(installed.status, installed.stderr + installed.stdout).toBe(0)
      expect(installed.stdout).toContain('Moat installed in /opt/moat (data: /var/lib/moat) and started')

      const first = probe()
      expect(first.health, `${first.lastError}\n${journal()}`).toMatchObject({ status: 'ok', database: { ok: true } })
      expect(first.redirect).toEqual({ status: 301, location: 'https://moat.test/health?x=1' })
      expect(ns.sh('systemctl is-active moat').trim()).toBe('active')
      expect(ns.sh('systemctl is-enabled moat').trim()).toBe('enabled')

      // The first start's one-time admin password is in the journal, once.
      const log = journal()
      const password = /one-time password: (\S+)/.exec(log)?.[1]
      expect(password, log).toBeTruthy()
      expect(log).toContain('"url":"https://127.0.0.1/"')

      // The main process: user moat, only CAP_NET_BIND_SERVICE, no new privileges, seccomp on.
      const main = show('MainPID').MainPID
      const uid = ns.sh('id -u moat').trim()
      expect(Number(uid)).toBeGreaterThan(0)
      const status = ns.sh(`cat /proc/${main}/status`)
      expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'))
      expect(status).toMatch(/^CapEff:\s+0000000000000400$/m) // bit 10 = CAP_NET_BIND_SERVICE
      expect(status).toMatch(/^CapBnd:\s+0000000000000400$/m)
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m)
      expect(status).toMatch(/^Seccomp:\s+2$/m)
      expect(ns.sh(`tr '\\0' '\\n' < /proc/${main}/environ`)).toMatch(/^MOAT_HOST=127\.0\.0\.1$/m)
      expect(show('User,ProtectSystem,ReadWritePaths,NoNewPrivileges,PrivateTmp,ProtectHome')).toEqual({
        User: 'moat', ProtectSystem: 'strict', ReadWritePaths: '/var/lib/moat', NoNewPrivileges: 'yes', PrivateTmp: 'yes', ProtectHome: 'yes',
      })

      // In the service's own mount namespace everything but the data folder (and its private
      // /tmp) is read-only at mount level: even root gets EROFS there.
      const writable = (p: string) => ns.run(['nsenter', '-t', main, '-m', 'sh', '-c', `touch '${p}' && rm '${p}'`])
      for (const p of ['/etc/moat-probe', '/opt/moat/moat-probe', '/usr/local/bin/moat-probe', '/var/lib/moat-probe', '/usr/bin/moat-probe', '/root/moat-probe']) {
        const res = writable(p)
        expect(res.status, p).not.toBe(0)
        expect(res.stderr, p).toMatch(/Read-only file system|Permission denied/)
      }
      expect(writable('/var/lib/moat/moat-probe').status).toBe(0)
      // PrivateTmp: the service's /tmp is its own.
      expect(ns.run(['nsenter', '-t', main, '-m', 'touch', '/tmp/moat-private-probe']).status).toBe(0)
      expect(ns.sh('ls -a /tmp')).not.toMatch(/moat-private-probe/)

      // Stop: SIGTERM, the launcher exits 0 by itself (not killed at the timeout).
      expect(ns.run(['systemctl', 'stop', 'moat']).status).toBe(0)
      expect(show('ActiveState,Result,ExecMainCode,ExecMainStatus')).toEqual({ ActiveState: 'inactive', Result: 'success', ExecMainCode: '1', ExecMainStatus: '0' })
      expect(journal()).toMatch(/"msg":"stopped"/)
      expect(ns.run(['systemctl', 'start', 'moat']).status).toBe(0)
      expect(probe().health).toMatchObject({ status: 'ok' })

      // Upgrade: the next package's install.sh stops Moat, keeps /opt/moat.prev, starts the new
      // one; its new migration makes Moat back the database up first. The data survives: the
      // first admin signs in with the password of the first start, no second admin is created.
      const upgraded = ns.run(['/run/moat-package/next/install.sh'], { timeout: 120_000 })
      expect(upgraded.status, upgraded.stderr + upgraded.stdout).toBe(0)
      const after = probe(password)
      expect(after.health, `${after.lastError}\n${journal()}`).toMatchObject({ status: 'ok', database: { ok: true } })
      expect(after.login.status, JSON.stringify(after.login.body)).toBe(200)
      expect(after.login.body).toMatchObject({ user: { username: 'admin' }, mustChangePassword: true })
      expect(ns.sh('ls -d /opt/moat.prev /opt/moat/schema/migrations/9999_systemd_upgrade_probe.sql')).toContain('/opt/moat.prev')
      expect(ns.sh('ls /var/lib/moat/backups')).toMatch(/^moat-pre-upgrade-.*\.sqlite$/m)
      const upgradeLog = journal()
      expect(upgradeLog).toMatch(/"msg":"database backed up before migrations".*"pending":\["9999_systemd_upgrade_probe\.sql"\]/)
      expect(upgradeLog.match(/one-time password:/g)).toHaveLength(1)
    } finally {
      await ns.stop()
    }
    // Nothing of it is left on this machine.
    expect(readFileSync('/etc/passwd', 'utf8')).toBe(before.passwd)
    expect(hostPaths.filter((p) => existsSync(p))).toEqual(before.paths)
    expect(spawnSync('sh', ['-c', 'ls -d /sys/fs/cgroup/unified/moat-test-* /sys/fs/cgroup/moat-test-* 2>/dev/null']).stdout.toString()).toBe('')
  }, 300_000)
})
