import Database from 'better-sqlite3'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackupHost } from '../../bin/host-backups'

// The launcher's side of the Backups screen on its own: whatever the worker sends, a name is used
// only when it is exactly a backup's, and only as a plain file inside <data>/backups.

const data = mkdtempSync(path.join(tmpdir(), 'moat-host-backups-'))
const backups = path.join(data, 'backups')
const GOOD = 'moat-daily-20260101T023000Z.sqlite'
const host = createBackupHost(data)
const call = (method: string, p: string) => host(new Request(`http://host${p}`, { method }), new URL(`http://host${p}`).pathname)

beforeAll(() => {
  mkdirSync(backups, { recursive: true })
  const db = new Database(path.join(backups, GOOD))
  db.exec(`CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO d1_migrations (name) VALUES ('0000_init.sql'), ('0001_next.sql')`)
  db.close()
  writeFileSync(path.join(data, 'keys.json'), '{"secret":"x"}')
  // A symlink with a backup's name pointing out of the folder.
  symlinkSync(path.join(data, 'keys.json'), path.join(backups, 'moat-manual-20260101T000000Z.sqlite'))
})

afterAll(() => rmSync(data, { recursive: true, force: true }))

describe('HOST /v1/backups', () => {
  it('lists plain backup files with their migration level, never a symlink', async () => {
    const res = await call('GET', '/v1/backups')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { backups: { name: string; migrations: number; lastMigration: string }[] }
    expect(body.backups.map((b) => b.name)).toEqual([GOOD])
    expect(body.backups[0]).toMatchObject({ migrations: 2, lastMigration: '0001_next.sql' })
  })

  it('refuses names that are not exactly a backup name with 400, whatever the worker checked', async () => {
    for (const name of ['../keys.json', '/etc/passwd', `${GOOD}/../../keys.json`, `../backups/${GOOD}`, 'keys.json', '', `${GOOD}\0`]) {
      for (const [method, p] of [['GET', 'file'], ['DELETE', 'file'], ['GET', 'check']]) {
        const res = await call(method, `/v1/backups/${p}?name=${encodeURIComponent(name)}`)
        expect(res.status, `${method} ${p} ${JSON.stringify(name)}`).toBe(400)
      }
    }
    expect(existsSync(path.join(data, 'keys.json'))).toBe(true)
  })

  it('does not follow a symlink named like a backup', async () => {
    const name = 'moat-manual-20260101T000000Z.sqlite'
    expect((await call('GET', `/v1/backups/file?name=${name}`)).status).toBe(404)
    expect((await call('GET', `/v1/backups/check?name=${name}`)).status).toBe(404)
    expect((await call('DELETE', `/v1/backups/file?name=${name}`)).status).toBe(404)
    expect(existsSync(path.join(data, 'keys.json'))).toBe(true)
  })

  it('serves and deletes a real backup', async () => {
    const res = await call('GET', `/v1/backups/file?name=${GOOD}`)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 16).toString()).toBe('SQLite format 3\0')
    expect((await call('DELETE', `/v1/backups/file?name=${GOOD}`)).status).toBe(204)
    expect(existsSync(path.join(backups, GOOD))).toBe(false)
  })
})
