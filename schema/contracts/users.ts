import { z } from 'zod'
import { Me } from './auth'
import { Role } from './common'

export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/

const DisplayName = z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters')
const Email = z.union([z.literal(''), z.email('is not a valid email address').max(254)])
const RoleDescription = z.string().trim().max(200, 'is longer than 200 characters')

export const UserCreateInput = z
  .object({
    username: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(64, 'is longer than 64 characters')
      .regex(USERNAME_PATTERN, 'may contain only letters, digits and . _ @ -'),
    displayName: DisplayName.optional(),
    email: Email.optional(),
    role: Role,
    roleDescription: RoleDescription.optional(),
  })
  .strict()
export type UserCreateInput = z.infer<typeof UserCreateInput>

export const UserPatch = z
  .object({
    displayName: DisplayName,
    email: Email,
    role: Role,
    roleDescription: RoleDescription,
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'names no field to change')
export type UserPatch = z.infer<typeof UserPatch>

export const UserQuery = z.object({
  q: z.string().trim().max(100, 'is longer than 100 characters').optional(),
  role: Role.optional(),
  source: z.enum(['local', 'ldap', 'system']).optional(),
  active: z.enum(['true', 'false']).optional(),
})

/** A user as admins see it: the profile plus account state. Never a hash. */
export const AdminUser = Me.extend({
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  activeTokens: z.number(),
  updatedAt: z.string(),
})
export type AdminUser = z.infer<typeof AdminUser>

export const UserList = z.object({ items: z.array(AdminUser) })
/** `password` is the one-time password: shown once, to be changed at the first sign-in. */
export const UserWithPassword = z.object({ user: AdminUser, password: z.string() })
