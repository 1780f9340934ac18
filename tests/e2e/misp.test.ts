import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'
import { startFakeMisp, type FakeMisp } from '../helpers/fake-misp'

const KEY = 'E2eKey0Misp1Pull2Screen3Abcdefghijklmnop'

let env: SignedIn
let misp: FakeMisp
let page: Page

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })

beforeAll(async () => {
  ;[env, misp] = await Promise.all([startSignedIn('misp'), startFakeMisp({ key: KEY, now: 1551000000 })])
  page = env.page
  const list = JSON.parse(readFileSync('../shared/data/warninglists/dynamic-dns.json', 'utf8'))
  // The API client's pooled connection may have idled out while Chromium started: one retry
  // (importing a list again replaces it, so a repeat is harmless).
  const res = await env.api.post('/api/v1/warninglists', list).catch(() => env.api.post('/api/v1/warninglists', list))
  expect(res.status).toBe(201)
})

afterAll(async () => {
  await env?.close()
  await misp?.close()
})

describe('MISP pull screen', () => {
  it('is in the admin navigation and starts unconfigured', async () => {
    await page.goto(env.server.base + '/')
    await page.click('nav a[href="/admin/misp"]')
    await page.waitForSelector('[data-testid=misp-not-configured]')
    expect(await page.locator('[data-testid=misp-pull]').isDisabled()).toBe(true)
    expect(await page.locator('[data-testid=misp-schedule-badge]').textContent()).toContain('Schedule off')
    await shot('misp-empty-en')
  })

  it('tests the connection with unsaved values and explains bad input next to the field', async () => {
    await page.fill('[data-testid=misp-url]', misp.url)
    await page.fill('[data-testid=misp-api-key]', KEY)
    await page.click('[data-testid=misp-test]')
    await expect.poll(() => page.locator('[data-testid=misp-settings] [data-testid=saved]').textContent()).toMatch(/Connected to MISP .*2\.4\.190/)
    expect(await page.locator('[data-testid=misp-http-warning]').isVisible()).toBe(true)
    await page.fill('[data-testid=misp-interval]', '2')
    await page.fill('[data-testid=misp-page-size]', '50')
    await page.click('[data-testid=misp-save]')
    await expect.poll(() => page.locator('#misp-interval-error').textContent()).toBe('Use a whole number of minutes from 5 to 1440.')
    await page.fill('[data-testid=misp-interval]', '30')
    await page.click('[data-testid=misp-save]')
    await expect.poll(() => page.locator('[data-testid=misp-settings] [data-testid=saved]').textContent()).toContain('Settings saved.')
    // The key is write-only: the field empties and only its last four characters are shown.
    expect(await page.locator('[data-testid=misp-api-key]').inputValue()).toBe('')
    expect(await page.locator('#misp-api-key-hint').textContent()).toContain(`••••${KEY.slice(-4)}`)
    expect(await page.content()).not.toContain(KEY)
  })

  it('pulls now, shows the counts and the run, and links the held indicators to their review', async () => {
    await page.click('[data-testid=misp-pull]')
    await expect.poll(() => page.locator('[data-testid=misp-pull-result] [data-testid=saved]').textContent(), { timeout: 30_000 }).toMatch(/Pull finished: \d+ created, \d+ extended, 1 held for review/)
    await page.waitForSelector('[data-testid=misp-run][data-status=ok]')
    expect(await page.locator('[data-testid=misp-last-status]').textContent()).toBe('OK')
    await page.click('[data-testid=misp-run-details]')
    await page.waitForSelector('[data-testid=misp-run-panel]')
    expect(await page.locator('[data-testid=misp-run-panel]').textContent()).toContain('goodnewspaper.3322.org')
    // Nothing wider than the window (long hashes in the samples wrap inside the panel).
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await shot('misp-pulled-en')
    await page.click('[data-testid=misp-review-held]')
    await page.waitForURL(/\/submit\?mode=bulk&batch=\d+/)
    await expect.poll(() => page.locator('body').textContent()).toContain('goodnewspaper.3322.org')
    await shot('misp-held-review-en')
  })

  it('speaks Hebrew in dark mode, validation messages included', async () => {
    await page.goto(env.server.base + '/admin/misp')
    await page.waitForSelector('[data-testid=misp-run]')
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await page.locator('h1').textContent()).toBe('משיכה מ-MISP')
    await page.fill('[data-testid=misp-page-size]', '5')
    await page.click('[data-testid=misp-save]')
    await expect.poll(() => page.locator('#misp-page-size-error').textContent()).toBe('יש להזין מספר שלם בין 10 ל-5000.')
    await page.fill('[data-testid=misp-page-size]', '50')
    await page.click('[data-testid=misp-verify-tls]')
    expect(await page.locator('[data-testid=misp-verify-warning]').isVisible()).toBe(true)
    await page.click('[data-testid=misp-run-details]')
    await shot('misp-he-dark')
    await page.locator('[data-testid=misp-runs]').screenshot({ path: path.join(SHOTS, 'misp-runs-he-dark.png') })
    await page.locator('[data-testid=misp-status]').screenshot({ path: path.join(SHOTS, 'misp-status-he-dark.png') })
    await page.click('[data-testid=theme-toggle]')
    await shot('misp-he-light')
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    await shot('misp-en-dark')
  })
})
