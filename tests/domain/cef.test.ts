import { describe, expect, it } from 'vitest'
import { auditSeverity, severityBand } from '../../functions/domain/audit-actions'
import { auditToCef, escapeExtension, escapeHeader, type AuditRecordLike } from '../../functions/domain/cef'
import { parseCef } from '../helpers/cef'

const row = (over: Partial<AuditRecordLike> = {}): AuditRecordLike => ({
  id: 42,
  at: '2026-07-03T12:00:00.123Z',
  action: 'auth.login',
  outcome: 'failure',
  severity: 5,
  actor: 'alice',
  actorId: 7,
  sourceIp: '203.0.113.10',
  target: 'alice',
  details: { reason: 'wrong password' },
  ...over,
})

describe('CEF escaping', () => {
  it('escapes backslash and pipe in header fields and flattens line breaks', () => {
    expect(escapeHeader('a|b\\c')).toBe('a\\|b\\\\c')
    expect(escapeHeader('one\r\ntwo\nthree')).toBe('one two three')
    expect(escapeHeader('x=y')).toBe('x=y')
  })

  it('escapes backslash, equals and line breaks in extension values but leaves pipes', () => {
    expect(escapeExtension('C:\\dir a=b|c')).toBe('C:\\\\dir a\\=b|c')
    expect(escapeExtension('l1\nl2\r\nl3\rl4')).toBe('l1\\nl2\\nl3\\rl4')
    expect(escapeExtension('tab\there')).toBe('tab here')
  })

  it('round-trips hostile values through a strict CEF reader', () => {
    const target = 'url:http://evil.example/a=1|b\\c\nd'
    const line = auditToCef(row({ action: 'ioc.create', outcome: 'success', severity: 3, target, actor: 'eve|=\\' }), { version: '1.2|3' })
    const { header, ext } = parseCef(line)
    expect(header).toEqual(['CEF:0', 'Moat', 'Moat', '1.2|3', 'ioc.create', 'IOC created', '3'])
    expect(ext.cs1).toBe(target)
    expect(ext.suser).toBe('eve|=\\')
  })
})

describe('CEF lines from audit records', () => {
  it('writes the header and the extension in a fixed order', () => {
    const line = auditToCef(row(), { version: '0.1.0' })
    expect(line).toBe(
      'CEF:0|Moat|Moat|0.1.0|auth.login|Sign-in failed|5|rt=1783080000123 externalId=42 cat=auth act=auth.login outcome=failure suser=alice suid=7 src=203.0.113.10 duser=alice cs1Label=target cs1=alice cs2Label=details cs2={"reason":"wrong password"}',
    )
    expect(parseCef(line).keys).toEqual(['rt', 'externalId', 'cat', 'act', 'outcome', 'suser', 'suid', 'src', 'duser', 'cs1Label', 'cs1', 'cs2Label', 'cs2'])
  })

  it('leaves out empty fields, a non-address src and duser for targets that are not users', () => {
    const line = auditToCef(row({ action: 'ioc.delete', outcome: 'success', actor: null, actorId: null, sourceIp: 'unknown', target: 'ip:1.2.3.4', details: null }), { version: '1' })
    const { ext, keys } = parseCef(line)
    expect(keys).toEqual(['rt', 'externalId', 'cat', 'act', 'outcome', 'cs1Label', 'cs1'])
    expect(ext.cs1).toBe('ip:1.2.3.4')
  })

  it('accepts IPv6 sources and adds dvchost when the host is known', () => {
    const { ext } = parseCef(auditToCef(row({ sourceIp: '2001:db8::1' }), { version: '1', host: 'moat-01' }))
    expect(ext.src).toBe('2001:db8::1')
    expect(ext.dvchost).toBe('moat-01')
  })

  it('redacts secrets in details and cuts long details', () => {
    const { ext } = parseCef(auditToCef(row({ details: { password: 'hunter2', apiKey: 'k', nested: { bindPassword: 'x' }, note: 'y'.repeat(3000) } }), { version: '1' }))
    expect(ext.cs2).not.toContain('hunter2')
    expect(ext.cs2).toContain('"password":"[redacted]"')
    expect(ext.cs2).toContain('"bindPassword":"[redacted]"')
    expect(ext.cs2.length).toBe(1023)
  })
})

describe('severity', () => {
  it('raises every failure to at least 5 and keeps higher stored values', () => {
    expect(auditSeverity('auth.login', 'success', 3)).toBe(3)
    expect(auditSeverity('auth.login', 'failure', 3)).toBe(5)
    expect(auditSeverity('feed.auth_failure', 'failure', 6)).toBe(6)
    expect(auditSeverity('auth.lockout', 'failure', 3)).toBe(7)
  })

  it('applies per-action floors, defaults unknown actions to 3 and clamps to 0-10', () => {
    expect(auditSeverity('user.role_change', 'success', 3)).toBe(6)
    expect(auditSeverity('token.admin_use', 'success', 0)).toBe(6)
    expect(auditSeverity('something.new', 'success', 1)).toBe(3)
    expect(auditSeverity('something.new', 'success', 99)).toBe(10)
    expect(auditSeverity('ioc.create', 'success', Number.NaN)).toBe(3)
  })

  it("maps to ArcSight's bands", () => {
    expect([0, 3, 4, 6, 7, 8, 9, 10].map(severityBand)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'veryHigh', 'veryHigh'])
  })

  it('names unknown actions readably', () => {
    expect(parseCef(auditToCef(row({ action: 'misp.pull_done', outcome: 'success' }), { version: '1' })).header[5]).toBe('misp pull done')
  })
})
