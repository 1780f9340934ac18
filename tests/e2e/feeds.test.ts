import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let server: SignedIn['server']

beforeAll(async () => {
  env = await startSignedIn('feeds')
  ;({ page, server } = env)
  for (const value of ['45.9.148.12', '45.9.148.13', '45.9.148.14']) {
    expect((await env.api.post('/api/v1/iocs', { value })).status).toBe(201)
  }
})

afterAll(() => env?.close())

describe('feed screens', () => {
  it('lists every feed URL and flags a feed over its per-feed maximum', async () => {
    await page.goto(server.base + '/feeds')
    await page.waitForSelector('[data-testid=feed-settings]')
    await page.fill('[data-testid=feed-limits]', '/feed/pa/ip = 2')
    await page.click('[data-testid=feed-settings-save]')
    await page.waitForSelector('[data-testid=saved]')
    const body = await (await fetch(server.base + '/feed/pa/ip')).text()
    expect(body).toBe('45.9.148.12\n45.9.148.13\n')
    await page.reload()
    const row = page.locator('[data-testid=feed-row][data-path="/feed/pa/ip"]')
    await expect.poll(() => row.locator('[data-testid=feed-over-limit]').count()).toBe(1)
    expect(await row.locator('[data-testid=feed-url]').textContent()).toBe(`${server.base}/feed/pa/ip`)
    expect(await page.locator('[data-testid=feed-row]').count()).toBeGreaterThan(30)
    await page.screenshot({ path: path.join(SHOTS, 'feeds-en.png'), fullPage: true })
  })

  it('creates a feed consumer, shows its token once, and the token works', async () => {
    await page.goto(server.base + '/admin/feed-consumers')
    await page.fill('[data-testid=consumer-name]', 'PA-3220 DMZ')
    await page.fill('[data-testid=consumer-feeds]', '/feed/pa/*')
    await page.click('[data-testid=consumer-create]')
    await page.waitForSelector('[data-testid=consumer-token]')
    const token = (await page.textContent('[data-testid=consumer-token]'))!.trim()
    expect(token).toMatch(/^moatf_/)
    const basic = 'Basic ' + Buffer.from(`fw:${token}`).toString('base64')
    expect((await fetch(server.base + '/feed/pa/ip', { headers: { authorization: basic } })).status).toBe(200)
    expect((await fetch(server.base + '/feed/cp/ip', { headers: { authorization: basic } })).status).toBe(403)
    await page.click('[data-testid=lang-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    expect(await page.locator('[data-testid=consumer-row]').count()).toBe(1)
    await page.screenshot({ path: path.join(SHOTS, 'feed-consumers-he.png'), fullPage: true })
    await page.click('[data-testid=lang-toggle]')
  })
})
