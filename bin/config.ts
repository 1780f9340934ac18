import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'smol-toml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface WranglerConfig {
  name: string
  compatibilityDate: string
  compatibilityFlags: string[]
  databaseId: string
  migrationsDir: string
  assetsDir: string
  userWorkerRoutes: string[]
  crons: string[]
  vars: Record<string, string>
}

/** Reads wrangler.toml: the one description of the worker for both workerd here and Cloudflare. */
export function readWranglerConfig(file = path.join(ROOT, 'wrangler.toml')): WranglerConfig {
  const toml = parse(readFileSync(file, 'utf8')) as Record<string, any>
  const d1 = (toml.d1_databases ?? []).find((d: any) => d.binding === 'DB')
  if (!d1) throw new Error('wrangler.toml has no [[d1_databases]] with binding = "DB"')
  return {
    name: toml.name,
    compatibilityDate: toml.compatibility_date,
    compatibilityFlags: toml.compatibility_flags ?? [],
    databaseId: d1.database_id,
    migrationsDir: path.join(ROOT, d1.migrations_dir ?? 'migrations'),
    assetsDir: path.join(ROOT, toml.assets?.directory ?? 'web/dist'),
    userWorkerRoutes: toml.assets?.run_worker_first ?? [],
    crons: toml.triggers?.crons ?? [],
    vars: toml.vars ?? {},
  }
}

export interface LaunchOptions {
  dataDir: string
  host: string
  port: number
  adminPassword?: string
  httpsKeyPath?: string
  httpsCertPath?: string
  /** Addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed (MOAT_TRUSTED_PROXIES). */
  trustedProxies?: string[]
}

/** Options from the environment: MOAT_DATA, MOAT_HOST, MOAT_PORT, MOAT_ADMIN_PASSWORD, MOAT_TLS_*, MOAT_TRUSTED_PROXIES. */
export function optionsFromEnv(env = process.env): LaunchOptions {
  const port = Number(env.MOAT_PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`MOAT_PORT must be 0-65535, got '${env.MOAT_PORT}'`)
  const key = env.MOAT_TLS_KEY
  const cert = env.MOAT_TLS_CERT
  if (Boolean(key) !== Boolean(cert)) throw new Error('Set both MOAT_TLS_KEY and MOAT_TLS_CERT, or neither')
  return {
    dataDir: path.resolve(env.MOAT_DATA ?? path.join(process.cwd(), 'data')),
    host: env.MOAT_HOST ?? '127.0.0.1',
    port,
    adminPassword: env.MOAT_ADMIN_PASSWORD || undefined,
    httpsKeyPath: key,
    httpsCertPath: cert,
    trustedProxies: (env.MOAT_TRUSTED_PROXIES ?? '').split(',').map((e) => e.trim()).filter(Boolean),
  }
}

export function packageVersion(): string {
  return JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version
}
