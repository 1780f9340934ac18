import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ROOT } from '../../bin/config'
import { Client } from './moat'
import { CHROMIUM, CHROMIUM_ARGS, startServer, type Server } from './server'

export const SHOTS = path.join(ROOT, 'tests', '.artifacts', 'screenshots')
const FIRST = 'first-Start-pass-2468'
export const ADMIN_PASSWORD = 'Granite-osprey-meadow-73'

export interface SignedIn {
  server: Server
  api: Client
  browser: Browser
  page: Page
  close(): Promise<void>
}

/**
 * A `moat start` process on a fresh data folder whose admin has already changed the first
 * password, an API client signed in as that admin, and Debian's Chromium signed in too.
 */
export async function startSignedIn(name: string): Promise<SignedIn> {
  mkdirSync(SHOTS, { recursive: true })
  const dataDir = mkdtempSync(path.join(tmpdir(), `moat-e2e-${name}-`))
  const server = await startServer(dataDir, { MOAT_ADMIN_PASSWORD: FIRST })
  const api = new Client(server.base)
  await api.login('admin', FIRST)
  const changed = await api.post('/api/v1/auth/password', { current: FIRST, new: ADMIN_PASSWORD })
  if (changed.status !== 200) throw new Error(`password change failed: ${changed.status} ${changed.text}`)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage()
  await page.goto(server.base + '/login')
  await page.fill('#username', 'admin')
  await page.fill('#password', ADMIN_PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForURL((u) => u.pathname === '/')
  return {
    server,
    api,
    browser,
    page,
    async close() {
      await browser.close()
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
