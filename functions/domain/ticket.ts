/**
 * Auto-generated ticket ids, in the predecessor's format `XY-YYYYMMDD-HHMM`: `XY` from the first
 * letters of the first two words of the display name, or the first two letters of a single word,
 * or one letter doubled; `XX` when there is nothing usable. Time in the configured time zone.
 */
export function autoTicket(displayName: string, now: Date, timeZone = 'UTC'): string {
  const words = displayName
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w))
  let initials = 'XX'
  if (words.length >= 2) initials = words[0][0] + words[1][0]
  else if (words.length === 1) initials = words[0].length >= 2 ? words[0].slice(0, 2) : words[0][0] + words[0][0]
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  return `${initials.toUpperCase()}-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}`
}
