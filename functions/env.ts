import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import { createMiddleware } from 'hono/factory'
import * as schema from '../schema/tables'
import type { Role } from '../schema/contracts/common'

export type Db = DrizzleD1Database<typeof schema>

export interface Bindings {
  DB: D1Database
  /** Node side of the launcher: host-only capabilities (disk, later LDAP, syslog, backups). */
  HOST?: Fetcher
  /** HMAC key for session JWTs; the launcher keeps it in the data folder. */
  SESSION_SECRET: string
  /** AES-256-GCM key for secrets at rest (lib/secrets.ts); the launcher keeps it in the data folder. */
  SECRETS_KEY?: string
  MOAT_VERSION?: string
}

export interface Principal {
  id: number
  username: string
  role: Role
  mustChangePassword: boolean
  via: 'cookie' | 'bearer'
  /** Bearer requests: the API token (its role above is already limited by the token's scope). */
  token?: { id: number; name: string; scope: 'read' | 'write' | 'admin'; userRole: Role }
}

export interface Variables {
  db: Db
  user: Principal
  requestId: string
  clientIp: string
  /** Set when the request wrote an audit record: it is shipped (CEF file, syslog) right after. */
  audited?: boolean
}

export type AppEnv = { Bindings: Bindings; Variables: Variables }

export const dbMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  c.set('db', drizzle(c.env.DB, { schema }))
  c.set('clientIp', c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'unknown')
  await next()
})

export function createDb(d1: D1Database): Db {
  return drizzle(d1, { schema })
}
