import { Hono } from 'hono'
import { NoteInput, NoteQuery } from '../../schema/contracts/iocs'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { zv } from '../lib/validate'
import { addNote, listNotes } from '../repos/ioc-notes'
import { parseOrThrow } from '../services/iocs'

const view = (n: Awaited<ReturnType<typeof listNotes>>[number]) => ({
  id: n.id,
  type: n.type,
  value: n.value,
  body: n.body,
  author: n.author,
  createdAt: n.createdAt,
})

// Notes are Markdown source; the UI renders them to a sanitised DOM (never as raw HTML).
export const notes = new Hono<AppEnv>()
  .use('/*', requireAuth)
  .get('/', zv('query', NoteQuery), async (c) => {
    const q = c.req.valid('query')
    const parsed = parseOrThrow(q.value, q.type)
    return c.json({ items: (await listNotes(c.var.db, parsed.type, parsed.value)).map(view) })
  })
  .post('/', requireRole('admin', 'analyst'), zv('json', NoteInput), async (c) => {
    const input = c.req.valid('json')
    const parsed = parseOrThrow(input.value, input.type)
    const note = await addNote(c.var.db, {
      type: parsed.type,
      value: parsed.value,
      body: input.body,
      authorId: c.var.user.id,
      author: c.var.user.username,
    })
    await auditAction(c, 'ioc.note', `${parsed.type}:${parsed.value}`)
    return c.json({ note: view(note) }, 201)
  })
