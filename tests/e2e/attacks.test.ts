// Attack tests (issue 10), in Debian's Chromium against a real `moat start`: stored XSS payloads in
// every field an analyst can write are rendered inert, the login page refuses open redirects, CSV
// exports neutralise formulas, path tricks in YARA file names are refused, TAXII does not trust the
// Host header. A payload that runs sets window.__pwned or opens a dialog; both are watched.
import { request } from 'node:http'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let s: SignedIn
const dialogs: string[] = []

const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `"><iframe src="javascript:window.top.__pwned='iframe'"></iframe>`,
]
const XSS = PAYLOADS.join(' ')

let iocId = 0
let campaignId = 0
let yaraId = 0

beforeAll(async () => {
  s = await startSignedIn('attacks')
  s.page.on('dialog', async (d) => {
    dialogs.push(d.message())
    await d.dismiss()
  })
  const ioc = await s.api.post('/api/v1/iocs', {
    value: 'xss-carrier.badnet.top',
    comment: XSS,
    campaign: `<img src=x onerror="window.__pwned='campaign'">`,
    ticket: `<b onmouseover="window.__pwned='ticket'">T</b>`,
  })
  expect(ioc.status).toBe(201)
  iocId = ioc.json.ioc.id
  campaignId = ioc.json.ioc.campaign.id
  const note = await s.api.post('/api/v1/notes', {
    type: 'domain',
    value: 'xss-carrier.badnet.top',
    body: `# Note\n\n${XSS}\n\n[click me](javascript:window.__pwned='md-link')\n\n![img](javascript:window.__pwned='md-img')\n\n<a href="javascript:window.__pwned='a'">raw link</a>`,
  })
  expect(note.status).toBe(201)
  const rule = `rule xss_meta {
  meta:
    description = "<img src=x onerror=\\"window.__pwned='yara-meta'\\">"
    author = "<script>window.__pwned='yara-author'</script>"
  strings:
    $a = "<script>alert(1)</script>"
  condition:
    $a
}
`
  const yara = await s.api.post('/api/v1/yara', { filename: 'xss_meta.yar', content: rule, comment: XSS })
  expect(yara.status, yara.text).toBe(201)
  yaraId = yara.json.rule.id
})

afterAll(() => s?.close())

async function expectInert(page: Page, where: string) {
  await page.waitForTimeout(300)
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null), where).toBeNull()
  expect(dialogs, where).toEqual([])
}

describe('stored XSS payloads are inert', () => {
  it('in IOC comment, ticket and campaign name (search list and drawer)', async () => {
    const { page } = s
    await page.goto(`${s.server.base}/search?q=xss-carrier`)
    await page.waitForSelector('[data-testid=ioc-row]')
    await expectInert(page, 'search list')
    await page.goto(`${s.server.base}/search?q=xss-carrier&open=${iocId}`)
    await page.waitForSelector('[data-testid=ioc-drawer]')
    // The payload is shown as text, not parsed.
    await page.locator('[data-testid=ioc-drawer]', { hasText: `onerror="window.__pwned='img'"` }).waitFor()
    await expectInert(page, 'drawer')
    await page.screenshot({ path: path.join(SHOTS, 'attack-ioc-drawer.png') })
  })

  it('in Markdown notes (raw HTML and javascript: links stripped)', async () => {
    const { page } = s
    const note = page.locator('[data-testid=note]').first()
    await note.waitFor()
    expect(await note.locator('h1').textContent()).toBe('Note')
    // No live element came out of the Markdown: the HTML in it is text.
    expect(await note.locator('script, iframe, svg, img[onerror], [onload], [onmouseover]').count()).toBe(0)
    expect(await note.textContent()).toContain(`<img src=x onerror=`)
    for (const a of await note.locator('a').all()) expect(await a.getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i)
    await expectInert(page, 'notes')
  })

  it('in campaign names (list and campaign page)', async () => {
    const { page } = s
    await page.goto(`${s.server.base}/campaigns`)
    await page.waitForLoadState('networkidle')
    await expectInert(page, 'campaigns')
    await page.goto(`${s.server.base}/campaigns/${campaignId}`)
    await page.locator('h1', { hasText: `<img src=x onerror="window.__pwned='campaign'">` }).waitFor()
    await expectInert(page, 'campaign page')
  })

  it('in YARA metadata and comment (library, rule page with highlighted source)', async () => {
    const { page } = s
    await page.goto(`${s.server.base}/yara`)
    await page.waitForLoadState('networkidle')
    await expectInert(page, 'yara list')
    await page.goto(`${s.server.base}/yara/${yaraId}`)
    await page.waitForLoadState('networkidle')
    expect(await page.textContent('body')).toContain(`window.__pwned='yara-meta'`)
    await expectInert(page, 'yara rule page')
    await page.screenshot({ path: path.join(SHOTS, 'attack-yara.png') })
  })

  it('in avatars: an SVG (script-capable) upload is refused by content', async () => {
    const form = new FormData()
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned='avatar'"><script>window.__pwned='avatar'</script></svg>`
    form.append('file', new File([svg], 'me.png', { type: 'image/png' }))
    const res = await s.api.post('/api/v1/auth/me/avatar', form)
    expect(res.status).toBe(415)
  })
})

describe('login redirects', () => {
  it('never follows ?next= off the site', async () => {
    const ctx = await s.browser.newContext()
    const page = await ctx.newPage()
    for (const next of ['https://evil.example/x', '//evil.example/x', '/\\evil.example/x', 'javascript:alert(1)', '/%2F%2Fevil.example']) {
      await page.goto(`${s.server.base}/login?next=${encodeURIComponent(next)}`)
      await page.fill('#username', 'admin')
      await page.fill('#password', ADMIN_PASSWORD)
      await page.click('button[type=submit]')
      await page.waitForURL((u) => u.pathname !== '/login')
      const url = new URL(page.url())
      expect(url.origin, next).toBe(s.server.base)
      await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'x-csrf-token': document.cookie.match(/moat_csrf=([^;]+)/)?.[1] ?? '' } }))
      await ctx.clearCookies()
    }
    await ctx.close()
    // Signing out ended every session of this user: the API client signs in again.
    await s.api.login('admin', ADMIN_PASSWORD)
  })
})

describe('CSV exports', () => {
  it('neutralise = + - @ cells in the IOC, campaign and audit exports', async () => {
    const evil = ['=HYPERLINK("http://evil.example","x")', '+cmd|/c calc!A1', '-2+3', '@SUM(A1)']
    const created = await s.api.post('/api/v1/iocs', { value: 'csv-carrier.badnet.top', comment: evil.join(' '), campaign: '=CSV Campaign' })
    expect(created.status).toBe(201)
    const withTicket = await s.api.post('/api/v1/iocs', { value: 'csv-carrier-2.badnet.top', ticket: '+T-1', comment: '@risky' })
    expect(withTicket.status).toBe(201)
    const exports = [
      (await s.api.get('/api/v1/iocs/export?format=csv&q=csv-carrier')).text,
      (await s.api.get(`/api/v1/campaigns/${created.json.ioc.campaign.id}/export.csv`)).text,
      (await s.api.get('/api/v1/audit/export.csv')).text,
    ]
    for (const csv of exports) {
      // Every cell, quoted or not: none may start with a formula character.
      for (const line of csv.split(/\r?\n/)) {
        for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []) {
          const value = cell.replace(/,$/, '').replace(/^"(.*)"$/s, '$1').replace(/""/g, '"')
          expect(value, line).not.toMatch(/^[=+\-@\t\r]/)
        }
      }
    }
    expect(exports[0]).toContain(`'=HYPERLINK`)
    expect(exports[1]).toContain(`'=HYPERLINK`)
  })
})

describe('path tricks', () => {
  it('refuses YARA file names with ../ or slashes, and feed paths that climb', async () => {
    const rule = 'rule harmless { condition: true }'
    for (const filename of ['../evil.yar', '..\\evil.yar', 'rules/../../evil.yar', '/tmp/../etc/evil.yar', '..']) {
      const res = await s.api.post('/api/v1/yara', { filename, content: rule })
      expect([res.status, res.json?.error?.details?.fields?.[0]?.field], filename).toEqual([400, 'filename'])
    }
    // Folders without .. (what old browsers send) are dropped: only the last segment is kept.
    const kept = await s.api.post('/api/v1/yara', { filename: 'C:\\rules\\harmless.yar', content: rule })
    expect(kept.json.rule.filename).toBe('harmless.yar')
    // Sent byte for byte (fetch would normalise the dots away).
    for (const p of ['/feed/yara-content/..%2f..%2fetc%2fpasswd', '/feed/yara-content/%2e%2e%2fpackage.json', '/feed/../package.json', '/feed/yara-content/../../package.json']) {
      const res = await raw(p)
      expect(res.status, p).not.toBe(500)
      expect(res.body, p).not.toContain('"name": "moat"')
      expect(res.body, p).not.toContain('root:x:0:0')
    }
  })
})

function raw(p: string, headers: Record<string, string> = {}) {
  const url = new URL(s.server.base)
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: p, headers }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('TAXII discovery', () => {
  it('does not advertise URLs built from the Host header', async () => {
    const res = await raw('/taxii2/', { host: 'evil.example', accept: 'application/taxii+json;version=2.1' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).api_roots.length).toBeGreaterThan(0)
    expect(res.body).not.toContain('evil.example')
  })
})
