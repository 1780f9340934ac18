import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let server: SignedIn['server']

beforeAll(async () => {
  env = await startSignedIn('taxii')
  ;({ page, server } = env)
  expect((await env.api.post('/api/v1/iocs', { value: 'c2.taxii-e2e.example', confirm: true })).status).toBe(201)
})

afterAll(() => env?.close())

const values = (testId: string) => page.locator(`[data-testid=${testId}]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-value')))

describe('TAXII section of the feeds screen', () => {
  it('lists the TAXII 2.1 and 1.1 addresses and collection ids, and they answer', async () => {
    await page.goto(server.base + '/feeds')
    await page.waitForSelector('[data-testid=taxii-card]')
    const urls = await values('taxii-url')
    expect(urls).toEqual([`${server.base}/taxii2/`, `${server.base}/taxii2/moat/`])
    const ids = await values('taxii-collection')
    expect(ids).toHaveLength(8)
    expect(await values('taxii1-url')).toEqual([`${server.base}/taxii/discovery`, `${server.base}/taxii/collections`, `${server.base}/taxii/poll`])
    expect(await page.textContent('[data-testid=taxii1-collections]')).toContain('moat-ip')
    // The listed collection id is a real collection holding the IOC.
    const res = await fetch(`${urls[1]}collections/${ids[2]}/objects/`, { headers: { accept: 'application/taxii+json;version=2.1' } })
    expect(res.status).toBe(200)
    expect(JSON.stringify(await res.json())).toContain('c2.taxii-e2e.example')
    await page.locator('[data-testid=taxii-card]').screenshot({ path: path.join(SHOTS, 'taxii-en-light.png') })
  })

  it('saves the public base URL and shows addresses built from it; refuses a bad one in Hebrew', async () => {
    await page.fill('[data-testid=taxii-public-url]', 'https://moat.soc.example')
    await page.selectOption('[data-testid=taxii-tlp]', 'amber')
    await page.click('[data-testid=taxii-settings-save]')
    await page.waitForSelector('[data-testid=taxii-settings] [data-testid=saved]')
    await expect.poll(() => values('taxii-url')).toEqual(['https://moat.soc.example/taxii2/', 'https://moat.soc.example/taxii2/moat/'])
    const discovery = await (await fetch(server.base + '/taxii2/')).json()
    expect((discovery as { api_roots: string[] }).api_roots[0]).toBe('https://moat.soc.example/taxii2/moat/')

    await page.click('[data-testid=lang-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    await page.fill('[data-testid=taxii-public-url]', 'ftp://nope')
    await page.click('[data-testid=taxii-settings-save]')
    const error = page.locator('#taxii-public-url-error')
    await expect.poll(() => error.textContent()).toMatch(/\S/)
    await page.click('[data-testid=theme-toggle]')
    await page.locator('[data-testid=taxii-card]').screenshot({ path: path.join(SHOTS, 'taxii-he-dark.png') })
    await page.click('[data-testid=theme-toggle]')
    await page.click('[data-testid=lang-toggle]')
  })
})
