// Helpers shared by the feeds screens: families, list inputs, copying and freshness.

export type FeedFamily = 'standard' | 'pa' | 'cp' | 'other'

export const FEED_FAMILIES: FeedFamily[] = ['standard', 'pa', 'cp', 'other']

/** The family a feed belongs to, from its path prefix. */
export function feedFamily(path: string): FeedFamily {
  if (path.startsWith('/feed/pa/')) return 'pa'
  if (path.startsWith('/feed/cp/')) return 'cp'
  if (path.startsWith('/feed/esa/') || path.startsWith('/feed/epo/')) return 'other'
  return 'standard'
}

/** The absolute URL a device polls. */
export const feedUrl = (path: string) => `${location.origin}${path}`

/** One entry per line or comma separated, trimmed, without blanks or repeats. */
export const splitList = (text: string) => [
  ...new Set(
    text
      .split(/[\n,]/)
      .map((part) => part.trim())
      .filter(Boolean),
  ),
]

export const joinList = (items: readonly string[]) => items.join('\n')

function selectContents(el: HTMLElement) {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.focus()
    el.select()
    return
  }
  const selection = window.getSelection()
  if (!selection) return
  const range = document.createRange()
  range.selectNodeContents(el)
  selection.removeAllRanges()
  selection.addRange(range)
}

/**
 * Copies `text`: the Clipboard API when the page may use it (HTTPS or localhost); otherwise
 * selects `el` and tries the old copy command. 'selected' means the user must press Ctrl+C.
 */
export async function copyText(text: string, el?: HTMLElement): Promise<'copied' | 'selected'> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return 'copied'
    }
  } catch {
    // Permission refused: fall back to selecting the text.
  }
  if (el) {
    selectContents(el)
    try {
      if (document.execCommand('copy')) return 'copied'
    } catch {
      // Not supported: the text stays selected.
    }
  }
  return 'selected'
}

export const HOUR_MS = 3_600_000

/** An active device that has not polled for over an hour (counted from creation if never). */
export function isStale(
  consumer: { active: boolean; lastSeenAt: string | null; createdAt: string },
  now: number,
): boolean {
  if (!consumer.active) return false
  const since = Date.parse(consumer.lastSeenAt ?? consumer.createdAt)
  return Number.isFinite(since) && now - since > HOUR_MS
}

export type StatusTone = 'ok' | 'bad' | 'warn'

/** 200/304 are good news; 401/403 and 5xx mean the device is not getting its list. */
export function statusTone(status: number): StatusTone {
  if (status === 200 || status === 304) return 'ok'
  if (status === 401 || status === 403 || status >= 500) return 'bad'
  return 'warn'
}
