import { z } from 'zod'

/** Token scopes are levels: read (GET only) < write (plus analyst writes) < admin (plus admin routes). */
export const TokenScope = z.enum(['read', 'write', 'admin'])
export type TokenScope = z.infer<typeof TokenScope>

export const TokenInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters'),
    scopes: z
      .array(TokenScope)
      .min(1, 'must name at least one scope')
      .max(3, 'has more than 3 scopes')
      .refine((s) => new Set(s).size === s.length, 'lists a scope twice'),
    /** null or absent: never expires. */
    expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time' }).nullable().optional(),
  })
  .strict()
export type TokenInput = z.infer<typeof TokenInput>

export const TokenQuery = z.object({
  /** Admins: `all` lists every user's tokens. */
  owner: z.enum(['me', 'all']).default('me'),
  userId: z.coerce.number().int().positive('must be a positive integer').optional(),
})

export const TokenStatus = z.enum(['active', 'expired', 'revoked'])

export const ApiToken = z.object({
  id: z.number(),
  name: z.string(),
  scopes: z.array(TokenScope),
  prefix: z.string(),
  status: TokenStatus,
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  user: z.object({ id: z.number(), username: z.string(), displayName: z.string() }),
})
export type ApiToken = z.infer<typeof ApiToken>

export const TokenList = z.object({ items: z.array(ApiToken) })
/** The token itself is in this answer only: Moat keeps its SHA-256. */
export const TokenCreated = z.object({ token: ApiToken, secret: z.string() })
