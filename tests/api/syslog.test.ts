import dgram from 'node:dgram'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../functions/env'
import { runAuditRetention } from '../../scheduled/audit'
import { parseCef, parseSyslog } from '../helpers/cef'
import { ADMIN_PASSWORD, Client, startMoat, type TestMoat } from '../helpers/moat'

// A real collector: a UDP socket on a random loopback port that keeps every datagram.
let socket: dgram.Socket
let port: number
const datagrams: string[] = []

let dir: string
let moat: TestMoat
let admin: Client

const received = () => datagrams.map(parseSyslog)
const cefOf = (frame: ReturnType<typeof parseSyslog>) => parseCef(frame.msg)

async function start() {
  moat = await startMoat(dir)
  admin = new Client(moat.base)
  await admin.login('admin', ADMIN_PASSWORD)
}

beforeAll(async () => {
  socket = dgram.createSocket('udp4')
  socket.on('message', (msg) => datagrams.push(msg.toString('utf8')))
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  port = socket.address().port
  dir = mkdtempSync(path.join(tmpdir(), 'moat-syslog-'))
  await start()
  await moat.db.prepare(`UPDATE users SET must_change_password = 0 WHERE username = 'admin'`).run()
})

afterAll(async () => {
  await moat?.close()
  socket?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('syslog settings', () => {
  it('validates host and port and names the field', async () => {
    const bad = await admin.patch('/api/v1/audit/settings', { syslogHost: 'bad host!', syslogPort: 70000, syslogFacility: 'kern' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields.map((f: any) => f.field).sort()).toEqual(['syslogFacility', 'syslogHost', 'syslogPort'])
    const noHost = await admin.patch('/api/v1/audit/settings', { syslogEnabled: true })
    expect(noHost.status).toBe(400)
    expect(noHost.json.error.details.fields[0].field).toBe('syslogHost')
    const analyst = new Client(moat.base)
    await moat.addUser('ana', 'analyst')
    await analyst.login('ana', moat.password)
    expect((await analyst.patch('/api/v1/audit/settings', { syslogEnabled: false })).status).toBe(403)
  })

  it('saves a collector and audits the change', async () => {
    const res = await admin.patch('/api/v1/audit/settings', { syslogEnabled: true, syslogHost: '127.0.0.1', syslogPort: port, syslogFacility: 'local3' })
    expect(res.status).toBe(200)
    expect(res.json.settings).toMatchObject({ syslogEnabled: true, syslogHost: '127.0.0.1', syslogPort: port, syslogFacility: 'local3' })
    const change = await moat.db.prepare(`SELECT * FROM audit_log WHERE action = 'settings.change' AND target = 'audit'`).first<any>()
    expect(change.actor).toBe('admin')
  })
})

describe('audit records as syslog datagrams', () => {
  it('sends a failed sign-in as an RFC 5424 datagram whose MSG is the CEF line', async () => {
    const before = datagrams.length
    const res = await new Client(moat.base, '203.0.113.66').post('/api/v1/auth/login', { username: 'mallory', password: 'wrong-password-x' })
    expect(res.status).toBe(401)
    await expect.poll(() => received().some((f) => f.msgId === 'auth.login'), { timeout: 10_000 }).toBe(true)
    const frame = received().slice(before).find((f) => f.msgId === 'auth.login')!
    // local3 (19) * 8 + warning (4): a failure is CEF severity 5, the Medium band.
    expect(frame).toMatchObject({ pri: 156, appName: 'moat', sd: '-' })
    expect(Math.abs(Date.parse(frame.timestamp) - Date.now())).toBeLessThan(60_000)
    const { header, ext } = cefOf(frame)
    expect(header).toEqual(['CEF:0', 'Moat', 'Moat', expect.stringMatching(/^\d+\.\d+\.\d+/), 'auth.login', 'Sign-in failed', '5'])
    expect(ext).toMatchObject({ act: 'auth.login', outcome: 'failure', suser: 'mallory', src: '203.0.113.66', duser: 'mallory' })

    // The admin preview shows the same CEF line for that record.
    const preview = await admin.get(`/api/v1/audit/${ext.externalId}`)
    expect(preview.json.cef).toBe(frame.msg)
    expect(parseSyslog(preview.json.syslog).msg).toBe(frame.msg)
  })

  it('sends the settings change that enabled it, but nothing from before', async () => {
    const cefs = received().map(cefOf)
    expect(cefs.some((c) => c.ext.act === 'settings.change')).toBe(true)
    expect(cefs.some((c) => c.ext.act === 'user.create')).toBe(false)
  })

  it('writes every record, from the first, to data/audit/cef.log (mode 0600)', async () => {
    const file = path.join(dir, 'audit', 'cef.log')
    await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8').includes('act=auth.login'), { timeout: 10_000 }).toBe(true)
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    const ids = lines.map((l) => Number(parseCef(l).ext.externalId))
    expect(ids[0]).toBe(1)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(parseCef(lines[0]).ext.act).toBe('user.create')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('sends a test message on demand and refuses a bad override', async () => {
    const res = await admin.post('/api/v1/audit/syslog/test', {})
    expect(res.status).toBe(200)
    expect(res.json.target).toBe(`127.0.0.1:${port}`)
    await expect.poll(() => received().some((f) => f.msgId === 'syslog.test'), { timeout: 10_000 }).toBe(true)
    const bad = await admin.post('/api/v1/audit/syslog/test', { port: 0 })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields[0].field).toBe('port')
  })

  it('sends nothing twice across a restart, and what happened meanwhile arrives after it', async () => {
    await new Client(moat.base).post('/api/v1/auth/login', { username: 'before-restart', password: 'wrong-password-x' })
    await expect.poll(() => received().some((f) => cefOf(f).ext.suser === 'before-restart'), { timeout: 10_000 }).toBe(true)
    await moat.close()
    // Written while Moat was down (e.g. by the CLI): shipped after the restart.
    await start()
    await moat.db.prepare(`INSERT INTO audit_log (action, outcome, actor, target) VALUES ('user.password_reset', 'success', 'cli', 'offline-user')`).run()
    await new Client(moat.base).post('/api/v1/auth/login', { username: 'after-restart', password: 'wrong-password-x' })
    await expect.poll(() => received().some((f) => cefOf(f).ext.suser === 'after-restart'), { timeout: 10_000 }).toBe(true)
    const worker = await moat.rt.mf.getWorker()
    await worker.scheduled({ cron: 'job:audit', scheduledTime: new Date() })
    await expect.poll(() => received().some((f) => cefOf(f).ext.duser === 'offline-user'), { timeout: 10_000 }).toBe(true)
    const ids = received()
      .filter((f) => f.msgId !== 'syslog.test')
      .map((f) => cefOf(f).ext.externalId)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('keeps filling the local file while the collector cannot be resolved, and catches up later', async () => {
    const bad = await admin.patch('/api/v1/audit/settings', { syslogHost: 'collector.invalid' })
    expect(bad.status).toBe(200)
    await new Client(moat.base).post('/api/v1/auth/login', { username: 'while-down', password: 'wrong-password-x' })
    const file = path.join(dir, 'audit', 'cef.log')
    await expect.poll(() => readFileSync(file, 'utf8').includes('suser=while-down'), { timeout: 15_000 }).toBe(true)
    await expect
      .poll(async () => (await admin.get('/api/v1/audit/settings')).json.settings.delivery.syslogError, { timeout: 15_000 })
      .toMatch(/collector\.invalid/)
    expect(received().some((f) => cefOf(f).ext.suser === 'while-down')).toBe(false)
    await admin.patch('/api/v1/audit/settings', { syslogHost: '127.0.0.1' })
    await expect.poll(() => received().some((f) => cefOf(f).ext.suser === 'while-down'), { timeout: 10_000 }).toBe(true)
    await expect.poll(async () => (await admin.get('/api/v1/audit/settings')).json.settings.delivery.syslogError, { timeout: 10_000 }).toBeNull()
  })
})

describe('audit viewer API', () => {
  it('filters by action prefix, actor, outcome and time, with keyset paging', async () => {
    const failures = await admin.get('/api/v1/audit?action=auth.&outcome=failure&limit=2')
    expect(failures.json.items).toHaveLength(2)
    expect(failures.json.items.every((r: any) => r.action.startsWith('auth.') && r.outcome === 'failure')).toBe(true)
    const next = await admin.get(`/api/v1/audit?action=auth.&outcome=failure&limit=2&cursor=${failures.json.nextCursor}`)
    expect(next.json.items[0].id).toBeLessThan(failures.json.items[1].id)
    const mallory = await admin.get('/api/v1/audit?actor=MALLORY')
    expect(mallory.json.items.map((r: any) => r.actor)).toEqual(['mallory'])
    const future = await admin.get(`/api/v1/audit?from=${new Date(Date.now() + 3_600_000).toISOString()}`)
    expect(future.json.items).toEqual([])
    const bad = await admin.get('/api/v1/audit?from=yesterday')
    expect(bad.json.error.details.fields[0].field).toBe('from')
  })

  it('exports CSV with formula cells neutralised, and audits the export', async () => {
    await new Client(moat.base).post('/api/v1/auth/login', { username: '=HYPERLINK("http://x")', password: 'wrong-password-x' })
    const res = await admin.get('/api/v1/audit/export.csv?action=auth.login')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="moat-audit-.*\.csv"/)
    const lines = res.text.trim().split('\r\n')
    expect(lines[0]).toBe('id,at,action,outcome,severity,actor,actor_id,source_ip,target,details')
    expect(res.text).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect(res.text).not.toMatch(/(^|,)=HYPERLINK/m)
    expect((await moat.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'audit.export'`).first<any>()).n).toBe(1)
  })

  it('deletes only shipped records past the retention period', async () => {
    await moat.db.batch([
      moat.db.prepare(`INSERT INTO audit_log (action, outcome, at) VALUES ('ioc.create', 'success', '2020-01-01T00:00:00.000Z')`),
      moat.db.prepare(`INSERT INTO audit_log (action, outcome, at) VALUES ('ioc.create', 'success', '2020-01-02T00:00:00.000Z')`),
    ])
    const ids = (await moat.db.prepare(`SELECT id FROM audit_log WHERE at < '2021-01-01' ORDER BY id`).all<any>()).results.map((r: any) => r.id)
    // Pretend only the first one has been shipped.
    await moat.db.prepare(`UPDATE settings SET value = ? WHERE key IN ('audit.cursor.file', 'audit.cursor.syslog')`).bind(String(ids[0])).run()
    const result = await runAuditRetention(createDb(moat.db as never), new Date())
    expect(result.purged).toBe(1)
    const left = (await moat.db.prepare(`SELECT id FROM audit_log WHERE at < '2021-01-01'`).all<any>()).results.map((r: any) => r.id)
    expect(left).toEqual([ids[1]])
  })
})
