import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupName, backupsDir, findDatabaseFile, snapshotDatabase } from '../../bin/backup'
import { BACKUP_NAME_RE } from '../../schema/contracts/backups'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// The Backups tab's API (/api/v1/admin/backups) against a real Moat: the launcher's HOST side
// lists, writes, streams, checks and deletes files in <data>/backups; names that are not exactly a
// backup's are refused before any path is made of them.

let moat: TestMoat
let admin: Client
let dir: string
const work = mkdtempSync(path.join(tmpdir(), 'moat-backups-api-'))
const OLD_DAILY = 'moat-daily-20260101T023000Z.sqlite'
const OLD_UPGRADE = 'moat-pre-upgrade-20260102T100000Z.sqlite'

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('adm', 'admin')
  await moat.addUser('ana', 'analyst')
  admin = new Client(moat.base)
  await admin.login('adm', moat.password)
  dir = backupsDir(moat.rt.dataDir)
  const src = findDatabaseFile(moat.rt.dataDir)!
  snapshotDatabase(src, backupName(moat.rt.dataDir, 'daily', new Date('2026-01-01T02:30:00Z')))
  snapshotDatabase(src, backupName(moat.rt.dataDir, 'pre-upgrade', new Date('2026-01-02T10:00:00Z')))
  // Not backups: never listed, never reachable.
  writeFileSync(path.join(dir, 'notes.txt'), 'not a backup')
  writeFileSync(path.join(dir, 'moat-daily-yesterday.sqlite'), 'not a backup either')
})

afterAll(async () => {
  await moat?.close()
  rmSync(work, { recursive: true, force: true })
})

const list = async () => {
  const res = await admin.get('/api/v1/admin/backups')
  expect(res.status).toBe(200)
  return res.json
}

const audits = (action: string) =>
  moat.db.prepare(`SELECT actor, target, details FROM audit_log WHERE action = ? ORDER BY id`).bind(action).all<{ actor: string; target: string; details: string }>()

/** Raw GET with the admin's cookies (the Client reads bodies as text). */
const rawGet = (p: string) =>
  fetch(moat.base + p, { headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'cf-connecting-ip': admin.ip } })

describe('listing', () => {
  it('lists only backup files, newest first, with kind, time, size, migration level and the restore command', async () => {
    const v = await list()
    expect(v.backups.map((b: any) => b.name)).toEqual([OLD_UPGRADE, OLD_DAILY])
    const [upgrade, daily] = v.backups
    expect(daily).toMatchObject({ kind: 'daily', createdAt: '2026-01-01T02:30:00Z' })
    expect(upgrade).toMatchObject({ kind: 'pre-upgrade', createdAt: '2026-01-02T10:00:00Z' })
    const migrations = readdirSync('schema/migrations').filter((f) => f.endsWith('.sql')).length
    expect(daily.migrations).toBe(migrations)
    expect(daily.lastMigration).toMatch(/^\d{4}_/)
    expect(daily.bytes).toBe(readFileSync(path.join(dir, OLD_DAILY)).length)
    expect(daily.restoreCommand).toBe(`MOAT_DATA=${path.resolve(moat.rt.dataDir)} moat restore ${path.join(path.resolve(dir), OLD_DAILY)}`)
    expect(v.settings).toEqual({ enabled: true, keep: 7 })
    expect(v.schedule).toBe('30 2 * * *')
    expect(v.nextDaily).toMatch(/T02:30:00\.000Z$/)
    expect(new Date(v.nextDaily).getTime()).toBeGreaterThan(Date.now())
    expect(v.disk.freeBytes).toBeGreaterThan(0)
    expect(v.disk.totalBytes).toBeGreaterThanOrEqual(v.disk.freeBytes)
    expect(v.keysFile).toBe(path.join(path.resolve(moat.rt.dataDir), 'keys.json'))
    expect(v.timeZone).toBe('UTC')
    expect(v.running).toBe(false)
  })
})

describe('back up now', () => {
  it('writes a consistent manual snapshot while writes continue, audited, and keeps every acknowledged write', async () => {
    const acked: string[] = []
    let writing = true
    const writer = async (w: number) => {
      for (let n = 0; writing; n++) {
        const value = `w${w}-n${n}.backup-now.example`
        const res = await admin.post('/api/v1/iocs', { value, type: 'domain', confirm: true })
        if (res.status === 201) acked.push(value)
      }
    }
    const writers = [0, 1, 2].map(writer)
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 20))
    const before = [...acked]
    const res = await admin.post('/api/v1/admin/backups')
    writing = false
    await Promise.all(writers)
    expect(res.status).toBe(201)
    const b = res.json.backup
    expect(b.name).toMatch(/^moat-manual-\d{8}T\d{6}Z\.sqlite$/)
    expect(b.kind).toBe('manual')
    const file = path.join(dir, b.name)
    expect(b.bytes).toBe(readFileSync(file).length)
    const db = new Database(file, { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      const values = new Set((db.prepare('SELECT value FROM iocs').all() as { value: string }[]).map((r) => r.value))
      expect(before.filter((v) => !values.has(v))).toEqual([])
    } finally {
      db.close()
    }
    expect((await list()).backups[0].name).toBe(b.name)
    const rows = (await audits('backup.create')).results
    expect(rows.at(-1)).toMatchObject({ actor: 'adm', target: b.name })
    expect(JSON.parse(rows.at(-1)!.details)).toMatchObject({ kind: 'manual', bytes: b.bytes })
  })

  it('refuses a second backup while one is being written (409), and takes a new name for the next', async () => {
    const [a, b] = await Promise.all([admin.post('/api/v1/admin/backups'), admin.post('/api/v1/admin/backups')])
    expect([a.status, b.status].sort()).toEqual([201, 409])
    const refused = a.status === 409 ? a : b
    expect(refused.json.error.code).toBe('backup_running')
    const c = await admin.post('/api/v1/admin/backups')
    expect(c.status).toBe(201)
    const names = (await list()).backups.filter((x: any) => x.kind === 'manual').map((x: any) => x.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names).toHaveLength(3)
  })
})

describe('download and check', () => {
  it('streams the file as an attachment: the same bytes, a valid SQLite database', async () => {
    const res = await rawGet(`/api/v1/admin/backups/${OLD_DAILY}/download`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${OLD_DAILY}"`)
    expect(res.headers.get('content-type')).toBe('application/vnd.sqlite3')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.equals(readFileSync(path.join(dir, OLD_DAILY)))).toBe(true)
    const copy = path.join(work, 'downloaded.sqlite')
    writeFileSync(copy, bytes)
    const db = new Database(copy, { readonly: true })
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect((db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBeGreaterThan(0)
    } finally {
      db.close()
    }
    expect((await audits('backup.download')).results.at(-1)).toMatchObject({ actor: 'adm', target: OLD_DAILY })
  })

  it('checks a backup as moat restore does', async () => {
    const ok = await admin.get(`/api/v1/admin/backups/${OLD_DAILY}/check`)
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ name: OLD_DAILY, ok: true, pendingMigrations: 0 })
    expect(ok.json.migrations).toBeGreaterThan(0)
    // A damaged file with a backup's name fails the check and says why.
    const broken = 'moat-manual-20250101T000000Z.sqlite'
    const bytes = readFileSync(path.join(dir, OLD_DAILY))
    bytes.fill(0x5a, 4096, 8192)
    writeFileSync(path.join(dir, broken), bytes)
    const bad = await admin.get(`/api/v1/admin/backups/${broken}/check`)
    expect(bad.status).toBe(200)
    expect(bad.json.ok).toBe(false)
    expect(bad.json.problem).toBeTruthy()
    expect((await admin.del(`/api/v1/admin/backups/${broken}`)).status).toBe(204)
  })
})

describe('delete', () => {
  it('removes the file, audited; a second delete is 404', async () => {
    const res = await admin.del(`/api/v1/admin/backups/${OLD_UPGRADE}`)
    expect(res.status).toBe(204)
    expect(existsSync(path.join(dir, OLD_UPGRADE))).toBe(false)
    expect((await list()).backups.map((b: any) => b.name)).not.toContain(OLD_UPGRADE)
    expect((await audits('backup.delete')).results.at(-1)).toMatchObject({ actor: 'adm', target: OLD_UPGRADE })
    const again = await admin.del(`/api/v1/admin/backups/${OLD_UPGRADE}`)
    expect(again.status).toBe(404)
    expect((await rawGet(`/api/v1/admin/backups/${OLD_UPGRADE}/download`)).status).toBe(404)
  })
})

describe('settings', () => {
  it('refuse keep outside 1..365 or not whole with 422 naming keep, wrong types with 400', async () => {
    for (const keep of [0, 366, 2.5, -1]) {
      const res = await admin.patch('/api/v1/admin/backups/settings', { keep })
      expect(res.status, `keep ${keep}`).toBe(422)
      expect(res.json.error.details.fields[0].field).toBe('keep')
    }
    for (const body of [{ keep: '7' }, { enabled: 'yes' }, { retention: 3 }]) {
      const res = await admin.patch('/api/v1/admin/backups/settings', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    expect((await admin.patch('/api/v1/admin/backups/settings', { keep: '7' })).json.error.details.fields[0].field).toBe('keep')
    expect((await admin.patch('/api/v1/admin/backups/settings', { enabled: 'yes' })).json.error.details.fields[0].field).toBe('enabled')
    expect((await list()).settings).toEqual({ enabled: true, keep: 7 })
    expect((await audits('settings.change')).results.filter((r) => r.target === 'backup')).toEqual([])
  })

  it('save keep and enabled, audited as a settings change; disabled means no next daily run', async () => {
    const res = await admin.patch('/api/v1/admin/backups/settings', { keep: 14, enabled: false })
    expect(res.status).toBe(200)
    expect(res.json.settings).toEqual({ enabled: false, keep: 14 })
    expect(res.json.nextDaily).toBeNull()
    const row = await moat.db.prepare(`SELECT value FROM settings WHERE key = 'backup.keep'`).first<{ value: string }>()
    expect(JSON.parse(row!.value)).toBe(14)
    const audit = (await audits('settings.change')).results.filter((r) => r.target === 'backup').at(-1)!
    expect(JSON.parse(audit.details)).toEqual({ fields: ['enabled', 'keep'], enabled: { from: true, to: false }, keep: { from: 7, to: 14 } })
    const back = await admin.patch('/api/v1/admin/backups/settings', { enabled: true })
    expect(back.json.settings).toEqual({ enabled: true, keep: 14 })
    expect(back.json.nextDaily).not.toBeNull()
  })
})

describe('names', () => {
  const bad = [
    '..%2Fkeys.json',
    '..%2F..%2Fkeys.json',
    '%2Fetc%2Fpasswd',
    '%2E%2E%2Fkeys.json',
    '..%252Fkeys.json',
    '..%5Ckeys.json',
    'keys.json',
    'moat.pid',
    `${OLD_DAILY.replace('.sqlite', '')}%2F..%2F..%2Fkeys.json`,
    `..%2Fbackups%2F${OLD_DAILY}`,
    `${OLD_DAILY}%00`,
    `${OLD_DAILY}.partial`,
    'moat-daily-20260101T023000Z.SQLITE',
    'moat-weekly-20260101T023000Z.sqlite',
    'moat-daily-yesterday.sqlite',
    'notes.txt',
  ]

  it('refuses anything but an exact backup name with 400 naming the field, on every route', async () => {
    const wrong: string[] = []
    for (const name of bad) {
      for (const [method, p] of [
        ['GET', `/api/v1/admin/backups/${name}/download`],
        ['GET', `/api/v1/admin/backups/${name}/check`],
        ['DELETE', `/api/v1/admin/backups/${name}`],
      ] as const) {
        const res = await admin.request(method, p)
        if (res.status !== 400 || res.json?.error?.details?.fields?.[0]?.field !== 'name') wrong.push(`${method} ${p}: ${res.status} ${res.text.slice(0, 120)}`)
      }
    }
    expect(wrong).toEqual([])
    expect(existsSync(path.join(moat.rt.dataDir, 'keys.json'))).toBe(true)
    expect(existsSync(path.join(dir, 'notes.txt'))).toBe(true)
  })

  it('the name pattern itself admits no separator or dot-dot', () => {
    for (const name of ['../keys.json', '/etc/passwd', 'moat-daily-20260101T023000Z.sqlite/../x', 'a\\b']) expect(BACKUP_NAME_RE.test(name)).toBe(false)
  })
})

describe('roles', () => {
  it('refuses analysts on every backup route (403)', async () => {
    const ana = new Client(moat.base, '198.51.100.7')
    await ana.login('ana', moat.password)
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/admin/backups'],
      ['PATCH', '/api/v1/admin/backups/settings', { keep: 3 }],
      ['POST', '/api/v1/admin/backups'],
      ['GET', `/api/v1/admin/backups/${OLD_DAILY}/download`],
      ['GET', `/api/v1/admin/backups/${OLD_DAILY}/check`],
      ['DELETE', `/api/v1/admin/backups/${OLD_DAILY}`],
    ]
    for (const [method, p, body] of routes) {
      const res = await ana.request(method, p, body)
      expect([res.status, res.json?.error?.code], `${method} ${p}`).toEqual([403, 'forbidden'])
    }
    expect(existsSync(path.join(dir, OLD_DAILY))).toBe(true)
  })
})
