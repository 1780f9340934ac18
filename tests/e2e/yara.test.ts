import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'
import type { Client } from '../helpers/moat'

let env: SignedIn
let page: Page
let api: Client
let base: string

beforeAll(async () => {
  env = await startSignedIn('yara')
  ;({ page, api } = env)
  base = env.server.base
})
afterAll(() => env?.close())

async function setLook(lang: 'en' | 'he', theme: 'light' | 'dark') {
  await page.goto(base + '/')
  await page.waitForSelector('[data-testid=lang-toggle]')
  if ((await page.getAttribute('html', 'lang')) !== lang) await page.click('[data-testid=lang-toggle]')
  await expect.poll(() => page.getAttribute('html', 'dir')).toBe(lang === 'he' ? 'rtl' : 'ltr')
  if ((await page.getAttribute('html', 'data-theme')) !== theme) await page.click('[data-testid=theme-toggle]')
  await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(theme)
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `yara-${name}.png`), fullPage: true })

// Line 11 uses $b, which the rule never declares.
const BROKEN = `// Loader seen in the November wave
rule Win32_Loader_Nov
{
  meta:
    author = "e2e"
    description = "Stage-one loader of the November phishing wave"
    date = "2026-11-20"
  strings:
    $a = "nov-wave-loader-marker" ascii wide
  condition:
    uint16(0) == 0x5A4D and $a and $b
}
`
const FIXED = BROKEN.replace(' and $b', '')

describe('YARA Manager in the browser', () => {
  it('uploads a broken rule and shows the compile error at its line', async () => {
    await setLook('en', 'light')
    await page.goto(base + '/yara/new')
    await page.setInputFiles('[data-testid=yara-file]', { name: 'win32_loader_nov.yar', mimeType: 'text/plain', buffer: Buffer.from(BROKEN) })
    await expect.poll(() => page.inputValue('[data-testid=yara-content]')).toBe(BROKEN)
    expect(await page.inputValue('[data-testid=yara-filename]')).toBe('win32_loader_nov.yar')
    await page.fill('[data-testid=yara-ticket]', 'INC-2026-11')
    await page.click('[data-testid=yara-save]')
    await page.waitForSelector('[data-testid=yara-verdict][data-ok=false]')
    // The marker sits on line 11, and the finding under it names the undeclared pattern.
    await page.waitForSelector('[data-testid=yara-line-error]')
    expect(await page.getAttribute('[data-testid=yara-line-error]', 'data-line')).toBe('11')
    expect(await page.locator('[data-testid=yara-line-error]').count()).toBe(1)
    expect(await page.textContent('[data-testid=yara-line-note][data-line="11"]')).toContain('unknown pattern `$b`')
    expect(await page.getAttribute('[data-testid=yara-diagnostic]', 'data-line')).toBe('11')
    expect(await page.textContent('[data-testid=yara-editor-error]')).toContain('line 11')
    await shot('broken-en-light')
    // Nothing was stored.
    expect((await api.get('/api/v1/yara')).json.items).toEqual([])
  })

  it('fixes it in the editor, checks it and submits it for review', async () => {
    await page.fill('[data-testid=yara-content]', FIXED)
    await page.click('[data-testid=yara-check]')
    await page.waitForSelector('[data-testid=yara-verdict][data-ok=true]')
    expect(await page.locator('[data-testid=yara-line-error]').count()).toBe(0)
    await page.waitForSelector('[data-testid=yara-quality-breakdown]')
    await page.click('[data-testid=yara-save]')
    await page.waitForURL((u) => /^\/yara\/\d+$/.test(u.pathname))
    await page.waitForSelector('[data-testid=yara-title]')
    expect(await page.textContent('[data-testid=yara-title]')).toBe('win32_loader_nov.yar')
    expect(await page.getAttribute('[data-testid=yara-status]', 'data-status')).toBe('pending')
    expect(await page.textContent('[data-testid=yara-detail-ticket]')).toContain('INC-2026-11')
    await shot('pending-en-light')
  })

  it('approves it and finds it in /feed/yara-bundle', async () => {
    expect((await fetch(base + '/feed/yara-bundle').then((r) => r.text())).includes('Win32_Loader_Nov')).toBe(false)
    await page.click('[data-testid=yara-approve]')
    await expect.poll(() => page.getAttribute('[data-testid=yara-status]', 'data-status')).toBe('approved')
    await expect.poll(() => page.locator('[data-testid=yara-history] li').count()).toBe(2)
    const bundle = await fetch(base + '/feed/yara-bundle').then((r) => r.text())
    expect(bundle).toContain(FIXED)
    expect(bundle).toContain('// ---- win32_loader_nov.yar')
    expect(await fetch(base + '/feed/yara-list').then((r) => r.text())).toBe('win32_loader_nov.yar\n')
    await shot('approved-en-light')
  })

  it('test-scans a sample with the same engine', async () => {
    await page.setInputFiles('[data-testid=yara-scan-file]', { name: 'sample.bin', mimeType: 'application/octet-stream', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64), Buffer.from('nov-wave-loader-marker')]) })
    await page.click('[data-testid=yara-scan-run]')
    await page.waitForSelector('[data-testid=yara-scan-match]')
    expect(await page.getAttribute('[data-testid=yara-scan-match]', 'data-rule')).toBe('Win32_Loader_Nov')
    await page.setInputFiles('[data-testid=yara-scan-file]', { name: 'clean.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('nothing here') })
    await page.click('[data-testid=yara-scan-run]')
    await page.waitForSelector('[data-testid=yara-scan-result]')
    expect(await page.locator('[data-testid=yara-scan-match]').count()).toBe(0)
  })

  it('lists the library with status tabs and counts', async () => {
    const corpus = readFileSync(path.resolve('../shared/data/yara/valid/eset/invisimole.yar'), 'utf8')
    const res = await api.post('/api/v1/yara', { filename: 'invisimole.yar', content: corpus, tags: ['eset'] })
    expect(res.status).toBe(201)
    await page.goto(base + '/yara')
    await expect.poll(() => page.locator('[data-testid=yara-row]').count()).toBe(2)
    expect(await page.textContent('[data-testid=yara-tab-pending]')).toContain('1')
    await page.click('[data-testid=yara-tab-approved]')
    await expect.poll(() => page.locator('[data-testid=yara-row]').count()).toBe(1)
    expect(await page.getAttribute('[data-testid=yara-row]', 'data-filename')).toBe('win32_loader_nov.yar')
    await page.click('[data-testid=yara-tab-all]')
    await expect.poll(() => page.locator('[data-testid=yara-row]').count()).toBe(2)
    await shot('library-en-light')
  })

  it('shows the screens in Hebrew and in the dark theme', async () => {
    await setLook('he', 'dark')
    await page.goto(base + '/yara')
    await expect.poll(() => page.locator('[data-testid=yara-row]').count()).toBe(2)
    expect(await page.textContent('h1')).toBe('מנהל YARA')
    await shot('library-he-dark')
    const invisimole = (await api.get('/api/v1/yara?q=invisimole')).json.items[0]
    await page.goto(`${base}/yara/${invisimole.id}`)
    await page.waitForSelector('[data-testid=yara-preview]')
    expect(await page.textContent('[data-testid=yara-status]')).toContain('ממתין')
    // The code stays left-to-right inside the right-to-left page.
    expect(await page.getAttribute('[data-testid=yara-preview]', 'dir')).toBe('ltr')
    await page.waitForTimeout(300)
    await shot('detail-he-dark')
    await page.goto(base + '/yara/new')
    await page.fill('[data-testid=yara-content]', BROKEN)
    await page.click('[data-testid=yara-check]')
    await page.waitForSelector('[data-testid=yara-line-error]')
    expect(await page.getAttribute('[data-testid=yara-line-error]', 'data-line')).toBe('11')
    await shot('broken-he-dark')
    await setLook('en', 'dark')
    await page.goto(`${base}/yara/${invisimole.id}`)
    await page.waitForSelector('[data-testid=yara-preview]')
    await shot('detail-en-dark')
    await setLook('en', 'light')
  })
})
