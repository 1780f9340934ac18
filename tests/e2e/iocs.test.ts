import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../helpers/moat'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let server: SignedIn['server']
let page: Page
let api: Client
const dialogs: string[] = []

beforeAll(async () => {
  env = await startSignedIn('iocs')
  ;({ server, page, api } = env)
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
})

afterAll(() => env?.close())

async function setLanguage(lang: 'en' | 'he') {
  await page.goto(server.base + '/')
  await page.waitForSelector('[data-testid=lang-toggle]')
  if ((await page.getAttribute('html', 'lang')) !== lang) await page.click('[data-testid=lang-toggle]')
  await expect.poll(() => page.getAttribute('html', 'dir')).toBe(lang === 'he' ? 'rtl' : 'ltr')
}

const historyCount = () => page.locator('[data-testid=history] li').count()

describe.each([
  { lang: 'en' as const, raw: 'hxxp://evil-payload[.]xyz/gate.php', canonical: 'http://evil-payload.xyz/gate.php', q: 'evil-payload' },
  { lang: 'he' as const, raw: 'Dropper[.]Bad-Host(.)top', canonical: 'dropper.bad-host.top', q: 'bad-host' },
])('IOC lifecycle in the browser ($lang)', ({ lang, raw, canonical, q }) => {
  it('submits with a live preview of the canonical value', async () => {
    await setLanguage(lang)
    await page.goto(server.base + '/submit')
    await page.fill('[data-testid=submit-value]', raw)
    await expect.poll(() => page.textContent('[data-testid=preview-value]')).toContain(canonical)
    await page.fill('[data-testid=submit-ticket]', `INC-${lang}`)
    await page.fill('[data-testid=submit-comment]', `found by the ${lang} e2e test`)
    await page.screenshot({ path: path.join(SHOTS, `submit-${lang}.png`), fullPage: true })
    await page.click('[data-testid=submit-button]')
    await page.waitForSelector('[data-testid=result-link]')
    await page.screenshot({ path: path.join(SHOTS, `submit-result-${lang}.png`), fullPage: true })
    const found = await api.get(`/api/v1/iocs?q=${encodeURIComponent(canonical)}&match=exact`)
    expect(found.json.items).toHaveLength(1)
    expect(found.json.items[0].ticket).toBe(`INC-${lang}`)
  })

  it('finds it in Search and opens the drawer with its history', async () => {
    await page.goto(`${server.base}/search?q=${q}`)
    await expect.poll(() => page.locator('[data-testid=ioc-row]').count()).toBe(1)
    expect(await page.textContent('[data-testid=ioc-row]')).toContain(canonical)
    await page.click('[data-testid=ioc-row]')
    await page.waitForSelector('[data-testid=ioc-drawer]')
    await expect.poll(historyCount).toBe(1)
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(SHOTS, `search-drawer-${lang}.png`), fullPage: true })
    // The export link carries the same filters and the session: it downloads this one IOC.
    const href = await page.getAttribute('[data-testid=export-txt]', 'href')
    expect(href).toContain(`q=${q}`)
    const text = await page.evaluate(async (url) => (await fetch(url!)).text(), href)
    expect(text).toBe(canonical + '\n')
  })

  it('edits the comment inline', async () => {
    await page.click('[data-testid=edit-button]')
    await page.fill('[data-testid=edit-comment]', `edited in ${lang}`)
    await page.click('[data-testid=save-button]')
    await expect.poll(historyCount).toBe(2)
    const found = await api.get(`/api/v1/iocs?q=${encodeURIComponent(canonical)}&match=exact`)
    expect(found.json.items[0].comment).toBe(`edited in ${lang}`)
  })

  it('adds a note rendered as safe Markdown', async () => {
    const hostile = `**bold** note <img src=x onerror="window.__xss=1"> [click](javascript:window.__xss=2) [ok](https://intel.example.org/r)`
    await page.fill('[data-testid=note-input]', hostile)
    await page.click('[data-testid=note-add]')
    await expect.poll(() => page.locator('[data-testid=note]').count()).toBe(1)
    const note = page.locator('[data-testid=note]').first()
    expect(await note.locator('strong').textContent()).toBe('bold')
    expect(await note.locator('img').count()).toBe(0)
    expect(await note.locator('a[href^="javascript"]').count()).toBe(0)
    expect(await note.locator('a[href="https://intel.example.org/r"]').getAttribute('rel')).toContain('noopener')
    await page.waitForTimeout(200)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
  })

  it('excludes and unexcludes', async () => {
    await page.click('[data-testid=exclude-button]')
    await page.fill('[data-testid=exclude-reason]', 'false positive')
    await page.click('[data-testid=exclude-confirm]')
    await page.waitForSelector('[data-testid=unexclude-button]')
    const excluded = await api.get(`/api/v1/iocs?q=${encodeURIComponent(canonical)}&match=exact`)
    expect(excluded.json.items[0].status).toBe('excluded')
    await page.click('[data-testid=unexclude-button]')
    await page.waitForSelector('[data-testid=exclude-button]')
    await expect.poll(historyCount).toBe(4)
  })

  it('deletes it', async () => {
    await page.click('[data-testid=delete-button]')
    await page.click('[data-testid=confirm-delete]')
    await expect.poll(async () => (await api.get(`/api/v1/iocs?q=${encodeURIComponent(canonical)}&match=exact&status=deleted`)).json.items.length).toBe(1)
    expect((await api.get(`/api/v1/iocs?q=${encodeURIComponent(canonical)}&match=exact`)).json.items).toHaveLength(0)
    await page.screenshot({ path: path.join(SHOTS, `after-delete-${lang}.png`), fullPage: true })
  })
})

describe('safety screens', () => {
  it('asks to confirm a sanity warning before storing', async () => {
    await setLanguage('en')
    await page.goto(server.base + '/submit')
    await page.fill('[data-testid=submit-value]', '10.9.8.7')
    await page.click('[data-testid=submit-button]')
    await page.waitForSelector('[data-testid=confirm-button]')
    expect(await page.textContent('[data-testid=confirm-warnings]')).toMatch(/private/i)
    expect((await api.get('/api/v1/iocs?q=10.9.8.7&match=exact')).json.items).toHaveLength(0)
    await page.click('[data-testid=confirm-button]')
    await page.waitForSelector('[data-testid=result-link]')
    expect((await api.get('/api/v1/iocs?q=10.9.8.7&match=exact')).json.items).toHaveLength(1)
    expect(dialogs).toEqual([])
  })
})
