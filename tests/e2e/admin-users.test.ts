import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let base: string
let userPage: Page
const NEW_PASSWORD = 'Cobalt-heron-window-91'

beforeAll(async () => {
  env = await startSignedIn('admin-users')
  page = env.page
  base = env.server.base
})

afterAll(() => env?.close())

const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })

describe('users administration in the browser', () => {
  it('creates a user whose one-time password is shown once, and who then signs in with it', async () => {
    await page.goto(base + '/admin/users')
    await page.waitForSelector('[data-testid=user-row][data-username=misp]')
    await page.fill('[data-testid=user-username]', 'nadia')
    await page.fill('[data-testid=user-display]', 'Nadia Levi')
    await page.selectOption('[data-testid=user-role]', 'analyst')
    await page.fill('[data-testid=user-role-description]', 'Tier 1, night shift')
    await page.click('[data-testid=user-create]')
    const password = (await page.locator('[data-testid=user-password-value]').textContent())!.trim()
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/)
    await page.waitForSelector('[data-testid=user-row][data-username=nadia]')
    await shot(page, 'users-en')

    // The same name again is refused next to the field.
    await page.fill('[data-testid=user-username]', 'NADIA')
    await page.click('[data-testid=user-create]')
    await expect.poll(() => page.locator('#user-username-error').textContent()).toMatch(/already exists/)

    const context = await env.browser.newContext({ viewport: { width: 1360, height: 900 } })
    userPage = await context.newPage()
    await userPage.goto(base + '/login')
    await userPage.fill('#username', 'nadia')
    await userPage.fill('#password', password)
    await userPage.click('button[type=submit]')
    await userPage.waitForURL(/\/change-password/)
    await userPage.fill('#current', password)
    await userPage.fill('#new', NEW_PASSWORD)
    await userPage.fill('#confirm', NEW_PASSWORD)
    await userPage.click('button[type=submit]')
    await userPage.waitForURL((u) => u.pathname === '/')

    await page.reload()
    const row = page.locator('[data-testid=user-row][data-username=nadia]')
    await expect.poll(() => row.locator('[data-testid=user-last-login] time').count()).toBe(1)
  })

  it('lets the new user create an API token that works as a bearer token, then revoke it', async () => {
    await userPage.goto(base + '/profile')
    await userPage.waitForSelector('[data-testid=tokens-card]')
    // An analyst is offered read and write, never admin.
    expect(await userPage.locator('[data-testid=token-scope] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['read', 'write'])
    await userPage.fill('[data-testid=token-name]', 'SOAR playbook')
    await userPage.selectOption('[data-testid=token-scope]', 'write')
    await userPage.click('[data-testid=token-create]')
    const secret = (await userPage.locator('[data-testid=token-secret-value]').textContent())!.trim()
    expect(secret).toMatch(/^moat_/)
    const me = await fetch(base + '/api/v1/auth/me', { headers: { authorization: `Bearer ${secret}` } })
    expect(me.status).toBe(200)
    expect(((await me.json()) as any).user.username).toBe('nadia')
    await shot(userPage, 'profile-tokens-en')

    await userPage.click('[data-testid=token-secret-dismiss]')
    await expect.poll(() => userPage.locator('[data-testid=token-secret]').count()).toBe(0)
    await userPage.reload()
    const row = userPage.locator('[data-testid=token-row][data-name="SOAR playbook"]')
    await expect.poll(() => row.locator('[data-testid=token-last-used] time').count()).toBe(1)
    expect(await userPage.content()).not.toContain(secret)
    await row.locator('[data-testid=token-revoke]').click()
    await userPage.click('[data-testid=token-confirm-revoke]')
    await expect.poll(() => row.getAttribute('data-status')).toBe('revoked')
    expect((await fetch(base + '/api/v1/auth/me', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401)
  })

  it('deactivates the user from the list: their session ends at once', async () => {
    await page.reload()
    const row = page.locator('[data-testid=user-row][data-username=nadia]')
    await row.locator('[data-testid=user-active]').click()
    await page.waitForSelector('[data-testid=saved]')
    expect(await row.getAttribute('class')).toContain('row-inactive')
    await userPage.goto(base + '/profile')
    await userPage.waitForURL(/\/login/)
    // The admin's own switch cannot be turned off.
    expect(await page.locator('[data-testid=user-row][data-username=admin] [data-testid=user-active]').isDisabled()).toBe(true)
  })

  it('shows the audit log with filters and a CEF preview, in English and in Hebrew dark', async () => {
    await page.goto(base + '/admin/audit')
    await page.waitForSelector('[data-testid=audit-row]')
    await page.selectOption('[data-testid=audit-action]', 'user.')
    await page.click('[data-testid=audit-apply]')
    await expect.poll(async () => (await page.locator('[data-testid=audit-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).every((a) => a?.startsWith('user.'))).toBe(true)
    const deactivate = page.locator('[data-testid=audit-row][data-action="user.deactivate"]')
    await deactivate.locator('[data-testid=audit-preview]').click()
    await expect.poll(() => page.locator('[data-testid=audit-cef]').textContent()).toMatch(/^CEF:0\|Moat\|Moat\|[^|]+\|user\.deactivate\|User deactivated\|6\|.*duser=nadia/)
    expect(await page.locator('[data-testid=audit-export]').getAttribute('href')).toBe('/api/v1/audit/export.csv?action=user.')
    await shot(page, 'audit-en')

    // Syslog delivery lives on the Settings screen (the audit page links to it).
    await page.click('[data-testid=audit-settings-link] a')
    await page.waitForSelector('[data-testid=syslog-port]')
    await page.fill('[data-testid=syslog-port]', '70000')
    await page.click('[data-testid=syslog-save]')
    await expect.poll(() => page.locator('#syslog-port-error').textContent()).toMatch(/1 to 65535/)

    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    await page.click('[data-testid=syslog-save]')
    await expect.poll(() => page.locator('#syslog-port-error').textContent()).toMatch(/פורט.*65535/)
    await page.goto(base + '/admin/audit')
    await page.waitForSelector('[data-testid=audit-row]')
    await shot(page, 'audit-he-dark')
    await page.goto(base + '/admin/users')
    await page.waitForSelector('[data-testid=user-row][data-username=nadia]')
    await shot(page, 'users-he-dark')
    await page.goto(base + '/profile')
    await page.waitForSelector('[data-testid=tokens-card]')
    await shot(page, 'profile-tokens-he-dark')
  })
})
