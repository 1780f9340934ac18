import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupName, findDatabaseFile, snapshotDatabase } from '../../bin/backup'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

// Settings > Backups against a real `moat start`: the list, Back up now (the launcher's worker
// thread), retention edits with their error, Check, and delete with its confirmation; English and
// Hebrew, light and dark.

let env: SignedIn
let page: Page
let dataDir: string

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
const rows = () => page.locator('[data-testid=backup-row]')

beforeAll(async () => {
  env = await startSignedIn('backups')
  page = env.page
  const first = await env.api.get('/api/v1/admin/backups')
  expect(first.status).toBe(200)
  dataDir = path.dirname(first.json.backupsDir)
  // A scheduled and a pre-upgrade backup, as the launcher names them.
  const src = findDatabaseFile(dataDir)!
  snapshotDatabase(src, backupName(dataDir, 'daily', new Date('2026-11-20T02:30:00Z')))
  snapshotDatabase(src, backupName(dataDir, 'pre-upgrade', new Date('2026-11-18T09:15:00Z')))
  // Times show in the configured zone (UTC+2 in November), not the browser's.
  expect((await env.api.patch('/api/v1/settings/defaults', { timezone: 'Asia/Jerusalem' })).status).toBe(200)
})

afterAll(async () => {
  await env?.close()
})

describe('Settings > Backups', () => {
  it('lists the backups newest first with kind, time, size, restore command and the keys.json note', async () => {
    await page.goto(env.server.base + '/admin/settings')
    await page.click('[data-testid=settings-tab-backups]')
    await page.waitForSelector('[data-testid=backups-table]')
    expect(await rows().count()).toBe(2)
    expect(await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')))).toEqual(['daily', 'pre-upgrade'])
    const first = rows().first()
    expect(await first.locator('time').textContent()).toBe('Nov 20, 2026, 4:30 AM')
    expect(await page.locator('[data-command="moat-daily-20261120T023000Z.sqlite"]').textContent()).toBe(
      `MOAT_DATA=${dataDir} moat restore ${path.join(dataDir, 'backups', 'moat-daily-20261120T023000Z.sqlite')}`,
    )
    expect(await first.locator('[data-testid=backup-size]').textContent()).toMatch(/^\u2068?\d+(\.\d+)?\s*KB\u2069?$/)
    expect(await page.locator('[data-testid=backups-keys-note]').textContent()).toContain(path.join(dataDir, 'keys.json'))
    expect(await page.locator('[data-testid=backups-next]').textContent()).toMatch(/4:30 AM$/)
    expect(await page.locator('[data-testid=backups-status]').textContent()).toContain('Asia/Jerusalem')
    expect(await page.locator('[data-testid=backups-free]').textContent()).toMatch(/free of/)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await shot('backups-en')
  })

  it('backs up now: a manual row appears at the top', async () => {
    await page.click('[data-testid=backups-now]')
    await expect.poll(() => rows().count()).toBe(3)
    expect(await rows().first().getAttribute('data-kind')).toBe('manual')
    expect(await rows().first().getAttribute('data-name')).toMatch(/^moat-manual-\d{8}T\d{6}Z\.sqlite$/)
    expect(await page.locator('.backups-list [data-testid=saved]').textContent()).toContain('written')
  })

  it('checks a backup as moat restore does', async () => {
    await rows().first().locator('[data-testid=backup-check]').click()
    const result = rows().first().locator('[data-testid=backup-check-result]')
    await result.waitFor()
    expect(await result.getAttribute('data-ok')).toBe('true')
    expect(await rows().first().locator('[data-testid=backup-state]').textContent()).toContain('Matches this version')
  })

  it('edits the retention: refuses 0 next to the field, saves 30', async () => {
    await page.fill('[data-testid=backups-keep]', '0')
    await page.click('[data-testid=backups-save]')
    await expect.poll(() => page.locator('#backups-keep-error').textContent()).toBe('Enter a whole number from 1 to 365.')
    await shot('backups-keep-error-en')
    await page.fill('[data-testid=backups-keep]', '30')
    await page.click('[data-testid=backups-save]')
    await expect.poll(() => page.locator('#backups-keep-error').textContent()).toBe('')
    await expect.poll(async () => (await env.api.get('/api/v1/admin/backups')).json.settings.keep).toBe(30)
  })

  it('deletes a backup after confirmation', async () => {
    const last = rows().last()
    const name = await last.getAttribute('data-name')
    await last.locator('[data-testid=backup-delete]').click()
    await page.waitForSelector('[data-testid=backup-confirm-delete]')
    await shot('backups-delete-confirm-en')
    await page.click('[data-testid=backup-confirm-delete]')
    await expect.poll(() => rows().count()).toBe(2)
    expect(await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-name')))).not.toContain(name)
    const listed = (await env.api.get('/api/v1/admin/backups')).json.backups.map((b: { name: string }) => b.name)
    expect(listed).not.toContain(name)
  })

  it('speaks Hebrew (RTL) in dark and light, and English in dark', async () => {
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await page.locator('[data-testid=settings-tab-backups]').textContent()).toBe('גיבויים')
    expect(await page.locator('#backups-title').textContent()).toContain('גיבויי מסד הנתונים')
    expect(await rows().first().locator('.backup-kind').textContent()).toBe('ידני')
    // The command stays left to right inside the Hebrew page.
    expect(await page.locator('[data-testid=backup-command]').first().evaluate((el) => getComputedStyle(el).direction)).toBe('ltr')
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await shot('backups-he-dark')
    await page.click('[data-testid=theme-toggle]')
    await shot('backups-he-light')
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    expect(await page.locator('#backups-title').textContent()).toContain('Database backups')
    await shot('backups-en-dark')
  })
})
