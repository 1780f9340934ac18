// ArcSight Common Event Format (CEF:0) lines from audit records. Pure: the worker uses it for the
// admin preview and the shipping path, the tests for the exact bytes.
//
//   CEF:0|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension
//
// Escaping differs by field class (the mistake the predecessor made):
// - header fields: `\` -> `\\` and `|` -> `\|`; a header cannot hold a line break, so CR/LF become
//   a space;
// - extension values: `\` -> `\\`, `=` -> `\=`, line breaks -> `\n` / `\r`; `|` stays as it is.
// Other control characters would break line-based collectors and become a space in both classes.
import { actionName, auditSeverity, targetKind } from './audit-actions'
import { ipRange } from './ip-range'

export interface AuditRecordLike {
  id: number
  at: string
  action: string
  outcome: 'success' | 'failure'
  severity: number
  actor: string | null
  actorId: number | null
  sourceIp: string | null
  target: string | null
  details: unknown
}

export interface CefDevice {
  version: string
  /** dvchost: the Moat host name (optional). */
  host?: string
}

export const CEF_VENDOR = 'Moat'
export const CEF_PRODUCT = 'Moat'
/** Custom string values are cut here (CEF's classic deviceCustomString length). */
export const CEF_CUSTOM_MAX = 1023

// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/g

export function escapeHeader(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(OTHER_CONTROLS, ' ')
}

export function escapeExtension(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/=/g, '\\=')
    .replace(/\r\n|\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(OTHER_CONTROLS, ' ')
}

const SECRET_KEY = /pass(word|phrase)?|secret|api_?key|^token$|private_?key|credential/i

/** Details as JSON with anything that looks like a secret replaced, cut to CEF_CUSTOM_MAX. */
export function redactedDetails(details: unknown): string | null {
  if (details === null || details === undefined) return null
  const json = JSON.stringify(details, (key, value) => (key && SECRET_KEY.test(key) ? '[redacted]' : value))
  if (json === undefined || json === '{}') return null
  return cut(json, CEF_CUSTOM_MAX)
}

function cut(value: string, max: number) {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`
}

/** Epoch milliseconds (a form every CEF receiver accepts for `rt`). */
function receiptTime(at: string): string | null {
  const ms = Date.parse(at)
  return Number.isFinite(ms) ? String(ms) : null
}

/** The extension pairs in their fixed order; keys without a value are left out. */
export function cefExtension(row: AuditRecordLike, device: CefDevice): [string, string][] {
  const pairs: [string, string | null | undefined][] = [
    ['rt', receiptTime(row.at)],
    ['externalId', String(row.id)],
    ['cat', row.action.split('.')[0]],
    ['act', cut(row.action, 63)],
    ['outcome', row.outcome],
    ['suser', row.actor],
    ['suid', row.actorId === null || row.actorId === undefined ? null : String(row.actorId)],
    // src must be an address; "unknown" and other placeholders are left out.
    ['src', row.sourceIp && !row.sourceIp.includes('/') && ipRange(row.sourceIp) ? row.sourceIp : null],
    ['duser', targetKind(row.action) === 'user' ? row.target : null],
    ['cs1Label', row.target ? 'target' : null],
    ['cs1', row.target ? cut(row.target, CEF_CUSTOM_MAX) : null],
  ]
  const details = redactedDetails(row.details)
  pairs.push(['cs2Label', details ? 'details' : null], ['cs2', details], ['dvchost', device.host])
  return pairs.filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '')
}

/** One audit record as a CEF:0 line (no trailing newline). */
export function auditToCef(row: AuditRecordLike, device: CefDevice): string {
  const severity = auditSeverity(row.action, row.outcome, row.severity)
  const header = [
    'CEF:0',
    escapeHeader(CEF_VENDOR),
    escapeHeader(CEF_PRODUCT),
    escapeHeader(device.version),
    escapeHeader(cut(row.action, 1023)),
    escapeHeader(actionName(row.action, row.outcome)),
    String(severity),
  ].join('|')
  const extension = cefExtension(row, device)
    .map(([key, value]) => `${key}=${escapeExtension(value)}`)
    .join(' ')
  return `${header}|${extension}`
}
