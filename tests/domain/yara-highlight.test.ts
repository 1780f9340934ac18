import { describe, expect, it } from 'vitest'
import { highlightYaraLines } from '../../web/src/lib/yara-highlight'

describe('highlightYaraLines', () => {
  it('gives one HTML line per source line, closing and reopening spans across line breaks', () => {
    const src = 'rule A_B : tag\n{\n  /* two\n  lines */\n  strings:\n    $a = "x<y>" nocase\n    $h = { 4D 5A }\n    $r = /ab+c/i\n  condition:\n    filesize / 2 > 10 and $a\n}'
    const lines = highlightYaraLines(src)
    expect(lines).toHaveLength(11)
    expect(lines[0]).toContain('<span class="hljs-title">A_B</span>')
    expect(lines[2]).toBe('  <span class="hljs-comment">/* two</span>')
    expect(lines[3]).toBe('<span class="hljs-comment">  lines */</span>')
    expect(lines[4]).toContain('<span class="hljs-section">strings:</span>')
    // Escaped, so it can be inserted as HTML.
    expect(lines[5]).toContain('<span class="hljs-string">&quot;x&lt;y&gt;&quot;</span>')
    expect(lines[5]).toContain('<span class="hljs-type">nocase</span>')
    expect(lines[6]).toContain('<span class="hljs-hexstring">{ 4D 5A }</span>')
    expect(lines[7]).toContain('<span class="hljs-regexp">/ab+c/i</span>')
    // Division in a condition is not a regex.
    expect(lines[9]).not.toContain('hljs-regexp')
    expect(lines[9]).toContain('<span class="hljs-built_in">filesize</span>')
    for (const line of lines) expect(line.split('<span').length).toBe(line.split('</span>').length)
  })

  it('never lets source text become markup', () => {
    const html = highlightYaraLines('rule X { meta: a = "<img src=x onerror=alert(1)>" condition: true }').join('\n')
    expect(html).not.toContain('<img')
  })
})
