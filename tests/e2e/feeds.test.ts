import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../bin/config'
import { Client } from '../helpers/moat'
import { CHROMIUM, CHROMIUM_ARGS, startServer, type Server } from '../helpers/server'

const SHOTS = path.join(ROOT, 'tests', '.artifacts', 'screenshots')
const FIRST = 'first-Start-pass-2468'
const PASSWORD = 'Granite-osprey-meadow-73'

let dataDir: string
let server: Server
let browser: Browser
let page: Page
let api: Client

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dataDir = mkdtempSync(path.join(tmpdir(), 'moat-e2e-feeds-'))
  server = await startServer(dataDir, { MOAT_ADMIN_PASSWORD: FIRST })
  api = new Client(server.base)
  await api.login('admin', FIRST)
  expect((await api.post('/api/v1/auth/password', { current: FIRST, new: PASSWORD })).status).toBe(200)
  for (const value of ['45.9.148.12', '45.9.148.13', '45.9.148.14']) {
    expect((await api.post('/api/v1/iocs', { value })).status).toBe(201)
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage()
  await page.goto(server.base + '/login')
  await page.fill('#username', 'admin')
  await page.fill('#password', PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL((u) => u.pathname === '/')
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('feed screens', () => {
  it('lists every feed URL and flags a feed over its per-feed maximum', async () => {
    await page.goto(server.base + '/feeds')
    await page.waitForSelector('[data-testid=feed-settings]')
    await page.fill('[data-testid=feed-limits]', '/feed/pa/ip = 2')
    await page.click('[data-testid=feed-settings-save]')
    await page.waitForSelector('[data-testid=saved]')
    const body = await (await fetch(server.base + '/feed/pa/ip')).text()
    expect(body).toBe('45.9.148.12\n45.9.148.13\n')
    await page.reload()
    const row = page.locator('[data-testid=feed-row][data-path="/feed/pa/ip"]')
    await expect.poll(() => row.locator('[data-testid=feed-over-limit]').count()).toBe(1)
    expect(await row.locator('[data-testid=feed-url]').textContent()).toBe(`${server.base}/feed/pa/ip`)
    expect(await page.locator('[data-testid=feed-row]').count()).toBeGreaterThan(30)
    await page.screenshot({ path: path.join(SHOTS, 'feeds-en.png'), fullPage: true })
  })

  it('creates a feed consumer, shows its token once, and the token works', async () => {
    await page.goto(server.base + '/admin/feed-consumers')
    await page.fill('[data-testid=consumer-name]', 'PA-3220 DMZ')
    await page.fill('[data-testid=consumer-feeds]', '/feed/pa/*')
    await page.click('[data-testid=consumer-create]')
    await page.waitForSelector('[data-testid=consumer-token]')
    const token = (await page.textContent('[data-testid=consumer-token]'))!.trim()
    expect(token).toMatch(/^moatf_/)
    const basic = 'Basic ' + Buffer.from(`fw:${token}`).toString('base64')
    expect((await fetch(server.base + '/feed/pa/ip', { headers: { authorization: basic } })).status).toBe(200)
    expect((await fetch(server.base + '/feed/cp/ip', { headers: { authorization: basic } })).status).toBe(403)
    await page.click('[data-testid=lang-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    expect(await page.locator('[data-testid=consumer-row]').count()).toBe(1)
    await page.screenshot({ path: path.join(SHOTS, 'feed-consumers-he.png'), fullPage: true })
    await page.click('[data-testid=lang-toggle]')
  })
})
