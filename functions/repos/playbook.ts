import { asc, eq, sql } from 'drizzle-orm'
import type { PlaybookInput, PlaybookLink, PlaybookPatch } from '../../schema/contracts/playbook'
import { playbookLinks } from '../../schema/playbook'
import type { Db } from '../env'

type Row = typeof playbookLinks.$inferSelect

export function toLink(r: Row): PlaybookLink {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    url: r.url,
    description: r.description,
    examples: r.examples,
    iocTypes: r.tags ?? [],
    essential: r.essential,
    dir: r.dir,
    parentId: r.parentId,
    position: r.position,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

/** Every entry in display order: top level first by position, then each group's members. */
export async function listPlaybook(db: Db): Promise<PlaybookLink[]> {
  const rows = await db
    .select()
    .from(playbookLinks)
    .orderBy(sql`${playbookLinks.parentId} IS NOT NULL`, asc(playbookLinks.parentId), asc(playbookLinks.position), asc(playbookLinks.id))
  return rows.map(toLink)
}

export async function getPlaybookRow(db: Db, id: number): Promise<Row | undefined> {
  return db.select().from(playbookLinks).where(eq(playbookLinks.id, id)).get()
}

type Values = Partial<typeof playbookLinks.$inferInsert>

function values(input: PlaybookInput | PlaybookPatch): Values {
  const { iocTypes, ...rest } = input
  return { ...rest, ...(iocTypes ? { tags: [...new Set(iocTypes)] } : {}) }
}

export async function insertPlaybookLink(db: Db, input: PlaybookInput, userId: number): Promise<Row> {
  // A new entry goes to the end of its list unless a position is given.
  const position =
    input.position ??
    sql<number>`(SELECT coalesce(max(position) + 1, 0) FROM playbook_links WHERE parent_id IS ${input.parentId ?? null})`
  const [row] = await db
    .insert(playbookLinks)
    .values({ ...(values(input) as typeof playbookLinks.$inferInsert), type: input.type, name: input.name, position: position as number, createdBy: userId })
    .returning()
  return row
}

export async function updatePlaybookLink(db: Db, id: number, patch: PlaybookPatch): Promise<Row> {
  const [row] = await db
    .update(playbookLinks)
    .set({ ...values(patch), updatedAt: new Date().toISOString() })
    .where(eq(playbookLinks.id, id))
    .returning()
  return row
}

/** Deletes an entry; a deleted group's members move to the end of the top level. */
export async function deletePlaybookLink(db: Db, id: number) {
  await db.batch([
    db
      .update(playbookLinks)
      .set({
        parentId: null,
        position: sql`(SELECT coalesce(max(position), -1) + 1 FROM playbook_links WHERE parent_id IS NULL) + ${playbookLinks.position}`,
        updatedAt: new Date().toISOString(),
      })
      .where(eq(playbookLinks.parentId, id)),
    db.delete(playbookLinks).where(eq(playbookLinks.id, id)),
  ] as never)
}

/** Positions 0..n-1 in the given order, in one batch. */
export async function reorderPlaybook(db: Db, ids: number[]) {
  const at = new Date().toISOString()
  await db.batch(ids.map((id, i) => db.update(playbookLinks).set({ position: i, updatedAt: at }).where(eq(playbookLinks.id, id))) as never)
}
