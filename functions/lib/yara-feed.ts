import { YARA_CONTENT_PREFIX, type FeedDef } from '../domain/feed-catalogue'
import { selectApprovedContent, selectApprovedForFeed } from '../repos/yara'

/** A feed path that names no approved rule file: answered 404, never 503. */
export class FeedMissing extends Error {}

export interface RenderedFeed {
  text: string
  total: number
  returned: number
  dropped: Record<string, number>
  extraHeaders: Record<string, string>
}

const rendered = (text: string, total: number): RenderedFeed => ({
  text,
  total,
  returned: total,
  dropped: {},
  extraHeaders: total ? {} : { 'X-Moat-Empty': '1' },
})

/**
 * The YARA feeds, approved files only. The bundle is every approved file in name order under a
 * header comment; it carries no build time, so its ETag changes only when the rules do. A
 * database failure throws: the feed route answers 503 rather than a partial bundle.
 */
export async function renderYaraFeed(d1: D1Database, def: FeedDef): Promise<RenderedFeed> {
  if (def.format === 'yara-content') {
    const name = def.path.slice(YARA_CONTENT_PREFIX.length)
    if (!/^[a-z0-9._-]+$/i.test(name)) throw new FeedMissing(name)
    const row = await selectApprovedContent(d1, name)
    if (!row) throw new FeedMissing(name)
    return rendered(row.content.endsWith('\n') ? row.content : `${row.content}\n`, 1)
  }
  const files = await selectApprovedForFeed(d1)
  if (def.format === 'yara-list') {
    return rendered(files.length ? files.map((f) => `${f.filename}\n`).join('') : '# moat: no approved YARA rules\n', files.length)
  }
  const rules = files.reduce((n, f) => n + (JSON.parse(f.rule_names) as string[]).length, 0)
  let text = `// Moat YARA bundle: ${files.length} approved file${files.length === 1 ? '' : 's'}, ${rules} rule${rules === 1 ? '' : 's'}\n`
  for (const f of files) {
    const approved = f.reviewed_at ? `, approved ${f.reviewed_at.slice(0, 10)}${f.reviewer ? ` by ${f.reviewer.replace(/[^\w.@-]/g, '_')}` : ''}` : ''
    text += `\n// ---- ${f.filename} (sha256 ${f.sha256}${approved}) ----\n${f.content}${f.content.endsWith('\n') ? '' : '\n'}`
  }
  return rendered(text, files.length)
}
