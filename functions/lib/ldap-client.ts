// Talks to the directory through the launcher (HOST `POST /v1/ldap/login|test`, bin/host-ldap.ts):
// workerd has no LDAP client. The bind password is read from the encrypted settings here and sent
// only to the launcher; it is never put in a message, a log line or an API answer.
import type { LdapConfig, LdapTestResult, LdapTestStep } from '../../schema/contracts/ldap'
import { roleFromGroups } from '../domain/ldap'
import type { Bindings, Db } from '../env'
import { readSecretSetting } from '../repos/secret-settings'

export interface LdapConnection {
  url: string
  startTls: boolean
  caPem: string
  bindDn: string
  bindPassword: string
  searchBase: string
  searchFilter: string
  timeoutMs: number
}

export type LdapLoginAnswer =
  | { ok: true; dn: string; displayName: string; email: string; groups: string[] }
  | { ok: false; code: string; message: string }

export class LdapUnavailable extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LdapUnavailable'
  }
}

export async function connectionFor(db: Db, env: Bindings, config: LdapConfig): Promise<LdapConnection> {
  return {
    url: config.url,
    startTls: config.startTls,
    caPem: config.caPem,
    bindDn: config.bindDn,
    bindPassword: config.bindDn ? ((await readSecretSetting(db, env.SECRETS_KEY, 'ldap.bindPassword')) ?? '') : '',
    searchBase: config.searchBase,
    searchFilter: config.searchFilter,
    timeoutMs: config.timeoutSeconds * 1000,
  }
}

async function host<T>(env: Bindings, path: string, body: unknown): Promise<T> {
  if (!env.HOST) throw new LdapUnavailable('This deployment has no launcher to reach the directory from')
  const res = await env.HOST.fetch(`http://host${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new LdapUnavailable(err?.error?.message ?? `the launcher answered ${res.status}`)
  }
  return (await res.json()) as T
}

/** Search the user, read the mapped groups and bind as the user. */
export function ldapLogin(env: Bindings, conn: LdapConnection, username: string, password: string, groupDns: string[]) {
  return host<LdapLoginAnswer>(env, '/v1/ldap/login', { conn, username, password, groupDns })
}

/** "Test connection": each step's outcome, and the role the mappings would give. */
export async function ldapTest(env: Bindings, conn: LdapConnection, config: Pick<LdapConfig, 'groups'>, username: string, password?: string): Promise<LdapTestResult> {
  const r = await host<{ ok: boolean; steps: LdapTestStep[]; dn: string | null; groups: string[] }>(env, '/v1/ldap/test', {
    conn,
    username,
    password: password || undefined,
    groupDns: config.groups.map((g) => g.dn),
  })
  return { ...r, role: r.dn ? roleFromGroups(config.groups, r.groups) : null }
}
