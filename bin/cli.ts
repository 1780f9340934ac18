import { parseArgs } from 'node:util'
import { buildAll } from './build'
import { optionsFromEnv, readWranglerConfig } from './config'
import { log } from './log'
import { bootstrapAdmin, createRuntime, migrate, releaseStaleLeases, type Runtime } from './runtime'
import { fireScheduled, startScheduler } from './scheduler'
import { runImport } from './import'
import { addUser, resetPassword } from './users'
import { chooseTls, startRedirect } from './tls-launch'
import { runBackupCommand, runRestoreCommand, startDailyBackups, writePid, backupBeforeMigrations } from './backup-cli'

const USAGE = `Usage: moat <command>

  start [--https] [--self-signed]
                                build if needed, migrate, serve UI + API + feeds, fire crons;
                                HTTPS when a certificate is configured (Admin > TLS);
                                --self-signed generates one on the first HTTPS start
  build                         bundle the worker and build the UI
  package [--out DIR]           offline bundle: build + production node_modules + install.sh
                                in one tar.gz (DIR defaults to ./artifacts)
  migrate                       apply pending database migrations and exit
  run-job <name>                run one scheduled job now (e.g. housekeeping)
  user add <username> [--role admin|analyst|viewer] [--display-name NAME]
                                create a local user with a one-time password (printed once)
  backup <file>                 consistent snapshot of the database (safe while Moat is serving)
  restore <file> [--force-new]  check a backup's integrity and put it in place (Moat stopped);
                                the current database is kept in <data>/backups first
  user reset-password <username>
                                set a new one-time password, unlock, end the user's sessions
  import ziochub <data-dir | ziochub.db> [--commit] [--yara-dir D] [--source-tz ZONE]
  import threatgate <dir>       migrate from ZIoCHub or ThreatGate (staged for review;
  import commit <batch-id>      'moat import --help' tells more); run with Moat stopped

Environment: MOAT_DATA (./data), MOAT_HOST (127.0.0.1), MOAT_PORT (8787),
MOAT_ADMIN_PASSWORD (first admin's password instead of a generated one),
MOAT_TLS_KEY + MOAT_TLS_CERT (PEM files: serve HTTPS), MOAT_HTTP_PORT (with HTTPS: a plain
listener that redirects to HTTPS), MOAT_SERVER_NAME (self-signed certificate's name),
MOAT_BACKUP_CRON (daily backup time, default '30 2 * * *' UTC), MOAT_TRUSTED_PROXIES
(reverse proxies whose X-Forwarded-For is believed), MOAT_DEBUG=1 (verbose logs).`

function printOnce(title: string, lines: string[]) {
  // Deliberately not a structured log line: the one-time password is shown once and never logged.
  const bar = '='.repeat(64)
  process.stdout.write(`\n${bar}\n  ${title}\n${lines.map((l) => `  ${l}`).join('\n')}\n${bar}\n\n`)
}

/** A runtime on a free loopback port, for commands that only need the database. */
async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await createRuntime({ ...optionsFromEnv(), host: '127.0.0.1', port: 0 })
  try {
    await backupBeforeMigrations(rt)
    await migrate(rt)
    return await fn(rt)
  } finally {
    await rt.dispose()
  }
}

async function start(args: string[]) {
  const { values: flags } = parseArgs({ args, options: { https: { type: 'boolean' }, 'self-signed': { type: 'boolean' } } })
  const tls = await chooseTls(optionsFromEnv(), {
    https: Boolean(flags.https) || process.env.MOAT_HTTPS === '1',
    selfSigned: Boolean(flags['self-signed']) || process.env.MOAT_TLS_SELF_SIGNED === '1',
  })
  const opts = tls.opts
  await buildAll({ ifStale: true })
  const rt = await createRuntime(opts)
  const releasePid = writePid(opts.dataDir)
  await backupBeforeMigrations(rt)
  const applied = await migrate(rt)
  if (applied.length) log('info', 'migrations applied', { applied })
  if (await releaseStaleLeases(rt)) log('warn', 'a MISP pull was interrupted by the last stop; its lease is released')
  const admin = await bootstrapAdmin(rt, opts.adminPassword)
  if (admin.password) {
    printOnce('First start: an administrator account was created', [
      `username: admin`,
      `one-time password: ${admin.password}`,
      'It is shown only this once and must be changed at first sign-in.',
    ])
  } else if (admin.created) {
    log('info', 'first start: admin created with MOAT_ADMIN_PASSWORD; it must be changed at first sign-in')
  }
  const worker = await rt.mf.getWorker()
  const cfg = readWranglerConfig()
  const scheduler = startScheduler(cfg.crons, (cron, at) => fireScheduled(worker as never, cron, at))
  const backups = startDailyBackups(rt)
  const redirectPort = process.env.MOAT_HTTP_PORT ? Number(process.env.MOAT_HTTP_PORT) : null
  const redirect =
    opts.httpsCertPath && redirectPort !== null ? await startRedirect(opts.host, redirectPort, Number(rt.url.port || 443), tls.serverName) : null
  log('info', 'moat is listening', {
    url: rt.url.href,
    ...(redirect ? { redirectFrom: `http://${opts.host}:${redirectPort}` } : {}),
    data: opts.dataDir,
    crons: scheduler.next(),
  })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log('info', 'shutting down', { signal })
    scheduler.stop()
    backups.stop()
    redirect?.close()
    await rt.dispose()
    releasePid()
    log('info', 'stopped')
    process.exit(0)
  }
  // Miniflare registers exit hooks that end the process with 143 before an async dispose can
  // finish; this handler disposes the runtime itself and exits 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, () => void stop(signal))
  }
}

export async function main(argv: string[]) {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'start':
        return await start(rest)
      case 'build':
        return await buildAll()
      case 'package':
        return await (await import('./package')).runPackageCommand(rest)
      case 'backup':
        return await runBackupCommand(rest, optionsFromEnv().dataDir)
      case 'restore':
        return await runRestoreCommand(rest, optionsFromEnv())
      case 'migrate': {
        const applied = await withRuntime(migrate)
        log('info', applied.length ? 'migrations applied' : 'database is up to date', { applied })
        return
      }
      case 'run-job': {
        const name = rest[0]
        if (!name) throw new Error('run-job needs a job name')
        await buildAll({ ifStale: true })
        await withRuntime(async (rt) => fireScheduled((await rt.mf.getWorker()) as never, `job:${name}`, new Date()))
        return
      }
      case 'import':
        await runImport(rest, { withRuntime, prepare: () => buildAll({ ifStale: true }) })
        return
      case 'user': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { role: { type: 'string', default: 'analyst' }, 'display-name': { type: 'string' } },
        })
        const [sub, username] = positionals
        if (!username || (sub !== 'add' && sub !== 'reset-password')) throw new Error(USAGE)
        const password = await withRuntime((rt) =>
          sub === 'add' ? addUser(rt, username, values.role!, values['display-name']) : resetPassword(rt, username),
        )
        printOnce(sub === 'add' ? `User '${username}' created` : `Password of '${username}' reset`, [
          `one-time password: ${password}`,
          'It must be changed at the next sign-in.',
        ])
        return
      }
      default:
        process.stdout.write(USAGE + '\n')
        if (command && command !== 'help' && command !== '--help') process.exitCode = 2
    }
  } catch (err) {
    log('error', err instanceof Error ? err.message : String(err), { command })
    process.exit(1)
  }
}
