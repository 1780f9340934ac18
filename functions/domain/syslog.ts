// RFC 5424 syslog framing for the audit stream (sent over UDP, RFC 5426, by the launcher):
//
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
//
// PRI = facility * 8 + severity. Header fields are PRINTUSASCII (33-126) with RFC length limits;
// an empty field is the NILVALUE `-`. MSG is the CEF line; a non-ASCII MSG starts with the UTF-8
// BOM as RFC 5424 section 6.4 asks.
import { severityBand } from './audit-actions'

export const FACILITIES = {
  user: 1,
  auth: 4,
  authpriv: 10,
  audit: 13,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const
export type Facility = keyof typeof FACILITIES
export const FACILITY_NAMES = Object.keys(FACILITIES) as Facility[]

/** CEF severity band -> syslog severity: Low info(6), Medium warning(4), High error(3), Very-High critical(2). */
export function syslogSeverity(cefSeverity: number): number {
  switch (severityBand(cefSeverity)) {
    case 'veryHigh':
      return 2
    case 'high':
      return 3
    case 'medium':
      return 4
    default:
      return 6
  }
}

/** A header field: printable US-ASCII only, at most `max` characters, `-` when empty. */
export function headerField(value: string | number | null | undefined, max: number): string {
  const clean = String(value ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max)
  return clean || '-'
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/

export interface SyslogMessage {
  facility: Facility
  severity: number
  /** ISO-8601 UTC as stored (`2026-07-03T12:00:00.123Z`). */
  timestamp: string
  hostname: string
  appName: string
  procId: string | number
  msgId: string
  msg: string
}

export function syslogFrame(m: SyslogMessage): string {
  const pri = FACILITIES[m.facility] * 8 + Math.min(7, Math.max(0, Math.round(m.severity)))
  const timestamp = RFC3339.test(m.timestamp) ? m.timestamp : '-'
  const bom = /[^\x00-\x7f]/.test(m.msg) ? '\ufeff' : ''
  return [
    `<${pri}>1`,
    timestamp,
    headerField(m.hostname, 255),
    headerField(m.appName, 48),
    headerField(m.procId, 128),
    headerField(m.msgId, 32),
    '-',
    `${bom}${m.msg}`,
  ].join(' ')
}
