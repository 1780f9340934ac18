import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let base: string

async function setTheme(want: 'light' | 'dark') {
  if ((await page.getAttribute('html', 'data-theme')) !== want) await page.click('[data-testid=theme-toggle]')
  await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(want)
}

async function setLang(want: 'en' | 'he') {
  if ((await page.getAttribute('html', 'lang')) !== want) await page.click('[data-testid=lang-toggle]')
  await expect.poll(() => page.getAttribute('html', 'lang')).toBe(want)
}

/**
 * Once more when the API client's idle keep-alive connection was closed by the server just as it
 * was reused (`fetch failed: other side closed`, before the request reached the app).
 */
const again = <T>(f: () => Promise<T>) => f().catch((err) => (String(err).includes('fetch failed') ? f() : Promise.reject(err)))
const feed = (p: string) => again(async () => (await fetch(base + p)).text())

beforeAll(async () => {
  env = await startSignedIn('pulse')
  page = env.page
  base = env.server.base
  for (const value of ['evil-login.com', 'cdn-update.net', '45.9.148.12', '10.20.30.40', '192.168.7.7', 'ab.io', 'http://payload.bad-cdn.com/drop.exe', 'phish@mail-bad.net']) {
    expect((await again(() => env.api.post('/api/v1/iocs', { value, confirm: true }))).status).toBe(201)
  }
  const gone = await again(() => env.api.post('/api/v1/iocs', { value: 'short-lived.example-bad.org', confirm: true }))
  expect((await again(() => env.api.del(`/api/v1/iocs/${gone.json.ioc.id}`))).status).toBe(204)
  // Feeds are built on their first poll: size samples for the trend.
  expect(await feed('/feed/ip')).toContain('10.20.30.40')
  await feed('/feed/domain')
  expect((await again(() => env.api.post('/api/v1/feed-consumers', { name: 'pa-fw-edge' }))).status).toBe(201)
})

afterAll(() => env?.close())

describe('Feed Pulse screen', () => {
  for (const [lang, theme] of [['en', 'light'], ['he', 'dark'], ['en', 'dark'], ['he', 'light']] as const) {
    it(`shows incoming, outgoing, anomalies, feeds and consumers (${lang}, ${theme})`, async () => {
      await page.goto(base + '/pulse?window=24h')
      await setLang(lang)
      await setTheme(theme)
      await page.waitForSelector('[data-testid=pulse-incoming] tbody tr')
      await page.waitForSelector('[data-testid=flow-chart] svg')
      await page.waitForSelector('[data-testid=feed-chart] svg')
      expect(await page.textContent('[data-testid=kpi-added] .kpi-value')).toBe('9')
      expect(await page.textContent('[data-testid=kpi-deleted] .kpi-value')).toBe('1')
      expect(await page.locator('[data-testid=pulse-outgoing] tbody tr').count()).toBe(1)
      expect(await page.textContent('[data-testid=pulse-consumers]')).toContain('pa-fw-edge')
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'he' ? 'rtl' : 'ltr')
      await page.waitForTimeout(300)
      await page.screenshot({ path: path.join(SHOTS, `pulse-${lang}-${theme}.png`), fullPage: true })
    })
  }

  it('excludes an anomaly with one click (out of the feed at once) and undoes it', async () => {
    await setLang('en')
    await setTheme('light')
    await page.goto(base + '/pulse')
    const row = page.locator('[data-testid=anomaly-row][data-value="10.20.30.40"]')
    await row.waitFor()
    expect(await row.textContent()).toContain('Private or loopback IP')
    await row.locator('[data-testid=anomaly-exclude]').click()
    await row.locator('[data-testid=anomaly-unexclude]').waitFor()
    expect(await page.textContent('[data-testid=pulse-anomalies]')).toContain('is excluded from every feed')
    expect(await feed('/feed/ip')).not.toContain('10.20.30.40')
    await page.reload()
    await page.waitForSelector('[data-testid=pulse-exclusions] tbody tr')
    expect(await page.textContent('[data-testid=pulse-exclusions]')).toContain('10.20.30.40')
    expect(await page.textContent('[data-testid=exclusions-count]')).toContain('1')
    await page.screenshot({ path: path.join(SHOTS, 'pulse-excluded-en.png'), fullPage: true })
    // Any value opens the IOC detail in place.
    await page.locator('[data-testid=pulse-exclusions] [data-testid=pulse-open]').first().click()
    await page.waitForSelector('[data-testid=ioc-drawer] [data-testid=unexclude-button]')
    expect(await page.textContent('[data-testid=drawer-value]')).toBe('10.20.30.40')
    await page.keyboard.press('Escape')
    const ioc = (await again(() => env.api.get('/api/v1/iocs?q=10.20.30.40&match=exact'))).json.items[0]
    expect(ioc.excludeReason).toBe('Feed Pulse: Private or loopback IP')
    expect((await again(() => env.api.post(`/api/v1/iocs/${ioc.id}/unexclude`))).status).toBe(200)
    expect(await feed('/feed/ip')).toContain('10.20.30.40')
  })
})

describe("Hunter's Playbook", () => {
  it('lets an admin add a link, refusing javascript: with a clear message', async () => {
    await setLang('en')
    await setTheme('light')
    await page.goto(base + '/admin/playbook')
    await page.waitForSelector('[data-testid=playbook-add] [data-testid=playbook-form]')
    const form = page.locator('[data-testid=playbook-add]')
    await form.locator('[data-testid=playbook-name]').fill('VirusTotal')
    await form.locator('[data-testid=playbook-url]').fill('javascript:alert(1)')
    await form.locator('[data-testid=playbook-save]').click()
    expect(await form.textContent()).toContain('Only http:// and https:// links are allowed.')
    await form.locator('[data-testid=playbook-url]').fill('https://www.virustotal.com/gui/search/{value}')
    expect(await form.locator('[data-testid=playbook-preview]').textContent()).toContain('https://www.virustotal.com/gui/search/evil.example.com')
    await form.locator('[data-testid=playbook-save]').click()
    await page.waitForSelector('[data-testid=playbook-item][data-name=VirusTotal]')
    await form.locator('[data-testid=playbook-name]').fill('Internal SIEM')
    await form.locator('[data-testid=playbook-url]').fill('https://siem.corp.example/search?q={value}&type={type}')
    await form.locator('[data-testid=playbook-type-url]').check()
    await form.locator('[data-testid=playbook-save]').click()
    await page.waitForSelector('[data-testid=playbook-item][data-name="Internal SIEM"]')
    await page.screenshot({ path: path.join(SHOTS, 'playbook-en-light.png'), fullPage: true })
    await setLang('he')
    await setTheme('dark')
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'playbook-he-dark.png'), fullPage: true })
  })

  it('shows the links on the IOC detail with the value URL-encoded, opening in a new tab', async () => {
    await setLang('en')
    await setTheme('light')
    // A hostile name and description are shown as text: no script runs.
    const hostile = await again(() => env.api.post('/api/v1/playbook', { name: '<img src=x onerror="window.__xss=1">', url: 'https://intel.example/q?v={value}', iocTypes: ['email'], description: '[x](javascript:alert(1)) <script>window.__xss=2</script>' }))
    expect(hostile.status).toBe(201)
    await page.goto(`${base}/search?q=${encodeURIComponent('phish@mail-bad.net')}`)
    await page.click('[data-testid=ioc-row]')
    await page.waitForSelector('[data-testid=ioc-playbook] [data-testid=playbook-link]')
    expect(await page.textContent('[data-testid=ioc-playbook]')).toContain('<img src=x onerror="window.__xss=1">')
    expect(await page.locator('[data-testid=ioc-playbook] img').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(await page.locator('[data-testid=ioc-playbook] [data-testid=playbook-link]').last().getAttribute('href')).toBe('https://intel.example/q?v=phish%40mail-bad.net')
    expect((await again(() => env.api.del(`/api/v1/playbook/${hostile.json.link.id}`))).status).toBe(204)
    await page.keyboard.press('Escape')
    await page.goto(`${base}/search?q=${encodeURIComponent('http://payload.bad-cdn.com/drop.exe')}`)
    await page.click('[data-testid=ioc-row]')
    await page.waitForSelector('[data-testid=ioc-playbook] [data-testid=playbook-link]')
    const links = page.locator('[data-testid=ioc-playbook] [data-testid=playbook-link]')
    expect(await links.count()).toBe(2)
    const vt = links.filter({ hasText: 'VirusTotal' })
    expect(await vt.getAttribute('href')).toBe('https://www.virustotal.com/gui/search/http%3A%2F%2Fpayload.bad-cdn.com%2Fdrop.exe')
    expect(await vt.getAttribute('target')).toBe('_blank')
    expect(await vt.getAttribute('rel')).toBe('noopener noreferrer')
    expect(await links.filter({ hasText: 'SIEM' }).getAttribute('href')).toBe('https://siem.corp.example/search?q=http%3A%2F%2Fpayload.bad-cdn.com%2Fdrop.exe&type=url')
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'playbook-drawer-en.png'), fullPage: true })
    // The SIEM link applies to URLs only: a domain shows VirusTotal alone.
    await page.goto(`${base}/search?q=evil-login.com`)
    await page.click('[data-testid=ioc-row]')
    await page.waitForSelector('[data-testid=ioc-playbook] [data-testid=playbook-link]')
    expect(await page.locator('[data-testid=ioc-playbook] [data-testid=playbook-link]').count()).toBe(1)
    await page.keyboard.press('Escape')
    await setLang('he')
    await setTheme('dark')
    await page.click('[data-testid=ioc-row]')
    await page.waitForSelector('[data-testid=ioc-playbook] [data-testid=playbook-link]')
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(SHOTS, 'playbook-drawer-he-dark.png'), fullPage: true })
  })
})
