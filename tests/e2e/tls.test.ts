import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'
import { makeTestPki, type TestPki } from '../helpers/test-ca'

let env: SignedIn
let page: Page
let pki: TestPki

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
const otherKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

beforeAll(async () => {
  pki = makeTestPki()
  env = await startSignedIn('tls')
  page = env.page
})

afterAll(async () => {
  await env?.close()
})

describe('HTTPS certificate card', () => {
  it('is the HTTPS tab of Settings and says when no certificate is configured', async () => {
    await page.goto(env.server.base + '/')
    // One place for settings: the card is a tab of Settings, not a navigation entry of its own.
    expect(await page.locator('nav a[href="/admin/tls"]').count()).toBe(0)
    await page.click('nav a[href="/admin/settings"]')
    await page.click('[data-testid=settings-tab-tls]')
    await page.waitForSelector('[data-testid=tls-none]')
    expect(await page.locator('h1').textContent()).toBe('Settings')
    expect(await page.locator('[data-testid=settings-tab-tls]').getAttribute('aria-selected')).toBe('true')
    await shot('tls-empty-en')
  })

  it('shows the problem next to the field that has it', async () => {
    await page.fill('[data-testid=tls-server-name]', '127.0.0.1')
    await page.fill('[data-testid=tls-certificate]', pki.cert)
    await page.fill('[data-testid=tls-private-key]', otherKey())
    await page.click('[data-testid=tls-save]')
    await expect.poll(() => page.locator('#tls-private-key-error').textContent()).toBe('This key does not belong to the certificate.')
    expect(await page.locator('#tls-certificate-error').textContent()).toBe('')

    await page.fill('[data-testid=tls-private-key]', pki.key)
    await page.fill('[data-testid=tls-server-name]', 'moat.example.org')
    await page.click('[data-testid=tls-save]')
    await expect.poll(() => page.locator('#tls-certificate-error').textContent()).toContain('not issued for')
    expect(await page.locator('#tls-certificate-error').textContent()).toContain('moat.example.org')
    await shot('tls-errors-en')
  })

  it('uploads a valid certificate, shows its details and asks for a restart, never showing the key', async () => {
    await page.fill('[data-testid=tls-server-name]', '127.0.0.1')
    await page.fill('[data-testid=tls-chain]', pki.caPem)
    await page.click('[data-testid=tls-save]')
    await page.waitForSelector('[data-testid=tls-restart]')
    const fp = new X509Certificate(pki.cert).fingerprint256
    expect(await page.locator('[data-testid=tls-fingerprint]').textContent()).toBe(fp)
    expect(await page.locator('[data-testid=tls-private-key]').inputValue()).toBe('')
    expect(await page.content()).not.toContain('PRIVATE KEY-----\n')
    // Nothing wider than the window (the fingerprint wraps).
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await shot('tls-uploaded-en')
  })

  it('speaks Hebrew (RTL) in dark mode, field errors included', async () => {
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await page.locator('h1').textContent()).toBe('הגדרות')
    await page.fill('[data-testid=tls-certificate]', 'not a certificate')
    await page.fill('[data-testid=tls-private-key]', pki.key)
    await page.click('[data-testid=tls-save]')
    await expect.poll(() => page.locator('#tls-certificate-error').textContent()).toBe('זה אינו בלוק PEM קריא.')
    await shot('tls-he-dark')
    await page.click('[data-testid=theme-toggle]')
    await shot('tls-he-light')
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    // The shown error follows the language switch.
    await expect.poll(() => page.locator('#tls-certificate-error').textContent()).toBe('This is not a readable PEM block.')
    await shot('tls-en-dark')
  })
})
