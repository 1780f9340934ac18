import { z } from 'zod'
import { Role } from './common'

// LDAP / Active Directory sign-in settings (README "LDAP / Active Directory"). Shared by the API
// (validation) and the Settings screen (the same rules, errors shown per field).

/** `local`: local passwords only. `both`: local accounts by password, every other name through the
 * directory. `ldap`: the directory for everyone; only local *admins* keep signing in by password
 * (break-glass, so a broken directory cannot lock the admins out). */
export const AUTH_MODES = ['local', 'both', 'ldap'] as const
export const AuthMode = z.enum(AUTH_MODES)
export type AuthMode = z.infer<typeof AuthMode>

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----\s*[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/

/** ldap:// or ldaps://, a host, an optional port, nothing else. */
export const LdapUrl = z
  .string()
  .trim()
  .max(2048, 'is longer than 2048 characters')
  .transform((v) => v.replace(/\/+$/, ''))
  .refine((v) => {
    if (v === '') return true
    try {
      const u = new URL(v)
      return (u.protocol === 'ldap:' || u.protocol === 'ldaps:') && !!u.hostname && !u.username && !u.password && !u.search && !u.hash && (u.pathname === '' || u.pathname === '/')
    } catch {
      return false
    }
  }, 'must be an ldap:// or ldaps:// address (host and optional port only)')

export const LdapCaPem = z
  .string()
  .max(65536, 'is longer than 64 KiB')
  .refine((v) => v.trim() === '' || CERT_BLOCK.test(v), 'must be PEM text with at least one -----BEGIN CERTIFICATE----- block')

/** A DN as text: `cn=x,dc=example,dc=org`. Checked for shape (attr=value pairs), not against a schema. */
const DN_SHAPE = /^\s*[A-Za-z][\w-]*(\.\d+)*\s*=\s*[^,=]*(\\.[^,=]*)*(\s*[,;+]\s*[A-Za-z][\w-]*\s*=.*)*$/
export const Dn = z
  .string()
  .trim()
  .max(1024, 'is longer than 1024 characters')
  .refine((v) => v === '' || DN_SHAPE.test(v), 'must be a DN such as cn=moat,ou=services,dc=example,dc=org')

export const LdapFilter = z
  .string()
  .trim()
  .max(1024, 'is longer than 1024 characters')
  .refine((v) => v.includes('{username}'), 'must contain the {username} placeholder')
  .refine((v) => v.startsWith('(') && v.endsWith(')') && balanced(v), 'must be one LDAP filter in parentheses, such as (&(objectClass=person)(uid={username}))')

function balanced(v: string) {
  let depth = 0
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '\\') i++
    else if (v[i] === '(') depth++
    else if (v[i] === ')' && --depth < 0) return false
  }
  return depth === 0
}

export const LdapGroupMapping = z
  .object({
    dn: Dn.refine((v) => v !== '', 'is required'),
    role: Role,
  })
  .strict()
export type LdapGroupMapping = z.infer<typeof LdapGroupMapping>

const whole = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)

/** Everything but the bind password (a secret, stored encrypted apart: `ldap.bindPassword`). */
export const LdapConfig = z.object({
  mode: AuthMode,
  url: LdapUrl,
  startTls: z.boolean(),
  caPem: LdapCaPem,
  bindDn: Dn,
  searchBase: Dn,
  searchFilter: LdapFilter,
  groups: z.array(LdapGroupMapping).max(50, 'has more than 50 mappings'),
  timeoutSeconds: whole(1, 60),
})
export type LdapConfig = z.infer<typeof LdapConfig>

export const LDAP_DEFAULTS: LdapConfig = {
  mode: 'local',
  url: '',
  startTls: false,
  caPem: '',
  bindDn: '',
  searchBase: '',
  searchFilter: '(&(objectClass=person)(uid={username}))',
  groups: [],
  timeoutSeconds: 10,
}

export const LdapBindPassword = z.string().max(1024, 'is longer than 1024 characters')

/** PATCH body: any subset of the settings, plus `bindPassword` (write-only; '' removes it). */
export const LdapSettingsInput = LdapConfig.extend({ bindPassword: LdapBindPassword }).partial().strict()
export type LdapSettingsInput = z.input<typeof LdapSettingsInput>

/** Test the saved settings, or these values over them; `username` is looked up, `password` (optional) tried. */
export const LdapTestInput = LdapConfig.omit({ mode: true, groups: true })
  .extend({
    bindPassword: LdapBindPassword,
    groups: z.array(LdapGroupMapping).max(50, 'has more than 50 mappings'),
  })
  .partial()
  .extend({
    username: z.string().trim().min(1, 'is required').max(128, 'is longer than 128 characters'),
    password: z.string().max(1024, 'is longer than 1024 characters').optional(),
  })
  .strict()
export type LdapTestInput = z.input<typeof LdapTestInput>

export const LDAP_TEST_STEPS = ['connect', 'starttls', 'bind', 'search', 'groups', 'userBind'] as const
export type LdapTestStepName = (typeof LDAP_TEST_STEPS)[number]

export const LdapTestStep = z.object({
  step: z.enum(LDAP_TEST_STEPS),
  ok: z.boolean(),
  ms: z.number(),
  /** English detail: the DN found, groups matched, or the error. */
  message: z.string(),
  /** Machine code for a failure (`invalid_credentials`, `tls`, `connect`, `not_found`...). */
  code: z.string().optional(),
})
export type LdapTestStep = z.infer<typeof LdapTestStep>

export const LdapTestResult = z.object({
  ok: z.boolean(),
  steps: z.array(LdapTestStep),
  dn: z.string().nullable(),
  /** The mapped group DNs the user is in. */
  groups: z.array(z.string()),
  /** The role these groups give (null: refused). */
  role: Role.nullable(),
})
export type LdapTestResult = z.infer<typeof LdapTestResult>

/** GET/PATCH answer: the settings, and of the bind password only whether it is set. */
export const LdapSettingsView = z.object({
  settings: LdapConfig.extend({
    bindPassword: z.object({ set: z.boolean(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() }),
  }),
})
export type LdapSettingsView = z.infer<typeof LdapSettingsView>
