import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../../bin/config'
import { Client } from '../helpers/moat'
import { CHROMIUM, CHROMIUM_ARGS, startServer, type Server } from '../helpers/server'

const SHOTS = path.join(ROOT, 'tests', '.artifacts', 'screenshots')
const NEW_PASSWORD = 'Granite-osprey-meadow-73'

let dataDir: string
let server: Server
let browser: Browser
let page: Page
const offOrigin: string[] = []

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  dataDir = mkdtempSync(path.join(tmpdir(), 'moat-e2e-'))
  server = await startServer(dataDir)
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  page.on('request', (req) => {
    if (!req.url().startsWith(server.base) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) {
      offOrigin.push(req.url())
    }
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

function oneTimePassword(output: string): string {
  const match = output.match(/one-time password: (\S+)/)
  if (!match) throw new Error(`no one-time password printed:\n${output}`)
  return match[1]
}

describe('first start in the browser', () => {
  it('prints a one-time admin password once and never as a log field', () => {
    const out = server.output()
    const pw = oneTimePassword(out)
    expect(out.split(pw).length - 1).toBe(1)
    for (const line of out.split('\n').filter((l) => l.startsWith('{'))) expect(line).not.toContain(pw)
  })

  it('signs in with the one-time password and forces a password change', async () => {
    await page.goto(server.base + '/')
    await page.waitForURL(/\/login/)
    await page.fill('#username', 'admin')
    await page.fill('#password', 'wrong-password-here')
    await page.click('button[type=submit]')
    await expect.poll(() => page.textContent('[data-testid=form-error]')).toMatch(/\S/)
    await page.screenshot({ path: path.join(SHOTS, 'login-error-en.png') })

    await page.fill('#password', oneTimePassword(server.output()))
    await page.click('button[type=submit]')
    await page.waitForURL(/\/change-password/)
    await page.screenshot({ path: path.join(SHOTS, 'change-password-en.png') })
    await page.fill('#current', oneTimePassword(server.output()))
    await page.fill('#new', NEW_PASSWORD)
    await page.fill('#confirm', NEW_PASSWORD)
    await page.click('button[type=submit]')
    await page.waitForURL((url) => url.pathname === '/')
    await expect.poll(() => page.textContent('[data-testid=whoami]')).toMatch(/admin|Administrator/)
  })

  it('shows the shell in English, then in Hebrew with a right-to-left layout', async () => {
    expect(await page.getAttribute('html', 'dir')).toBe('ltr')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.screenshot({ path: path.join(SHOTS, 'overview-en.png'), fullPage: true })
    await page.click('[data-testid=lang-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    expect(await page.getAttribute('html', 'lang')).toBe('he')
    const nav = await page.textContent('nav')
    expect(nav).toMatch(/[\u0590-\u05FF]/)
    await page.screenshot({ path: path.join(SHOTS, 'overview-he.png'), fullPage: true })
    await page.reload()
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
  })

  it('switches to the dark theme and remembers it', async () => {
    const before = await page.getAttribute('html', 'data-theme')
    await page.click('[data-testid=theme-toggle]')
    await expect.poll(() => page.getAttribute('html', 'data-theme')).not.toBe(before)
    const after = await page.getAttribute('html', 'data-theme')
    await page.reload()
    await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(after)
    await page.screenshot({ path: path.join(SHOTS, `overview-he-${after}.png`), fullPage: true })
    await page.click('[data-testid=lang-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('ltr')
  })

  it('edits the profile', async () => {
    await page.goto(server.base + '/profile')
    await page.waitForSelector('#displayName')
    await page.fill('#displayName', 'Chief Admin')
    await page.click('form button[type=submit]')
    await page.waitForSelector('[data-testid=saved]')
    await page.screenshot({ path: path.join(SHOTS, 'profile-en.png'), fullPage: true })
    await expect.poll(() => page.textContent('[data-testid=whoami]')).toContain('Chief Admin')
  })

  it('loaded nothing from outside the origin', () => {
    expect(offOrigin).toEqual([])
  })

  it('signs out and back at the login page', async () => {
    await page.click('[data-testid=logout]')
    await page.waitForURL(/\/login/)
  })

  it('stops cleanly on SIGTERM and keeps the data for the next start', async () => {
    const code = await server.stop()
    expect(code).toBe(0)
    expect(server.output()).toContain('"msg":"stopped"')
    server = await startServer(dataDir)
    expect(server.output()).not.toMatch(/one-time password/)
    const c = new Client(server.base)
    const login = await c.login('admin', NEW_PASSWORD)
    expect(login.json.mustChangePassword).toBe(false)
    expect(login.json.user.displayName).toBe('Chief Admin')
  })
})
