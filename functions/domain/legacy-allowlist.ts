/**
 * ZIoCHub's `allowlist.txt` (migration.md section 4) as Moat allowlist entries. `suffix:` and
 * `tld:` -> domain suffix, `domain:` -> exact domain, `ip:` -> exact address, `cidr:` -> CIDR
 * (host bits cleared, with a warning). Without a prefix: an IP is `ip:`, a value with `/` is
 * `cidr:`, anything else `suffix:`. Pure.
 */
import { normalizeAllowlistEntry, type AllowlistKind } from './allowlist'
import { parseIoc } from './ioc'
import type { ReportEntry } from './legacy-iocs'

export interface LegacyAllowlistEntry {
  line: number
  kind: AllowlistKind
  value: string
  ipStart: string | null
  ipEnd: string | null
  /** The line as written, for the entry's reason. */
  source: string
}

const PREFIX = /^(suffix|domain|tld|ip|cidr)\s*:\s*(.*)$/i

export function parseLegacyAllowlist(text: string, file = 'allowlist.txt'): { entries: LegacyAllowlistEntry[]; report: ReportEntry[] } {
  const entries: LegacyAllowlistEntry[] = []
  const report: ReportEntry[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '').trim()
    if (!line || line.startsWith('#')) return
    const where = `${file}:${i + 1}`
    const m = PREFIX.exec(line)
    let prefix = m ? m[1].toLowerCase() : ''
    let value = (m ? m[2] : line).trim()
    if (!prefix) prefix = value.includes('/') ? 'cidr' : parseIoc(value, { type: 'ip' }).ok ? 'ip' : 'suffix'
    let kind: AllowlistKind = prefix === 'suffix' || prefix === 'tld' ? 'suffix' : prefix === 'cidr' ? 'cidr' : 'exact'
    if (prefix === 'domain' || prefix === 'ip') {
      const parsed = parseIoc(value, { type: prefix === 'ip' ? 'ip' : 'domain' })
      if (!parsed.ok) {
        report.push({ kind: 'skipped', where, reason: parsed.error.code, message: `${JSON.stringify(line)}: ${parsed.error.message}` })
        return
      }
      // `ip:10.0.0.0/8` is a network: a CIDR entry covers what ZIoCHub meant.
      if (prefix === 'ip' && parsed.value.includes('/')) kind = 'cidr'
      value = parsed.value
    }
    if (kind === 'cidr') {
      const parsed = parseIoc(value, { type: 'ip' })
      if (!parsed.ok && parsed.error.code === 'cidr_host_bits' && parsed.error.suggestion) {
        report.push({ kind: 'changed', where, reason: 'cidr_host_bits', message: `${value} has host bits set; imported as ${parsed.error.suggestion}` })
        value = parsed.error.suggestion
      }
    }
    const norm = normalizeAllowlistEntry(kind, value)
    if (!norm.ok) {
      report.push({ kind: 'skipped', where, reason: 'invalid_entry', message: `${JSON.stringify(line)}: ${norm.reason}` })
      return
    }
    const key = `${norm.kind}:${norm.value}`
    if (seen.has(key)) {
      report.push({ kind: 'merged', where, reason: 'merged_duplicate', message: `${JSON.stringify(line)} is the same entry as an earlier line` })
      return
    }
    seen.add(key)
    entries.push({ line: i + 1, kind: norm.kind, value: norm.value, ipStart: norm.ipStart ?? null, ipEnd: norm.ipEnd ?? null, source: line })
  })
  return { entries, report }
}
