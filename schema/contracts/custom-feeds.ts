import { z } from 'zod'
import { IOC_TYPES } from '../../functions/domain/ioc'
import { Tag } from './iocs'

/** Output formats of a custom feed: the built-in device formats plus CSV, JSON and STIX 2.1. */
export const CUSTOM_FORMATS = ['plain', 'pa-ip', 'pa-domain', 'pa-url', 'cp', 'cp-network', 'esa', 'csv', 'json', 'stix'] as const
export type CustomFormat = (typeof CUSTOM_FORMATS)[number]

/** IOC types each format can carry (the device reads one type per list where it says so). */
export const FORMAT_TYPES: Record<CustomFormat, readonly string[]> = {
  plain: IOC_TYPES,
  'pa-ip': ['ip'],
  'pa-domain': ['domain'],
  'pa-url': ['url'],
  cp: IOC_TYPES,
  'cp-network': ['ip', 'domain'],
  esa: ['email'],
  csv: IOC_TYPES,
  json: IOC_TYPES,
  stix: IOC_TYPES,
}

/** Formats where a full-line `#` comment is valid (specs/feeds.md 2.1 and 3.1). */
export const COMMENT_FORMATS: readonly CustomFormat[] = ['plain', 'pa-ip', 'pa-domain', 'pa-url', 'cp']
/** Formats whose IP entries may be collapsed into CIDRs, and into ranges (a range is one entry there). */
export const CIDR_FORMATS: readonly CustomFormat[] = ['plain', 'pa-ip', 'cp-network']
export const RANGE_FORMATS: readonly CustomFormat[] = ['pa-ip', 'cp-network', 'cp']

export const CSV_COLUMNS = ['type', 'value', 'confidence', 'severity', 'tags', 'campaign', 'ticket', 'comment', 'source', 'analyst', 'created_at', 'expires_at'] as const
export type CsvColumn = (typeof CSV_COLUMNS)[number]

/** Where an IOC came from: analyst = UI or API submission, misp = MISP pull, import = everything else. */
export const ORIGINS = ['analyst', 'import', 'misp'] as const

const TagList = z.array(Tag).max(50, 'has more than 50 tags')
const Days = z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(3650, 'must be at most 3650')

export const CustomFeedFilters = z
  .object({
    types: z.array(z.enum(IOC_TYPES)).min(1, 'needs at least one IOC type').max(IOC_TYPES.length),
    tags: z
      .object({ any: TagList.default([]), all: TagList.default([]), none: TagList.default([]) })
      .strict()
      .default({ any: [], all: [], none: [] }),
    campaigns: z.array(z.number().int().positive()).max(100, 'has more than 100 campaigns').default([]),
    minConfidence: z.number().int().min(0, 'must be at least 0').max(100, 'must be at most 100').nullable().default(null),
    sources: z.array(z.enum(ORIGINS)).max(ORIGINS.length).default([]),
    analysts: z.array(z.number().int().positive()).max(100, 'has more than 100 analysts').default([]),
    createdWithinDays: Days.nullable().default(null),
    expiringWithinDays: Days.nullable().default(null),
  })
  .strict()
export type CustomFeedFilters = z.output<typeof CustomFeedFilters>

export const CustomFeedPolicy = z
  .object({
    collapse: z.enum(['none', 'cidr', 'range']).default('none'),
    maxPrefixV4: z.number().int().min(0).max(32, 'must be at most 32').default(16),
    maxPrefixV6: z.number().int().min(0).max(128, 'must be at most 128').default(48),
    refuseTld: z.boolean().default(true),
    maxEntries: z.number().int().min(1, 'must be at least 1').max(100_000_000).nullable().default(null),
    headerComment: z.boolean().default(false),
    wildcard: z.boolean().default(false),
    onEmpty: z.enum(['comment', 'unavailable']).default('comment'),
  })
  .strict()
export type CustomFeedPolicy = z.output<typeof CustomFeedPolicy>

export const Slug = z
  .string()
  .trim()
  .min(2, 'is shorter than 2 characters')
  .max(64, 'is longer than 64 characters')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'may contain lowercase letters, digits and inner dashes only')

const definitionFields = {
  format: z.enum(CUSTOM_FORMATS),
  columns: z.array(z.enum(CSV_COLUMNS)).max(CSV_COLUMNS.length).default([]),
  filters: CustomFeedFilters,
  policy: CustomFeedPolicy.default(CustomFeedPolicy.parse({})),
}

type Definition = { format: CustomFormat; columns: string[]; filters: CustomFeedFilters; policy: CustomFeedPolicy }

/** Cross-field rules, each reported on the field that breaks it. */
function checkDefinition(d: Partial<Definition>, ctx: z.RefinementCtx) {
  if (!d.format) return
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const allowed = FORMAT_TYPES[d.format]
  d.filters?.types.forEach((t, i) => {
    if (!allowed.includes(t)) issue(['filters', 'types', i], `${t} cannot be served as ${d.format} (allowed: ${allowed.join(', ')})`)
  })
  if (d.format === 'csv' && d.columns !== undefined && d.columns.length === 0) issue(['columns'], 'needs at least one column for CSV')
  if (d.format !== 'csv' && d.columns?.length) issue(['columns'], 'apply to the CSV format only')
  if (d.columns && new Set(d.columns).size !== d.columns.length) issue(['columns'], 'lists a column twice')
  const p = d.policy
  if (!p) return
  if (p.headerComment && !COMMENT_FORMATS.includes(d.format)) issue(['policy', 'headerComment'], `comments are not valid in the ${d.format} format`)
  if (p.collapse === 'cidr' && !CIDR_FORMATS.includes(d.format)) issue(['policy', 'collapse'], `CIDR collapsing is not available for ${d.format}`)
  if (p.collapse === 'range' && !RANGE_FORMATS.includes(d.format)) issue(['policy', 'collapse'], `ranges are not valid in the ${d.format} format`)
  if (p.wildcard && d.format !== 'pa-domain') issue(['policy', 'wildcard'], 'applies to the pa-domain format only')
}

export const CustomFeedDefinition = z.object(definitionFields).strict().superRefine(checkDefinition)

export const CustomFeedInput = z
  .object({
    slug: Slug,
    name: z.string().trim().min(1, 'is required').max(100, 'is longer than 100 characters'),
    description: z.string().max(500, 'is longer than 500 characters').default(''),
    ...definitionFields,
  })
  .strict()
  .superRefine(checkDefinition)
export type CustomFeedInput = z.output<typeof CustomFeedInput>

export const CustomFeedPreviewInput = z
  .object({ ...definitionFields, name: z.string().max(100).default('preview'), lines: z.number().int().min(1).max(1000).default(50) })
  .strict()
  .superRefine(checkDefinition)

export const CustomFeed = z.object({
  id: z.number(),
  slug: z.string(),
  url: z.string(),
  name: z.string(),
  description: z.string(),
  format: z.enum(CUSTOM_FORMATS),
  columns: z.array(z.string()),
  filters: CustomFeedFilters,
  policy: CustomFeedPolicy,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  entries: z.number().nullable(),
  bytes: z.number().nullable(),
  builtAt: z.string().nullable(),
})
export const CustomFeedList = z.object({ items: z.array(CustomFeed) })

export const CustomFeedPreview = z.object({
  lines: z.array(z.string()),
  truncated: z.boolean(),
  entries: z.number(),
  total: z.number(),
  bytes: z.number(),
  dropped: z.record(z.string(), z.number()),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
  contentType: z.string(),
})
