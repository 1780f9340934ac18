import { normalizeDomain } from './ioc-domain'
import { checkPort, normalizeIpv4, normalizeIpv6 } from './ioc-ip'
import { fail, pass, quote, type Normalized } from './ioc-result'

const URL_ERROR = 'not a valid URL'
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ftp: '21' }
// Dotted numbers (and hex parts) are an IPv4 attempt, never a domain: report the octet that is off.
const NUMERIC_HOST = /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+))*$/i

/** Normalizes a URL host as an IP (v6 in brackets) or as a domain. */
export function normalizeHost(host: string): Normalized {
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) return fail('invalid_url', `${URL_ERROR}: '[' without ']' in the host`)
    const v6 = normalizeIpv6(host.slice(1, -1))
    return v6.ok ? pass(`[${v6.value}]`) : v6
  }
  if (NUMERIC_HOST.test(host)) return normalizeIpv4(host)
  return normalizeDomain(host)
}

/** Splits `host:port` or `[v6]:port`; port is undefined when absent. */
function splitHostPort(hostPort: string): { host: string; port?: string } | null {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    if (close < 0) return null
    const after = hostPort.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) return null
    return { host: hostPort.slice(0, close + 1), port: after === '' ? undefined : after.slice(1) }
  }
  const colon = hostPort.indexOf(':')
  if (colon < 0) return { host: hostPort }
  if (colon !== hostPort.lastIndexOf(':')) return null
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) }
}

/**
 * Canonical URL: lowercase scheme (`http://` when absent), normalized host, default port and
 * fragment dropped. Userinfo, path and query stay byte for byte as the analyst gave them; WHATWG
 * URL would percent-encode them, and the feed must match what the malware actually requests.
 */
export function normalizeUrl(value: string): Normalized {
  const match = SCHEME.exec(value)
  const scheme = match ? match[1].toLowerCase() : 'http'
  let rest = match ? value.slice(match[0].length) : value
  const control = /[\s\x00-\x1f\x7f]/.exec(rest)
  if (control) {
    return fail('invalid_url', `${URL_ERROR}: contains whitespace or a control character`, {
      part: control[0],
    })
  }
  const hash = rest.indexOf('#')
  if (hash >= 0) rest = rest.slice(0, hash)
  const end = rest.search(/[/?]/)
  const authority = end < 0 ? rest : rest.slice(0, end)
  const tail = end < 0 ? '' : rest.slice(end)
  const at = authority.lastIndexOf('@')
  const userinfo = authority.slice(0, at + 1)
  const parts = splitHostPort(authority.slice(at + 1))
  if (!parts) {
    const hostPort = authority.slice(at + 1)
    return fail('invalid_url', `${URL_ERROR}: host ${quote(hostPort)} is malformed`, {
      part: hostPort,
    })
  }
  if (parts.host === '') return fail('invalid_url', `${URL_ERROR}: no host`)
  const host = normalizeHost(parts.host)
  if (!host.ok) return host
  let port = ''
  if (parts.port !== undefined && parts.port !== '') {
    const checked = checkPort(parts.port)
    if (!checked.ok) return checked
    if (checked.value !== DEFAULT_PORTS[scheme]) port = `:${checked.value}`
  }
  return pass(`${scheme}://${userinfo}${host.value}${port}${tail}`)
}
