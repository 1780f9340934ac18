import { readFileSync } from 'node:fs'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let base: string

const VALUES = [
  '8.8.4.4', '193.0.0.1', '81.2.69.142', '1.0.0.1', '202.12.27.33', '45.9.148.12', '194.87.1.5', '2001:4860:4860::8844',
  'evil-login.com', 'cdn-update.net', 'bad.example-cdn.org', 'invoice-portal.co.uk',
  'http://payload.bad-cdn.com/drop.exe', 'phish@mail-bad.net', 'ceo@spoof-corp.org',
  'd41d8cd98f00b204e9800998ecf8427e',
]

/** The text drawn by a PDF's content streams (Flate-compressed), to prove it is real text. */
function pdfText(file: string): string {
  const raw = readFileSync(file)
  let out = ''
  let at = 0
  for (;;) {
    const s = raw.indexOf('stream', at)
    if (s < 0) break
    const start = raw[s + 6] === 0x0d ? s + 8 : s + 7
    const end = raw.indexOf('endstream', start)
    try {
      out += inflateSync(raw.subarray(start, end)).toString('latin1')
    } catch {
      // not a Flate stream (fonts are, images are not)
    }
    at = end + 9
  }
  return [...out.matchAll(/\((.*?)\)\s*Tj/g)].map((m) => m[1]).join(' ')
}

async function setTheme(want: 'light' | 'dark') {
  if ((await page.getAttribute('html', 'data-theme')) !== want) await page.click('[data-testid=theme-toggle]')
  await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(want)
}

async function setLang(want: 'en' | 'he') {
  if ((await page.getAttribute('html', 'lang')) !== want) await page.click('[data-testid=lang-toggle]')
  await expect.poll(() => page.getAttribute('html', 'lang')).toBe(want)
}

beforeAll(async () => {
  env = await startSignedIn('analytics')
  page = env.page
  base = env.server.base
  for (const [i, value] of VALUES.entries()) {
    const res = await env.api.post('/api/v1/iocs', { value, confirm: true, ...(i % 3 === 0 ? { campaign: 'Op Northwind', tags: ['apt', 'c2'] } : {}), comment: i % 2 ? 'Seen in the phishing wave of this week, beaconing every minute' : '' })
    expect(res.status).toBe(201)
  }
  expect((await env.api.post('/api/v1/champs/goals', { title: 'Forty this week', targetValue: 40, goalType: 'ioc_add', period: 'weekly', unit: 'IOCs' })).status).toBe(201)
})

afterAll(() => env?.close())

describe('Live Stats screen', () => {
  it('shows counts per type, countries with bundled flags, TLDs, email domains and the latest IOCs', async () => {
    await setLang('en')
    await setTheme('light')
    await page.goto(base + '/stats')
    await page.waitForSelector('[data-testid=latest-iocs] tbody tr')
    expect(await page.textContent('[data-testid=kpi-total] .kpi-value')).toBe('16')
    expect(await page.textContent('[data-testid=kpi-ip] .kpi-value')).toBe('8')
    const flag = page.locator('[data-testid=top-countries] img.flag').first()
    expect(await flag.getAttribute('src')).toMatch(/^\/assets\/[a-z]{2}-.*\.svg$/)
    await expect.poll(() => flag.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
    expect(await page.textContent('[data-testid=top-countries]')).toContain('United States')
    expect(await page.locator('[data-testid=latest-iocs] tbody tr').count()).toBe(16)
    await page.waitForSelector('[data-testid=geoip-card] .attribution')
    await page.screenshot({ path: path.join(SHOTS, 'stats-en.png'), fullPage: true })
  })

  it('refreshes on its own while visible', async () => {
    expect((await env.api.post('/api/v1/iocs', { value: 'late-arrival.com' })).status).toBe(201)
    await expect.poll(() => page.textContent('[data-testid=kpi-total] .kpi-value'), { timeout: 15_000 }).toBe('17')
  })

  it('reads right to left in Hebrew, dark', async () => {
    await setLang('he')
    await setTheme('dark')
    await page.goto(base + '/stats')
    await page.waitForSelector('[data-testid=latest-iocs] tbody tr')
    expect(await page.textContent('[data-testid=top-countries]')).toContain('ארצות הברית')
    await page.screenshot({ path: path.join(SHOTS, 'stats-he-dark.png'), fullPage: true })
  })

  it('refuses a file that is not a GeoIP database, in the user’s language', async () => {
    await page.setInputFiles('[data-testid=geoip-file]', { name: 'x.mmdb', mimeType: 'application/octet-stream', buffer: Buffer.from('nope') })
    await page.click('[data-testid=geoip-upload]')
    await page.waitForSelector('[data-testid=geoip-error]')
  })
})

describe('Champs screen', () => {
  it('shows the leaderboard, goal, spotlight, ticker and charts', async () => {
    await setLang('en')
    await setTheme('light')
    await page.goto(base + '/champs')
    await page.waitForSelector('[data-testid=leaderboard-row]')
    await page.waitForSelector('[data-testid=velocity-chart] svg')
    await page.waitForSelector('[data-testid=activity-pie] svg')
    await page.waitForSelector('[data-testid=spotlight] .spot-score')
    expect(await page.textContent('[data-testid=team-goal]')).toContain('Forty this week')
    expect(await page.textContent('[data-testid=ticker]')).toContain('New team goal: ')
    expect(await page.textContent('[data-testid=leaderboard-row] [data-testid=rank]')).toContain('🥇')
    await page.screenshot({ path: path.join(SHOTS, 'champs-en.png'), fullPage: true })
  })

  it('lets an admin switch the scoring method', async () => {
    await page.selectOption('#champs-method', '2')
    await page.click('[data-testid=champs-save]')
    await expect.poll(() => page.textContent('[data-testid=leaderboard]')).toContain('1 pt per IOC')
    expect(await page.textContent('[data-testid=leaderboard-row] .score')).toBe('17')
    await page.selectOption('#champs-method', '1')
    await page.click('[data-testid=champs-save]')
  })

  it('reads right to left in Hebrew, dark', async () => {
    await setLang('he')
    await setTheme('dark')
    await page.goto(base + '/champs')
    await page.waitForSelector('[data-testid=velocity-chart] svg')
    await page.waitForSelector('[data-testid=spotlight] .spot-score')
    expect(await page.textContent('[data-testid=ticker]')).toContain('יעד צוות חדש')
    await page.screenshot({ path: path.join(SHOTS, 'champs-he-dark.png'), fullPage: true })
  })
})

describe('Reports screen', () => {
  it('shows the weekly report with KPIs, charts and tables', async () => {
    await setLang('en')
    await setTheme('light')
    await page.goto(base + '/reports?period=week')
    await page.waitForSelector('[data-testid=report-kpi-active_iocs]')
    expect(await page.textContent('[data-testid=report-title]')).toMatch(/^Weekly Report - /)
    expect(await page.textContent('[data-testid=report-kpi-created] .kpi-value')).toBe('17')
    await page.screenshot({ path: path.join(SHOTS, 'reports-en.png'), fullPage: true })
  })

  it('exports a PDF with real text', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-pdf]')])
    const file = path.join(SHOTS, 'report-en.pdf')
    await download.saveAs(file)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
    const text = pdfText(file)
    expect(text).toContain('Weekly Report - ')
    expect(text).toContain('Active IOCs')
    expect(text).toContain('Op Northwind')
  })

  it('switches to a day and to a custom range', async () => {
    await page.click('[data-testid=period-day]')
    await expect.poll(() => page.textContent('[data-testid=report-title]')).toMatch(/^Daily Report - /)
    await page.click('[data-testid=period-custom]')
    await page.fill('[data-testid=range-from]', '2026-01-01')
    await page.fill('[data-testid=range-to]', '2026-01-31')
    await page.click('.custom-range button[type=submit]')
    await expect.poll(() => page.textContent('[data-testid=report-title]')).toBe('Report - Jan 1 - Jan 31, 2026')
  })

  it('reads right to left in Hebrew, dark, and exports a Hebrew PDF', async () => {
    await setLang('he')
    await setTheme('dark')
    await page.goto(base + '/reports?period=week')
    await page.waitForSelector('[data-testid=report-kpi-active_iocs]')
    expect(await page.textContent('[data-testid=report-title]')).toMatch(/^דוח שבועי - /)
    await page.screenshot({ path: path.join(SHOTS, 'reports-he-dark.png'), fullPage: true })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-pdf]')])
    const file = path.join(SHOTS, 'report-he.pdf')
    await download.saveAs(file)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
    // The Hebrew font is embedded (its name is in the font dictionary).
    expect(readFileSync(file).includes('/NotoHebrew')).toBe(true)
  })

  it('prints without navigation or controls', async () => {
    await setLang('en')
    await setTheme('light')
    await page.emulateMedia({ media: 'print' })
    await page.goto(base + '/reports?period=week')
    await page.waitForSelector('[data-testid=report-kpi-active_iocs]')
    expect(await page.locator('.sidebar').isVisible()).toBe(false)
    expect(await page.locator('.report-controls').isVisible()).toBe(false)
    await page.screenshot({ path: path.join(SHOTS, 'reports-print.png'), fullPage: true })
    await page.emulateMedia({ media: 'screen' })
  })
})
