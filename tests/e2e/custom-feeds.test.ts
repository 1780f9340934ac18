import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let server: SignedIn['server']

async function theme(want: 'light' | 'dark') {
  if ((await page.getAttribute('html', 'data-theme')) !== want) await page.click('[data-testid=theme-toggle]')
  await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(want)
}

beforeAll(async () => {
  env = await startSignedIn('custom-feeds')
  ;({ page, server } = env)
  for (const [value, tags] of [
    ['45.9.148.0', ['scan']],
    ['45.9.148.1', ['scan']],
    ['45.9.148.2/31', ['scan']],
    ['45.9.148.9', ['scan']],
    ['45.9.149.7', []],
    ['45.8.0.0/15', ['scan']],
    ['c2.evil-corp.xyz', ['scan']],
  ] as const) {
    const res = await env.api.post('/api/v1/iocs', { value, tags, confirm: true })
    expect(res.status, res.text).toBe(201)
  }
})

afterAll(() => env?.close())

describe('custom feeds screen', () => {
  it('builds a feed, previews it live, saves it, and the URL serves the preview', async () => {
    await page.goto(server.base + '/admin/custom-feeds')
    await page.waitForSelector('[data-testid=cf-empty]')
    await page.fill('[data-testid=cf-name]', 'Scanners for PA')
    expect(await page.inputValue('[data-testid=cf-slug]')).toBe('scanners-for-pa')
    // Default format: PAN-OS IP list.
    await page.fill('[data-testid=cf-tags-any]', 'scan')
    await page.selectOption('[data-testid=cf-collapse]', 'range')
    await page.fill('[data-testid=cf-max-entries]', '2')
    await page.click('[data-testid=cf-header-comment]')
    // The /15 is refused by the width guard; the four scan addresses become one range, plus .9.
    await expect.poll(() => page.textContent('[data-testid=cf-preview-stats]')).toContain('Served 2 of 2 entries')
    const previewText = (await page.textContent('[data-testid=cf-preview-body]'))!
    expect(previewText).toContain('45.9.148.0/30\n45.9.148.9')
    expect(previewText).not.toContain('45.9.149.7')
    expect(await page.locator('[data-testid=cf-warning-dropped]').count()).toBe(1)
    await page.fill('[data-testid=cf-max-entries]', '1')
    await page.waitForSelector('[data-testid=cf-warning-over_limit]')
    await theme('light')
    await page.screenshot({ path: path.join(SHOTS, 'custom-feeds-form-en.png'), fullPage: true })

    await page.click('[data-testid=cf-save]')
    await page.waitForSelector('[data-testid=cf-row-scanners-for-pa]')
    const res = await fetch(server.base + '/feed/custom/scanners-for-pa')
    expect(res.status).toBe(200)
    const body = await res.text()
    const lines = body.split('\n')
    expect(lines[0]).toBe('# Moat custom feed: Scanners for PA (/feed/custom/scanners-for-pa)')
    expect(lines.filter((l) => l && !l.startsWith('#'))).toEqual(['45.9.148.0/30'])
    expect(body).toContain('# WARNING: 2 entries exceed the maximum of 1')
    await page.reload()
    await expect.poll(() => page.locator('[data-testid=cf-row-scanners-for-pa] td.num').first().textContent()).toBe('2')
    await page.screenshot({ path: path.join(SHOTS, 'custom-feeds-list-en.png'), fullPage: true })
  })

  it('edits a feed in Hebrew, dark, and names a taken URL name', async () => {
    await page.click('[data-testid=lang-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    await theme('dark')
    // A second feed trying the same URL name gets the error next to the field.
    await page.fill('[data-testid=cf-name]', 'כפול')
    await page.fill('[data-testid=cf-slug]', 'scanners-for-pa')
    await page.click('[data-testid=cf-save]')
    await page.waitForSelector('[data-testid=cf-error]')
    expect(await page.textContent('#cf-slug-error')).toBe('פיד אחר כבר משתמש בשם הזה.')
    await page.screenshot({ path: path.join(SHOTS, 'custom-feeds-error-he-dark.png'), fullPage: true })

    await page.click('[data-testid=cf-edit-scanners-for-pa]')
    await expect.poll(() => page.inputValue('[data-testid=cf-name]')).toBe('Scanners for PA')
    expect(await page.isChecked('[data-testid=cf-refuse-tld]')).toBe(true)
    expect(await page.inputValue('[data-testid=cf-tags-any]')).toBe('scan')
    await page.selectOption('[data-testid=cf-format]', 'csv')
    await page.click('[data-testid=cf-column-tags]')
    await page.click('[data-testid=cf-type-domain]')
    await page.fill('[data-testid=cf-max-entries]', '')
    await expect.poll(() => page.textContent('[data-testid=cf-preview-body]')).toContain('type,value,tags')
    await page.screenshot({ path: path.join(SHOTS, 'custom-feeds-he-dark.png'), fullPage: true })
    await page.click('[data-testid=cf-save]')
    await expect.poll(async () => (await fetch(server.base + '/feed/custom/scanners-for-pa')).headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const csv = await (await fetch(server.base + '/feed/custom/scanners-for-pa')).text()
    expect(csv.split('\r\n')[0]).toBe('type,value,tags')
    expect(csv).toContain('domain,c2.evil-corp.xyz,scan\r\n')
    await page.click('[data-testid=lang-toggle]')
    await theme('light')
  })
})
