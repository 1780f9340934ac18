import dgram from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuditSink, ROTATE_MS, type ShipRecord } from '../../bin/host-syslog'
import { loadOrCreateKeys } from '../../bin/keys'
import { parseSyslog } from '../helpers/cef'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'moat-host-'))
  dirs.push(d)
  return d
}

let socket: dgram.Socket
let port: number
const datagrams: string[] = []

beforeAll(async () => {
  socket = dgram.createSocket('udp4')
  socket.on('message', (m) => datagrams.push(m.toString('utf8')))
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r))
  port = socket.address().port
})
afterAll(() => {
  socket.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const rec = (id: number, at: string): ShipRecord => ({ id, at, msgId: 'ioc.create', severity: 6, cef: `CEF:0|Moat|Moat|1|ioc.create|IOC created|3|externalId=${id}` })
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [])

describe('audit sink (launcher side)', () => {
  it('rotates cef.log to cef.log.1 every 48 hours and keeps one previous file', async () => {
    let now = Date.parse('2026-07-01T00:00:00Z')
    const dir = tempDir()
    const sink = createAuditSink(dir, () => new Date(now))
    const log = path.join(dir, 'audit', 'cef.log')
    const ship = (r: ShipRecord) => sink.ship({ records: [r], file: { after: r.id - 1, upTo: r.id }, syslog: null })
    await ship(rec(1, '2026-07-01T00:00:00.000Z'))
    now += ROTATE_MS - 60_000
    await ship(rec(2, '2026-07-02T23:59:00.000Z'))
    expect(lines(log)).toHaveLength(2)
    now += 120_000
    await ship(rec(3, '2026-07-03T00:01:00.000Z'))
    expect(lines(`${log}.1`).map((l) => l.slice(-1))).toEqual(['1', '2'])
    expect(lines(log).map((l) => l.slice(-1))).toEqual(['3'])
    // A rotation is due even when nothing new arrives (the minute cron sends an empty batch).
    now += ROTATE_MS
    await sink.ship({ records: [], file: { after: 3, upTo: 3 }, syslog: null })
    expect(lines(`${log}.1`).map((l) => l.slice(-1))).toEqual(['3'])
    expect(existsSync(log)).toBe(false)
    expect(statSync(path.join(dir, 'audit')).mode & 0o777).toBe(0o700)
  })

  it('never writes a line or sends a datagram twice when a batch is retried', async () => {
    const dir = tempDir()
    const sink = createAuditSink(dir)
    const target = { host: '127.0.0.1', port, facility: 'local1' as const }
    const req = { records: [rec(1, '2026-07-01T00:00:00.000Z'), rec(2, '2026-07-01T00:00:01.000Z')], file: { after: 0, upTo: 2 }, syslog: { after: 0, upTo: 2, target } }
    const before = datagrams.length
    const [a, b] = await Promise.all([sink.ship(req), sink.ship(req)])
    expect(a).toEqual({ fileLastId: 2, syslogLastId: 2 })
    expect(b).toEqual({ fileLastId: 2, syslogLastId: 2 })
    expect(lines(path.join(dir, 'audit', 'cef.log'))).toHaveLength(2)
    await new Promise((r) => setTimeout(r, 200))
    const got = datagrams.slice(before).map(parseSyslog)
    expect(got.map((f) => f.msg.slice(-1))).toEqual(['1', '2'])
    // local1 (17) * 8 + severity 6.
    expect(got[0].pri).toBe(142)
  })

  it('delivers again when the database was replaced (ids restart with newer times)', async () => {
    const dir = tempDir()
    const sink = createAuditSink(dir)
    await sink.ship({ records: [rec(1, '2026-07-01T00:00:00.000Z'), rec(2, '2026-07-01T00:00:01.000Z')], file: { after: 0, upTo: 2 }, syslog: null })
    // Restored from an old backup: same ids, same times -> already there.
    await sink.ship({ records: [rec(2, '2026-07-01T00:00:01.000Z')], file: { after: 1, upTo: 2 }, syslog: null })
    // A new database: id 1 again, but later.
    await sink.ship({ records: [rec(1, '2026-08-01T00:00:00.000Z')], file: { after: 0, upTo: 1 }, syslog: null })
    expect(lines(path.join(dir, 'audit', 'cef.log')).map((l) => l.slice(-1))).toEqual(['1', '2', '1'])
  })

  it('reports an unreachable collector without losing the file write', async () => {
    const dir = tempDir()
    const sink = createAuditSink(dir)
    const target = { host: 'collector.invalid', port: 514, facility: 'local0' as const }
    const reply = await sink.ship({ records: [rec(1, '2026-07-01T00:00:00.000Z')], file: { after: 0, upTo: 1 }, syslog: { after: 0, upTo: 1, target } })
    expect(reply.fileLastId).toBe(1)
    expect(reply.syslogLastId).toBeNull()
    expect(reply.syslogError).toMatch(/^collector\.invalid:514: /)
    expect(lines(path.join(dir, 'audit', 'cef.log'))).toHaveLength(1)
  })
})

describe('keys.json', () => {
  it('creates both keys with mode 0600 and keeps them across loads', () => {
    const dir = tempDir()
    const first = loadOrCreateKeys(dir)
    expect(Buffer.from(first.secretsKey, 'base64url')).toHaveLength(32)
    expect(statSync(path.join(dir, 'keys.json')).mode & 0o777).toBe(0o600)
    expect(loadOrCreateKeys(dir)).toEqual(first)
  })

  it('adds a secrets key to an older keys file without touching the session secret', () => {
    const dir = tempDir()
    const sessionSecret = 'x'.repeat(64)
    writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ sessionSecret }), { mode: 0o600 })
    const keys = loadOrCreateKeys(dir)
    expect(keys.sessionSecret).toBe(sessionSecret)
    expect(JSON.parse(readFileSync(path.join(dir, 'keys.json'), 'utf8')).secretsKey).toBe(keys.secretsKey)
  })

  it('refuses a damaged secrets key rather than replacing it (encrypted settings would be lost)', () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'keys.json'), JSON.stringify({ sessionSecret: 'x'.repeat(64), secretsKey: 'short' }))
    expect(() => loadOrCreateKeys(dir)).toThrow(/secretsKey/)
  })
})
