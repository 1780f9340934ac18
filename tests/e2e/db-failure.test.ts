// The database made unavailable (issue 10): Moat is stopped, its D1 file is overwritten with bytes
// that are not a database (what a failed disk or a bad restore leaves), and the same runtime starts
// again on it without migrations. Feeds must answer 503 (never 200 with an empty list), health must
// say so, the API must answer 503 database_unavailable, and the UI must show it. Then the good file
// comes back and everything that was stored is there.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../bin/runtime'
import { SHOTS } from '../helpers/browser'
import { Client, startMoat } from '../helpers/moat'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/server'

const FEEDS = ['/feed/domain', '/feed/ip', '/feed/pa/ip', '/feed/cp/all', '/feed/stix', '/taxii2/']

let dir: string
let dbFile: string
let rt: Runtime | undefined
let browser: Browser | undefined
let base: string
let cookies: Map<string, string>
const values = Array.from({ length: 20 }, (_, i) => `down-${i}.outage-test.top`)

async function boot() {
  rt = await createRuntime({ dataDir: dir, host: '127.0.0.1', port: 0 })
  base = rt.url.href.replace(/\/$/, '')
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dir = mkdtempSync(path.join(tmpdir(), 'moat-dbfail-'))
  const moat = await startMoat(dir)
  await moat.addUser('ops', 'admin')
  const c = new Client(moat.base)
  await c.login('ops', moat.password)
  for (const value of values) expect((await c.post('/api/v1/iocs', { value })).status).toBe(201)
  expect((await fetch(`${moat.base}/feed/domain`)).status).toBe(200)
  cookies = c.cookies
  await moat.rt.dispose()
  const d1 = path.join(dir, 'd1', 'miniflare-D1DatabaseObject')
  dbFile = path.join(d1, readdirSync(d1).find((n) => n.endsWith('.sqlite') && n !== 'metadata.sqlite')!)
  // Keep the good database (checkpointed into one file by the clean shutdown, or with its WAL).
  for (const ext of ['', '-wal', '-shm']) {
    try {
      copyFileSync(dbFile + ext, `${dbFile}${ext}.good`)
    } catch {
      // no WAL left after a clean close
    }
    rmSync(dbFile + ext, { force: true })
  }
  writeFileSync(dbFile, Buffer.alloc(64 * 1024, 0x5a))
  await boot()
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await rt?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('with the database unavailable', () => {
  it('answers 503 with Retry-After on every feed, never a 200 with an empty list', async () => {
    for (const p of FEEDS) {
      const res = await fetch(base + p, { headers: { accept: p.startsWith('/taxii2') ? 'application/taxii+json;version=2.1' : '*/*' } })
      expect(res.status, p).toBe(503)
      expect(res.headers.get('retry-after'), p).toBeTruthy()
      expect(await res.text(), p).not.toContain('outage-test.top')
    }
  })

  it('reports it on /health (503, database.ok false)', async () => {
    const res = await fetch(`${base}/health`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ status: 'degraded', database: { ok: false } })
  })

  it('answers API calls with 503 database_unavailable, signed in or not', async () => {
    const login = await new Client(base).post('/api/v1/auth/login', { username: 'ops', password: 'whatever-it-is' })
    expect([login.status, login.json.error.code]).toEqual([503, 'database_unavailable'])
    expect(login.headers.get('retry-after')).toBe('30')
    const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })
    expect(me.status).toBe(503)
    expect(((await me.json()) as any).error.code).toBe('database_unavailable')
  })

  it('shows the outage in the UI, in English and Hebrew', async () => {
    const page = await (await browser!.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.goto(`${base}/login`)
    await page.fill('#username', 'ops')
    await page.fill('#password', 'any-password-at-all')
    await page.click('button[type=submit]')
    const banner = page.locator('[data-testid=outage-banner]')
    await banner.waitFor()
    expect(await banner.textContent()).toContain('The database is unavailable')
    expect(await page.locator('[role=alert]').allTextContents()).toContainEqual(expect.stringContaining('Nothing was changed'))
    await page.screenshot({ path: path.join(SHOTS, 'db-outage-en.png') })
    await page.click('[data-testid=lang-toggle]')
    await page.waitForFunction(() => document.documentElement.lang === 'he')
    expect(await banner.textContent()).toContain('מסד הנתונים אינו זמין')
    await page.screenshot({ path: path.join(SHOTS, 'db-outage-he.png') })
    await page.context().close()
  })
})

describe('when the database is back', () => {
  it('serves every stored IOC again and reports healthy', async () => {
    await rt!.dispose()
    rt = undefined
    for (const ext of ['', '-wal', '-shm']) {
      rmSync(dbFile + ext, { force: true })
      try {
        copyFileSync(`${dbFile}${ext}.good`, dbFile + ext)
      } catch {
        // that part did not exist
      }
    }
    await boot()
    expect((await fetch(`${base}/health`)).status).toBe(200)
    const feed = await fetch(`${base}/feed/domain`)
    expect(feed.status).toBe(200)
    const lines = (await feed.text()).split('\n').filter(Boolean)
    expect(lines.sort()).toEqual([...values].sort())
  })
})
