import { describe, expect, it } from 'vitest'
import { headerField, syslogFrame, syslogSeverity } from '../../functions/domain/syslog'
import { parseSyslog } from '../helpers/cef'

const base = {
  facility: 'local0' as const,
  severity: 4,
  timestamp: '2026-07-03T12:00:00.123Z',
  hostname: 'moat-01',
  appName: 'moat',
  procId: 1234,
  msgId: 'auth.login',
  msg: 'CEF:0|Moat|Moat|1|auth.login|Sign-in|3|act=auth.login',
}

describe('RFC 5424 framing', () => {
  it('writes PRI, version, timestamp, host, app, procid, msgid, nil structured data and the message', () => {
    expect(syslogFrame(base)).toBe(`<132>1 2026-07-03T12:00:00.123Z moat-01 moat 1234 auth.login - ${base.msg}`)
  })

  it('passes a strict RFC 5424 reader', () => {
    expect(parseSyslog(syslogFrame(base))).toMatchObject({ facility: 16, severity: 4, hostname: 'moat-01', appName: 'moat', procId: '1234', msgId: 'auth.login', sd: '-', msg: base.msg })
  })

  it('computes PRI from facility and severity', () => {
    expect(syslogFrame({ ...base, facility: 'auth', severity: 2 }).startsWith('<34>1 ')).toBe(true)
    expect(syslogFrame({ ...base, facility: 'local7', severity: 7 }).startsWith('<191>1 ')).toBe(true)
    expect(syslogFrame({ ...base, facility: 'user', severity: 99 }).startsWith('<15>1 ')).toBe(true)
  })

  it('puts NILVALUE for empty or invalid header fields and strips what is not printable ASCII', () => {
    const frame = syslogFrame({ ...base, hostname: '', timestamp: 'yesterday', procId: '', msgId: 'a b\u00e9c' })
    expect(frame).toBe(`<132>1 - - moat - abc - ${base.msg}`)
    expect(headerField('x'.repeat(40), 32)).toHaveLength(32)
  })

  it('starts a non-ASCII message with the UTF-8 BOM and leaves ASCII alone', () => {
    expect(syslogFrame({ ...base, msg: 'CEF:0|suser=דנה' }).endsWith(' - \ufeffCEF:0|suser=דנה')).toBe(true)
    expect(syslogFrame(base)).not.toContain('\ufeff')
  })

  it('maps CEF severity bands to syslog severities', () => {
    expect([0, 3, 4, 6, 7, 8, 9, 10].map(syslogSeverity)).toEqual([6, 6, 4, 4, 3, 3, 2, 2])
  })
})
