import createDOMPurify from 'dompurify'
import { Marked } from 'marked'

// Notes are analyst-written Markdown shown to every other analyst: render, then sanitize with a
// small allow-list, and only the sanitized string ever reaches innerHTML.
const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'blockquote',
  'h1', 'h2', 'h3', 'h4',
]
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

// Raw HTML typed into a note is shown as text, never parsed: the sanitizer below is the second
// line of defence, not the only one (and Chromium logs CSP noise for inert `on*` attributes).
const markdown = new Marked({
  async: false,
  gfm: true,
  breaks: true,
  renderer: { html: ({ text }) => escapeHtml(text) },
})

let purifier: ReturnType<typeof createDOMPurify> | undefined

/** Our own DOMPurify instance, so its hooks never affect anyone else's. */
function getPurifier() {
  if (purifier) return purifier
  const instance = createDOMPurify(window)
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return
    const href = node.getAttribute('href')
    let safe = false
    if (href) {
      try {
        // No base URL: relative links, `javascript:`, `data:` and friends are all dropped.
        safe = SAFE_PROTOCOLS.has(new URL(href).protocol)
      } catch {
        safe = false
      }
    }
    if (!safe) node.removeAttribute('href')
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  })
  purifier = instance
  return instance
}

/** Markdown -> sanitized HTML string (safe to assign to innerHTML). */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false })
  return getPurifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  })
}
