import { randomBytes } from 'node:crypto'
import { Log, LogLevel, Miniflare } from 'miniflare'
import { hashPassword } from '../functions/lib/password'
import { WORKER_BUNDLE } from './build'
import { packageVersion, readWranglerConfig, type LaunchOptions } from './config'
import { startFront, type Front } from './front'
import { createHostHandler } from './host'
import { loadOrCreateKeys } from './keys'
import { applyMigrations } from './migrate'

class QuietLog extends Log {
  constructor() {
    super(process.env.MOAT_DEBUG ? LogLevel.DEBUG : LogLevel.WARN)
  }
}

export interface Runtime {
  mf: Miniflare
  url: URL
  dataDir: string
  /** The client-facing listener (bin/front.ts). */
  front: Front
  dispose(): Promise<void>
}

/** Builds the Miniflare instance that runs the bundled worker in workerd with Moat's bindings. */
export async function createRuntime(opts: LaunchOptions): Promise<Runtime> {
  const cfg = readWranglerConfig()
  const keys = loadOrCreateKeys(opts.dataDir)
  const https = opts.httpsKeyPath && opts.httpsCertPath
  const mf = new Miniflare({
    // workerd listens on loopback only; clients reach it through the front (bin/front.ts).
    host: '127.0.0.1',
    port: 0,
    // Without this Miniflare downloads request.cf data from the internet at start.
    cf: false,
    telemetry: { enabled: false },
    log: new QuietLog(),
    defaultPersistRoot: opts.dataDir,
    workers: [
      {
        name: cfg.name,
        modules: true,
        scriptPath: WORKER_BUNDLE,
        compatibilityDate: cfg.compatibilityDate,
        compatibilityFlags: cfg.compatibilityFlags,
        d1Databases: { DB: cfg.databaseId },
        bindings: {
          ...cfg.vars,
          MOAT_VERSION: packageVersion(),
          SESSION_SECRET: keys.sessionSecret,
          SECRETS_KEY: keys.secretsKey,
        },
        serviceBindings: { HOST: createHostHandler(opts.dataDir, { servingCertPath: https ? opts.httpsCertPath : undefined }) },
        assets: {
          directory: cfg.assetsDir,
          routerConfig: { has_user_worker: true, static_routing: { user_worker: cfg.userWorkerRoutes } },
          // Security headers for the UI come from web/public/_headers (copied into web/dist).
          assetConfig: { not_found_handling: 'single-page-application' },
        },
      },
    ],
  })
  const upstream = await mf.ready
  let front
  try {
    front = await startFront({
      host: opts.host,
      port: opts.port,
      upstream,
      tls: https ? { keyPath: opts.httpsKeyPath!, certPath: opts.httpsCertPath! } : undefined,
      trustedProxies: opts.trustedProxies,
    })
  } catch (err) {
    await mf.dispose()
    throw err
  }
  const running = front
  return {
    mf,
    url: running.url,
    dataDir: opts.dataDir,
    front: running,
    async dispose() {
      await running.close()
      await mf.dispose()
    },
  }
}

export async function migrate(rt: Runtime): Promise<string[]> {
  const cfg = readWranglerConfig()
  const db = await rt.mf.getD1Database('DB')
  return applyMigrations(db as never, cfg.migrationsDir)
}

/**
 * At start no pull can be running (one launcher per data folder): a MISP pull lease left by a
 * process that was killed is expired at once, so the next pull closes that run as interrupted and
 * starts, instead of waiting out the 15-minute lease.
 */
export async function releaseStaleLeases(rt: Runtime): Promise<boolean> {
  const db = await rt.mf.getD1Database('DB')
  const past = new Date(Date.now() - 1000).toISOString()
  const res = await db.prepare(`UPDATE misp_sync_state SET lease_until = ? WHERE lease_token IS NOT NULL AND lease_until > ?`).bind(past, past).run()
  return (res.meta.changes ?? 0) > 0
}

/** A one-time password: 20 characters from an alphabet without look-alikes. */
export function oneTimePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('')
}

/**
 * On an empty database, creates `admin` with a one-time password (or MOAT_ADMIN_PASSWORD) that
 * must be changed at first login. Returns the password when it was generated, so it can be
 * printed once; never logs it.
 */
export async function bootstrapAdmin(rt: Runtime, given?: string): Promise<{ created: boolean; password?: string }> {
  const db = await rt.mf.getD1Database('DB')
  // System accounts (e.g. `misp`, created by a migration) do not count: nobody can sign in as them.
  const count = await db.prepare(`SELECT count(*) AS n FROM users WHERE source <> 'system'`).first<{ n: number }>()
  if (count && count.n > 0) return { created: false }
  const password = given ?? oneTimePassword()
  await db
    .prepare(
      `INSERT INTO users (username, display_name, role, source, password_hash, must_change_password, role_description)
       VALUES ('admin', 'Administrator', 'admin', 'local', ?, 1, 'Built-in administrator')`,
    )
    .bind(await hashPassword(password))
    .run()
  await db
    .prepare(`INSERT INTO audit_log (action, outcome, actor, target, details) VALUES ('user.create', 'success', 'system', 'admin', ?)`)
    .bind(JSON.stringify({ reason: 'first start', role: 'admin' }))
    .run()
  return { created: true, password: given ? undefined : password }
}
