/**
 * RFC 4180 CSV. For files people open in a spreadsheet, `guard` neutralises cells that would run as
 * formulas (leading = + - @ TAB CR) with a leading apostrophe; vendor feeds never use the guard,
 * because the value must stay exact there.
 */
export function csvCell(value: unknown, guard = false): string {
  let s = value === null || value === undefined ? '' : String(value)
  if (guard && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) || (guard && s.startsWith("'")) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvRow(values: unknown[], guard = false): string {
  return values.map((v) => csvCell(v, guard)).join(',') + '\r\n'
}
