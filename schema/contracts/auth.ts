import { z } from 'zod'
import { Role } from './common'

export const MIN_PASSWORD_LENGTH = 12

export const LoginInput = z.object({
  username: z.string().trim().min(1, 'is required').max(128, 'is longer than 128 characters'),
  password: z.string().min(1, 'is required').max(1024, 'is longer than 1024 characters'),
})
export type LoginInput = z.infer<typeof LoginInput>

export const PasswordChangeInput = z.object({
  current: z.string().min(1, 'is required').max(1024),
  new: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024, 'is longer than 1024 characters'),
})
export type PasswordChangeInput = z.infer<typeof PasswordChangeInput>

export const ProfileInput = z
  .object({
    displayName: z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters'),
    email: z.union([z.literal(''), z.email('is not a valid email address').max(254)]),
    roleDescription: z.string().trim().max(200, 'is longer than 200 characters'),
    locale: z.enum(['en', 'he']),
    theme: z.enum(['light', 'dark', 'system']),
  })
  .partial()
  .strict()
export type ProfileInput = z.infer<typeof ProfileInput>

/** The signed-in user as the API shows it (never a hash, never a secret). */
export const Me = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: Role,
  roleDescription: z.string(),
  source: z.enum(['local', 'ldap', 'system']),
  locale: z.enum(['en', 'he']),
  theme: z.enum(['light', 'dark', 'system']),
  hasAvatar: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
})
export type Me = z.infer<typeof Me>

export const LoginResult = z.object({
  user: Me,
  mustChangePassword: z.boolean(),
  csrfToken: z.string(),
  expiresAt: z.string(),
})
export type LoginResult = z.infer<typeof LoginResult>

export const MeResult = z.object({ user: Me, csrfToken: z.string() })
export type MeResult = z.infer<typeof MeResult>

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  time: z.string(),
  database: z.object({ ok: z.boolean(), latencyMs: z.number() }),
  disk: z.object({ ok: z.boolean(), freeBytes: z.number(), totalBytes: z.number() }).optional(),
  jobs: z.record(
    z.string(),
    z.object({ lastSuccessAt: z.string().nullable(), lastOutcome: z.string().nullable() }),
  ),
})
export type Health = z.infer<typeof Health>
