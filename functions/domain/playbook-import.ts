/**
 * ZIoCHub's custom Hunter's Playbook items (`playbook_custom.json`, migration.md section 5) as
 * Moat playbook links. ZIoCHub rendered descriptions with innerHTML (stored XSS), so HTML becomes
 * plain Markdown here: block tags turn into line breaks and list bullets, every other tag and
 * script/style content goes, entities are decoded, and links and URLs keep http(s) only. Pure.
 */
import type { ReportEntry } from './legacy-iocs'

export interface PlaybookLinkInput {
  sourceKey: string
  legacyId: string | null
  legacyGroup: string | null
  type: 'site' | 'group' | 'workflow'
  name: string
  url: string | null
  description: string
  examples: string
  tags: string[]
  essential: boolean
  dir: 'ltr' | 'rtl' | null
  position: number
}

const TAGS: Record<string, string[]> = {
  ip: ['ip'],
  domain: ['domain'],
  url: ['url'],
  email: ['email'],
  hash: ['md5', 'sha1', 'sha256'],
}
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }
export const PLAYBOOK_LIMITS = { name: 200, text: 20_000, url: 2048 } as const

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return code > 0 && code < 0x110000 && code !== 0x3c && code !== 0x3e ? String.fromCodePoint(code) : ''
    }
    return ENTITIES[e.toLowerCase()] ?? m
  })
}

/** True for an absolute http(s) URL without spaces or control characters. */
export function isHttpUrl(url: string): boolean {
  if (!/^https?:\/\/[^\s/?#]+/i.test(url) || /[\s\u0000-\u001f\u007f<>"]/.test(url)) return false
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}

/** HTML -> plain Markdown text: no tag, no script, no non-http(s) link survives. */
export function stripHtml(input: string): string {
  let text = input.replace(/\r\n?/g, '\n')
  // Repeat until stable: `<scr<script>ipt>` must not reassemble into a tag.
  for (let i = 0; i < 5; i++) {
    const next = text
      .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
      .replace(/<(script|style|iframe|object|embed|template|noscript)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li\b[^>]*>/gi, '\n- ')
      .replace(/<\/(p|div|h[1-6]|ul|ol|tr|table|pre|blockquote)\s*>/gi, '\n')
      .replace(/<a\b[^>]*\bhref\s*=\s*["']?(https?:\/\/[^"'\s>]+)["']?[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, href: string, label: string) => `[${label.replace(/<[^>]*>/g, '')}](${href})`)
      .replace(/<\/?[a-z!?/][^>]*>?/gi, '')
    if (next === text) break
    text = next
  }
  text = decodeEntities(text).replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'))
  // Markdown links and autolinks whose target is not http(s) keep their label only.
  // Markdown links and images whose target is not http(s) keep their label only (one level of
  // parentheses inside the target, as in `javascript:alert(1)`).
  text = text.replace(/(!?)\[([^\]]*)\]\(\s*((?:[^()\s]|\([^()]*\))*)(?:[^()]|\([^()]*\))*\)/g, (m, bang: string, label: string, href: string) =>
    isHttpUrl(href) && !bang ? m : label,
  )
  return text
    .split('\n')
    .map((l) => l.replace(/(\S)[ \t]{2,}(?=\S)/g, '$1 ').replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

/** Items of `{"custom": [...]}` or a top-level array, in saved order (index 0 = top). */
export function mapPlaybook(json: string, file = 'playbook_custom.json'): { links: PlaybookLinkInput[]; report: ReportEntry[] } {
  const report: ReportEntry[] = []
  const links: PlaybookLinkInput[] = []
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch (err) {
    report.push({ kind: 'skipped', where: file, reason: 'invalid_json', message: `not JSON: ${(err as Error).message}` })
    return { links, report }
  }
  const items = Array.isArray(doc) ? doc : Array.isArray((doc as { custom?: unknown })?.custom) ? (doc as { custom: unknown[] }).custom : null
  if (!items) {
    report.push({ kind: 'skipped', where: file, reason: 'invalid_format', message: 'expected an array or {"custom": [...]}' })
    return { links, report }
  }
  items.forEach((raw, i) => {
    const where = `${file}[${i}]`
    if (!raw || typeof raw !== 'object') return
    const item = raw as Record<string, unknown>
    const type = str(item.type).toLowerCase() || 'site'
    if (type !== 'site' && type !== 'group' && type !== 'workflow') {
      report.push({ kind: 'skipped', where, reason: 'invalid_type', message: `type ${JSON.stringify(item.type)} is not site, group or workflow` })
      return
    }
    const name = stripHtml(str(item.name)).replace(/\s+/g, ' ').slice(0, PLAYBOOK_LIMITS.name)
    if (!name) {
      report.push({ kind: 'skipped', where, reason: 'missing_name', message: 'the item has no name' })
      return
    }
    let url: string | null = str(item.url).trim() || null
    if (url && (!isHttpUrl(url) || url.length > PLAYBOOK_LIMITS.url)) {
      report.push({ kind: 'changed', where, reason: 'unsafe_url', message: `${name}: URL ${JSON.stringify(url.slice(0, 80))} is not http(s); dropped` })
      url = null
    }
    const clean = (field: 'description' | 'examples') => {
      const before = str(item[field])
      const after = stripHtml(before).slice(0, PLAYBOOK_LIMITS.text)
      if (/<[a-z!/]/i.test(before) || /\]\(\s*(?!https?:)[a-z]+:/i.test(before)) {
        report.push({ kind: 'changed', where, reason: 'html_stripped', message: `${name}: HTML removed from the ${field}` })
      }
      return after
    }
    const tags = [...new Set((Array.isArray(item.tags) ? item.tags : []).flatMap((t) => TAGS[str(t).toLowerCase()] ?? []))]
    const id = str(item.id).trim() || null
    const dir = str(item.dir).toLowerCase()
    links.push({
      sourceKey: `ziochub:${id ?? `${type}:${name}:${url ?? ''}`}`.slice(0, 400),
      legacyId: id,
      legacyGroup: str(item.groupId ?? item.group ?? item.parentId ?? item.parent).trim() || null,
      type,
      name,
      url,
      description: clean('description'),
      examples: clean('examples'),
      tags,
      essential: item.isEssential === true || item.isEssential === 1 || item.isEssential === 'true',
      dir: dir === 'rtl' || dir === 'ltr' ? dir : null,
      position: i,
    })
  })
  return { links, report }
}
