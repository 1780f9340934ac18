import { sql, type SQL } from 'drizzle-orm'

// Anomaly rules that SQLite can evaluate on stored columns in one pass over the active IOCs
// (specs/ioc-rules-predecessor.md section 5, Feed Pulse anomaly types). The report's feed health
// score counts IOCs with at least one of them. (`url_contains_hash` needs a 32-hex GLOB longer than
// D1 accepts as a pattern: it is left to the Feed Pulse scan.) IP ranges are the fixed-width hex of `ip_start`
// (IPv4 mapped into IPv6: 20 zeros, ffff, then 8 hex digits).

const V4 = '00000000000000000000ffff'
const v4Prefix = (hex: string) => `substr(ip_start, 1, ${V4.length + hex.length}) = '${V4}${hex}'`
const AFTER_SCHEME = `substr(value, instr(value, '://') + 3)`

export const ANOMALY_RULES: Record<string, string> = {
  local_ip: `type = 'ip' AND (${['0a', 'ac1', 'c0a8', '7f'].map(v4Prefix).join(' OR ')})`,
  testnet_ip: `type = 'ip' AND (${['c00002', 'c63364', 'cb0071'].map(v4Prefix).join(' OR ')})`,
  critical_infra: `type = 'ip' AND value IN ('8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9', '208.67.222.222', '208.67.220.220')`,
  defanged: `(instr(value, '[.]') > 0 OR instr(value, '(.)') > 0 OR instr(lower(value), 'hxxp') > 0 OR instr(lower(value), '[dot]') > 0)`,
  url_raw_ip: `type = 'url' AND ip_start IS NOT NULL`,
  url_credentials: `type = 'url' AND instr(${AFTER_SCHEME}, '@') > 0 AND (instr(${AFTER_SCHEME}, '/') = 0 OR instr(${AFTER_SCHEME}, '@') < instr(${AFTER_SCHEME}, '/'))`,
  punycode_domain: `type IN ('domain', 'url', 'email') AND (host LIKE 'xn--%' OR host LIKE '%.xn--%')`,
  deep_subdomain: `type IN ('domain', 'url') AND ip_start IS NULL AND length(host) - length(replace(host, '.', '')) >= 5`,
  short_domain: `type = 'domain' AND length(value) <= 5`,
  stale_ioc: `expires_at IS NULL AND created_at < ?stale`,
  allowlisted: `allowlisted_by IS NOT NULL`,
}

export const ANOMALY_NAMES = Object.keys(ANOMALY_RULES)

/** One rule as SQL, with the stale cut-off (180 days before the evaluation time) bound. */
export function anomalySql(name: string, at: string): SQL {
  const stale = new Date(Date.parse(at) - 180 * 86_400_000).toISOString()
  const [before, after] = ANOMALY_RULES[name].split('?stale')
  return after === undefined ? sql.raw(`(${before})`) : sql`(${sql.raw(before)}${stale}${sql.raw(after)})`
}

export function anyAnomalySql(at: string): SQL {
  return sql.join(
    ANOMALY_NAMES.map((n) => anomalySql(n, at)),
    sql` OR `,
  )
}
