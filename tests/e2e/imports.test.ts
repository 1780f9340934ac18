import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
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
  env = await startSignedIn('imports')
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

const row = (line: number) => page.locator(`[data-testid=bulk-row][data-line="${line}"]`)

describe('bulk import in the browser', () => {
  it('uploads a CSV, edits a row, deselects one, commits, and finds the result in Search', async () => {
    await setLanguage('en')
    const dir = mkdtempSync(path.join(tmpdir(), 'moat-csv-'))
    const file = path.join(dir, 'vendor-report.csv')
    writeFileSync(
      file,
      [
        'indicator,comment,tags',
        'hxxp://bulk-one[.]top/gate.php,loader,"loader,e2e"',
        'bulk-two[.]top,c2,e2e',
        'bulk-three.top,not this one,e2e',
        '300.1.2.3,typo,e2e',
        '<script>alert(1)</script>,xss attempt,e2e',
      ].join('\r\n'),
    )
    await page.goto(server.base + '/submit')
    await page.click('[data-testid=tab-bulk]')
    await page.setInputFiles('[data-testid=bulk-file]', file)
    await expect.poll(() => page.textContent('[data-testid=bulk-file-name]')).toContain('vendor-report.csv')
    await page.click('[data-testid=bulk-stage]')
    await page.waitForSelector('[data-testid=bulk-preview]')
    await expect.poll(() => page.locator('[data-testid=bulk-row]').count()).toBe(5)
    expect(await row(2).locator('[data-testid=bulk-row-value]').textContent()).toBe('http://bulk-one.top/gate.php')
    expect(await row(5).getAttribute('data-status')).toBe('invalid')
    expect(await row(5).locator('[data-testid=bulk-row-reason]').textContent()).toMatch(/\S/)
    await page.screenshot({ path: path.join(SHOTS, 'bulk-preview-en.png'), fullPage: true })

    // Fix the broken IP in place: it becomes new and selected.
    await row(5).locator('[data-testid=bulk-row-edit]').click()
    await page.fill('[data-testid=bulk-edit-value]', '45.33.32.156')
    await page.click('[data-testid=bulk-edit-save]')
    await expect.poll(() => row(5).getAttribute('data-status')).toBe('new')
    expect(await row(5).locator('[data-testid=bulk-row-select]').isChecked()).toBe(true)
    // Leave one out.
    await row(4).locator('[data-testid=bulk-row-select]').uncheck()
    await expect.poll(() => page.textContent('[data-testid=bulk-commit]')).toContain('3')
    await page.fill('[data-testid=bulk-ticket]', 'INC-BULK-E2E')
    await page.screenshot({ path: path.join(SHOTS, 'bulk-edited-en.png'), fullPage: true })
    await page.click('[data-testid=bulk-commit]')
    await page.waitForSelector('[data-testid=bulk-result]')
    expect(await page.textContent('[data-testid=bulk-result]')).toMatch(/3 created, 2 skipped/)
    await page.screenshot({ path: path.join(SHOTS, 'bulk-done-en.png'), fullPage: true })

    await page.click('[data-testid=bulk-result] a')
    await page.waitForURL((u) => u.pathname === '/search')
    await expect.poll(() => page.locator('[data-testid=ioc-row]').count()).toBe(3)
    const text = await page.textContent('[data-testid=ioc-table]')
    expect(text).toContain('bulk-one.top')
    expect(text).toContain('45.33.32.156')
    expect(text).not.toContain('bulk-three.top')
    const stored = await api.get('/api/v1/iocs?ticket=INC-BULK-E2E')
    expect(stored.json.items.map((i: any) => i.value).sort()).toEqual(['45.33.32.156', 'bulk-two.top', 'http://bulk-one.top/gate.php'])
    expect(dialogs).toEqual([])
  })

  it('shows the preview in Hebrew, right to left, with a pasted list', async () => {
    await setLanguage('he')
    await page.goto(server.base + '/submit?mode=bulk')
    await page.fill('[data-testid=bulk-text]', '# ticket: INC-HE\nbulk-two[.]top\n10.0.0.1\nhe-new-domain.top')
    await page.click('[data-testid=bulk-stage]')
    await page.waitForSelector('[data-testid=bulk-preview]')
    await expect.poll(() => page.locator('[data-testid=bulk-row]').count()).toBe(3)
    expect(await row(2).getAttribute('data-status')).toBe('duplicate')
    expect(await row(3).getAttribute('data-status')).toBe('warning')
    expect(await page.textContent('[data-testid=bulk-count-new]')).toContain('חדש')
    await page.screenshot({ path: path.join(SHOTS, 'bulk-preview-he.png'), fullPage: true })
    await page.click('[data-testid=bulk-discard]')
    await page.waitForSelector('[data-testid=bulk-text]')
    await setLanguage('en')
  })

  it('lists batches staged elsewhere (API, migrations) and resumes one for review', async () => {
    const staged = await api.post('/api/v1/imports', { text: 'resumed-one.top\nresumed-two.top', format: 'txt', filename: 'from-script.txt' })
    expect(staged.status).toBe(201)
    await page.goto(server.base + '/submit?mode=bulk')
    const resumable = page.locator('[data-testid=bulk-batch][data-status=staged]')
    await expect.poll(() => resumable.count()).toBe(1)
    expect(await resumable.textContent()).toContain('from-script.txt')
    await page.screenshot({ path: path.join(SHOTS, 'bulk-batches-en.png'), fullPage: true })
    await resumable.locator('[data-testid=bulk-batch-resume]').click()
    await expect.poll(() => page.locator('[data-testid=bulk-row]').count()).toBe(2)
    await page.click('[data-testid=bulk-commit]')
    await page.waitForSelector('[data-testid=bulk-result]')
    expect(await page.textContent('[data-testid=bulk-result]')).toMatch(/2 created, 0 skipped/)
    expect(await page.locator('[data-testid=bulk-batch][data-status=staged]').count()).toBe(0)
  })
})
