import { z } from 'zod'
import { PLAYBOOK_LIMITS } from '../../functions/domain/playbook-import'
import { IocTypeSchema } from './iocs'

/**
 * A URL template: http(s), literal host, `{value}` / `{type}` placeholders. The route checks the
 * rules of functions/domain/playbook.ts (422 with a specific code per problem).
 */
export const UrlTemplate = z.string().trim().min(1, 'is required').max(PLAYBOOK_LIMITS.url, `is longer than ${PLAYBOOK_LIMITS.url} characters`)

const fields = {
  type: z.enum(['site', 'group', 'workflow']),
  name: z.string().trim().min(1, 'is required').max(PLAYBOOK_LIMITS.name, `is longer than ${PLAYBOOK_LIMITS.name} characters`),
  url: UrlTemplate.nullable(),
  description: z.string().max(PLAYBOOK_LIMITS.text, `is longer than ${PLAYBOOK_LIMITS.text} characters`),
  examples: z.string().max(PLAYBOOK_LIMITS.text, `is longer than ${PLAYBOOK_LIMITS.text} characters`),
  /** IOC types the entry applies to; empty = every type. */
  iocTypes: z.array(IocTypeSchema).max(7),
  essential: z.boolean(),
  dir: z.enum(['ltr', 'rtl']).nullable(),
  parentId: z.number().int().positive().nullable(),
  position: z.number().int().min(0).max(100_000),
}

export const PlaybookInput = z
  .object({
    type: fields.type.default('site'),
    name: fields.name,
    url: fields.url.optional(),
    description: fields.description.optional(),
    examples: fields.examples.optional(),
    iocTypes: fields.iocTypes.optional(),
    essential: fields.essential.optional(),
    dir: fields.dir.optional(),
    parentId: fields.parentId.optional(),
    position: fields.position.optional(),
  })
  .strict()
export type PlaybookInput = z.infer<typeof PlaybookInput>

export const PlaybookPatch = z
  .object({
    name: fields.name.optional(),
    url: fields.url.optional(),
    description: fields.description.optional(),
    examples: fields.examples.optional(),
    iocTypes: fields.iocTypes.optional(),
    essential: fields.essential.optional(),
    dir: fields.dir.optional(),
    parentId: fields.parentId.optional(),
    position: fields.position.optional(),
  })
  .strict()
export type PlaybookPatch = z.infer<typeof PlaybookPatch>

/** The whole order at once: entry ids top to bottom (positions become 0, 1, 2 ...). */
export const PlaybookOrder = z.object({ ids: z.array(z.number().int().positive()).min(1, 'is empty').max(1000) }).strict()

export const PlaybookLink = z.object({
  id: z.number(),
  type: fields.type,
  name: z.string(),
  url: z.string().nullable(),
  description: z.string(),
  examples: z.string(),
  iocTypes: z.array(z.string()),
  essential: z.boolean(),
  dir: fields.dir,
  parentId: z.number().nullable(),
  position: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type PlaybookLink = z.infer<typeof PlaybookLink>
export const PlaybookList = z.object({ items: z.array(PlaybookLink) })
