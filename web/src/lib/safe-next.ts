/**
 * Where to go after sign-in: only a same-origin relative path. Anything else (`//evil`,
 * `https://evil`, `/\evil`, control characters, the login page itself) becomes `/`.
 */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || raw[0] !== '/' || raw[1] === '/' || raw[1] === '\\') return '/'
  // Browsers treat backslashes as slashes and drop tabs/newlines, so `/\t/evil` would be `//evil`.
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return '/'
  try {
    const url = new URL(raw, window.location.origin)
    if (url.origin !== window.location.origin) return '/'
    const path = `${url.pathname}${url.search}${url.hash}`
    if (url.pathname === '/login') return '/'
    return path.startsWith('//') ? '/' : path
  } catch {
    return '/'
  }
}

/** The login URL that brings the user back to `path` afterwards. */
export function loginHref(path: string): string {
  // Slashes may stay readable in a query string; everything else is encoded.
  return `/login?next=${encodeURIComponent(safeNext(path)).replace(/%2F/gi, '/')}`
}
