import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readWranglerConfig } from '../../bin/config'
import { applyMigrations } from '../../bin/migrate'
import { addUser, resetPassword } from '../../bin/users'
import { Client, startMoat } from '../helpers/moat'

describe('runtime', () => {
  it('answers /health with database status, version and jobs, without auth', async () => {
    const moat = await startMoat()
    try {
      const res = await fetch(moat.base + '/health')
      expect(res.status).toBe(200)
      const body: any = await res.json()
      expect(body.status).toBe('ok')
      expect(body.database.ok).toBe(true)
      expect(body.version).toMatch(/^\d+\.\d+\.\d+/)
      expect(body.disk.freeBytes).toBeGreaterThan(0)
      expect(Object.keys(body.jobs)).toContain('housekeeping')
      expect(JSON.stringify(body)).not.toContain(moat.rt.dataDir)
    } finally {
      await moat.close()
    }
  })

  it('applies migrations once: a second run is a no-op', async () => {
    const moat = await startMoat()
    try {
      const again = await applyMigrations(moat.db as never, readWranglerConfig().migrationsDir)
      expect(again).toEqual([])
      const rows = await moat.db.prepare('SELECT name FROM d1_migrations').all()
      expect(rows.results.length).toBeGreaterThan(0)
    } finally {
      await moat.close()
    }
  })

  it('keeps users and sessions keys across a restart on the same data folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moat-restart-'))
    try {
      const first = await startMoat(dir)
      await first.addUser('persist', 'analyst')
      const c = new Client(first.base)
      await c.login('persist', first.password)
      await first.close()
      expect(statSync(path.join(dir, 'keys.json')).mode & 0o777).toBe(0o600)

      const second = await startMoat(dir)
      try {
        const again = new Client(second.base)
        again.cookies = c.cookies
        const me = await again.get('/api/v1/auth/me')
        expect(me.status).toBe(200)
        expect(me.json.user.username).toBe('persist')
        const admins = await second.db.prepare(`SELECT count(*) AS n FROM users WHERE username = 'admin'`).first()
        expect(admins).toEqual({ n: 1 })
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('creates users and resets passwords from the CLI with one-time passwords that must be changed', async () => {
    const moat = await startMoat()
    try {
      const pw = await addUser(moat.rt, 'nina', 'viewer', 'Nina N.')
      expect(pw).toMatch(/^[A-Za-z0-9]{20}$/)
      await expect(addUser(moat.rt, 'NINA', 'viewer')).rejects.toThrow(/already exists/)
      await expect(addUser(moat.rt, 'x', 'root')).rejects.toThrow(/--role/)
      const c = new Client(moat.base)
      const login = await c.login('nina', pw)
      expect(login.json.mustChangePassword).toBe(true)
      expect(login.json.user).toMatchObject({ role: 'viewer', displayName: 'Nina N.' })

      const pw2 = await resetPassword(moat.rt, 'nina')
      expect(pw2).not.toBe(pw)
      expect((await c.get('/api/v1/auth/me')).status).toBe(401)
      expect((await new Client(moat.base).post('/api/v1/auth/login', { username: 'nina', password: pw })).status).toBe(401)
      await new Client(moat.base).login('nina', pw2)
    } finally {
      await moat.close()
    }
  })
})
