// LDAP pieces that need no network: filter escaping (RFC 4515), DN comparison and the group → role
// rule. Used by the launcher's LDAP client (bin/host-ldap.ts) and by the worker.
import type { Role } from '../../schema/contracts/common'
import type { LdapGroupMapping } from '../../schema/contracts/ldap'

/** RFC 4515 section 3: `\ * ( )` and NUL become `\5c \2a \28 \29 \00` inside a filter value. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (ch) => '\\' + ch.charCodeAt(0).toString(16).padStart(2, '0'))
}

/** The configured filter with every `{username}` replaced by the escaped name. */
export function userFilter(template: string, username: string): string {
  return template.split('{username}').join(escapeFilterValue(username))
}

/** For comparing DNs: case and the spaces around separators do not matter. */
export const normalizeDn = (dn: string) => dn.trim().replace(/\s*([,=+;])\s*/g, '$1').toLowerCase()

const PRECEDENCE: Role[] = ['admin', 'analyst', 'viewer']

/**
 * The role a directory user gets: the mappings are tried by role precedence (admin, then analyst,
 * then viewer) and the first mapped group the user is in decides. Null: in no mapped group (refused).
 */
export function roleFromGroups(mappings: LdapGroupMapping[], memberOf: string[]): Role | null {
  const mine = new Set(memberOf.map(normalizeDn))
  for (const role of PRECEDENCE) {
    if (mappings.some((m) => m.role === role && mine.has(normalizeDn(m.dn)))) return role
  }
  return null
}
