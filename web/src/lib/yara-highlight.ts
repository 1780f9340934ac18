import hljs from 'highlight.js/lib/core'
import type { HLJSApi, Language } from 'highlight.js'

/**
 * A highlight.js grammar for YARA (highlight.js ships none): rule headers, sections, meta, the
 * three string kinds, string identifiers, modifiers, keywords and module calls. Regexes and hex
 * strings start only after `=` or `matches`, so `filesize / 2` stays arithmetic.
 */
export function yaraLanguage(h: HLJSApi): Language {
  const escape = h.BACKSLASH_ESCAPE
  return {
    name: 'YARA',
    aliases: ['yar'],
    case_insensitive: false,
    keywords: {
      $pattern: /[A-Za-z_][A-Za-z0-9_]*/,
      keyword:
        'rule private global import include and or not of them for all any none at in matches contains icontains startswith istartswith endswith iendswith iequals defined with',
      literal: 'true false',
      built_in:
        'filesize entrypoint uint8 uint16 uint32 int8 int16 int32 uint8be uint16be uint32be int8be int16be int32be',
      type: 'ascii wide nocase fullword xor base64 base64wide',
    },
    contains: [
      h.C_LINE_COMMENT_MODE,
      h.C_BLOCK_COMMENT_MODE,
      { scope: 'section', match: /\b(?:meta|strings|condition)\s*:/ },
      {
        // rule Name : tag1 tag2
        match: [/\brule\s+/, /[A-Za-z_][A-Za-z0-9_]*/],
        scope: { 1: 'keyword', 2: 'title' },
      },
      { scope: 'string', begin: '"', end: '"', illegal: '\\n', contains: [escape] },
      { scope: 'regexp', begin: /(?<=(?:=|\bmatches)\s*)\//, end: /\/[a-z]*/, illegal: '\\n', contains: [escape] },
      { scope: 'hexstring', begin: /(?<==\s*)\{/, end: /\}/, contains: [h.C_LINE_COMMENT_MODE, h.C_BLOCK_COMMENT_MODE] },
      { scope: 'variable', match: /[$#@!][A-Za-z0-9_]*\*?/ },
      { scope: 'attr', match: /\b[A-Za-z_][A-Za-z0-9_]*(?=\s*=(?!=))/ },
      { scope: 'number', match: /\b(?:0x[0-9A-Fa-f]+|\d+(?:\.\d+)?(?:KB|MB)?)\b/ },
      { scope: 'title.function', match: /\b[a-z_][a-z0-9_]*(?=\.)/ },
    ],
  }
}

hljs.registerLanguage('yara', yaraLanguage)

/** Highlighted HTML, one string per source line (spans that cross a line break are closed and reopened). */
export function highlightYaraLines(code: string): string[] {
  const html = hljs.highlight(code, { language: 'yara', ignoreIllegals: true }).value
  const lines: string[] = []
  const open: string[] = []
  let current = ''
  const tag = /<span[^>]*>|<\/span>|\n/g
  let last = 0
  for (const m of html.matchAll(tag)) {
    current += html.slice(last, m.index)
    last = m.index! + m[0].length
    if (m[0] === '\n') {
      lines.push(current + '</span>'.repeat(open.length))
      current = open.join('')
    } else if (m[0] === '</span>') {
      open.pop()
      current += m[0]
    } else {
      open.push(m[0])
      current += m[0]
    }
  }
  lines.push(current + html.slice(last))
  return lines
}
