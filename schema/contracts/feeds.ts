import { z } from 'zod'

const FeedPattern = z
  .string()
  .trim()
  .regex(/^\/(feed|taxii2?)\/[a-z0-9_/.-]*\*?$/, 'must be a feed path such as /feed/pa/ip, /feed/cp/*, /taxii2/ip or /taxii/moat-ip')
const Cidr = z.string().trim().min(1).max(64)

export const ConsumerInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters'),
    description: z.string().max(500, 'is longer than 500 characters').optional(),
    allowedFeeds: z.array(FeedPattern).max(100).optional(),
    allowedSources: z.array(Cidr).max(100).optional(),
  })
  .strict()
export const ConsumerPatch = ConsumerInput.partial().extend({ active: z.boolean().optional() }).strict()

export const Consumer = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  tokenPrefix: z.string().nullable(),
  previousTokenUntil: z.string().nullable(),
  allowedFeeds: z.array(z.string()),
  allowedSources: z.array(z.string()),
  active: z.boolean(),
  lastSeenAt: z.string().nullable(),
  lastAddress: z.string().nullable(),
  lastFeed: z.string().nullable(),
  lastStatus: z.number().nullable(),
  createdAt: z.string(),
})
export const ConsumerList = z.object({ items: z.array(Consumer) })
export const ConsumerWithToken = z.object({ consumer: Consumer, token: z.string() })

export const FeedSettings = z
  .object({
    access: z.enum(['public', 'token']),
    paDomainWildcard: z.boolean(),
    cpIpv6: z.boolean(),
    shrinkAlertShare: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1'),
    tokenGraceHours: z.number().int().min(0).max(24 * 30),
    publicUrl: z
      .string()
      .trim()
      .max(200)
      .regex(/^(https?:\/\/[^\s/?#]+(\/[^\s?#]*)?)?$/, 'must be empty or an http(s) URL such as https://moat.example.org, without query or fragment'),
    taxiiTlp: z.enum(['', 'white', 'green', 'amber', 'red']),
    limits: z.record(z.string().regex(/^\/feed\/[a-z0-9_/.-]+$/, 'must be a feed path'), z.number().int().min(1, 'must be at least 1').max(100_000_000)),
  })
  .partial()
  .strict()

export const CatalogueEntry = z.object({
  path: z.string(),
  title: z.string(),
  format: z.string(),
  types: z.array(z.string()),
  deprecated: z.boolean(),
  aliasOf: z.string().nullable(),
  entries: z.number().nullable(),
  bytes: z.number().nullable(),
  dropped: z.number().nullable(),
  builtAt: z.string().nullable(),
  limit: z.number().nullable(),
  overLimit: z.boolean(),
})
export const Catalogue = z.object({ items: z.array(CatalogueEntry), settings: FeedSettings.required() })
