import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'
import { Client } from '../helpers/moat'
import { BASE_DN, BIND_DN, BIND_PASSWORD, GROUPS, PEOPLE, startSlapd, type Slapd } from '../helpers/slapd'

// The admin Settings screen: an admin configures LDAP against a real slapd in the UI, tests the
// connection, and a directory user then signs in through the login page. English and Hebrew,
// light and dark.

let env: SignedIn
let slapd: Slapd
let page: Page

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })

beforeAll(async () => {
  await Promise.all([startSignedIn('settings').then((e) => (env = e)), startSlapd().then((s) => (slapd = s))])
  page = env.page
})

afterAll(async () => {
  await env?.close()
  await slapd?.stop()
})

describe('Settings screen', () => {
  it('is in the admin navigation and opens on the sign-in tab in local mode', async () => {
    await page.goto(env.server.base + '/')
    await page.click('nav a[href="/admin/settings"]')
    await page.waitForSelector('[data-testid=ldap-settings] [data-testid=ldap-mode]')
    expect(await page.locator('[data-testid=settings-tab-auth]').getAttribute('aria-selected')).toBe('true')
    expect(await page.locator('[data-testid=ldap-mode-local]').isChecked()).toBe(true)
  })

  it('names bad values next to their fields', async () => {
    await page.click('[data-testid=ldap-mode-both]')
    await page.fill('[data-testid=ldap-url]', 'http://dc1.corp.example')
    await page.fill('[data-testid=ldap-search-filter]', '(uid=alice)')
    await page.click('[data-testid=ldap-save]')
    await expect.poll(() => page.locator('#ldap-url-error').textContent()).toBe('Enter an ldap:// or ldaps:// address (host and optional port only).')
    expect(await page.locator('#ldap-search-filter-error').textContent()).toBe('Enter one filter in parentheses that contains {username}.')
  })

  it('configures LDAP against slapd, tests the connection and shows each step', async () => {
    await page.fill('[data-testid=ldap-url]', slapd.url)
    await page.click('[data-testid=ldap-starttls]')
    await page.fill('[data-testid=ldap-ca]', slapd.pki.caPem)
    await page.fill('[data-testid=ldap-bind-dn]', BIND_DN)
    await page.fill('[data-testid=ldap-bind-password]', BIND_PASSWORD)
    await page.fill('[data-testid=ldap-search-base]', `ou=people,${BASE_DN}`)
    await page.fill('[data-testid=ldap-search-filter]', '(&(objectClass=inetOrgPerson)(uid={username}))')
    // Without a group mapping the server refuses, and says so under the groups.
    await page.click('[data-testid=ldap-save]')
    await expect.poll(() => page.locator('[data-testid=ldap-groups-error]').textContent()).toMatch(/at least one group/)
    for (const [dn, role] of [
      [GROUPS.admins, 'admin'],
      [GROUPS.analysts, 'analyst'],
      [GROUPS.viewers, 'viewer'],
    ]) {
      await page.click('[data-testid=ldap-add-group]')
      await page.locator('[data-testid=ldap-group-dn]').last().fill(dn)
      await page.locator('[data-testid=ldap-group-role]').last().selectOption(role)
    }
    await page.fill('[data-testid=ldap-test-user]', 'bob')
    await page.click('[data-testid=ldap-test-run]')
    await page.waitForSelector('[data-testid=ldap-test-result]')
    expect(await page.locator('[data-testid=ldap-test-result]').getAttribute('data-ok')).toBe('true')
    const steps = await page.locator('[data-testid=ldap-step]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-step'), e.getAttribute('data-ok')]))
    expect(steps).toEqual([
      ['connect', 'true'],
      ['starttls', 'true'],
      ['bind', 'true'],
      ['search', 'true'],
      ['groups', 'true'],
    ])
    expect(await page.locator('[data-testid=ldap-test-role]').textContent()).toContain('Analyst')
    await page.click('[data-testid=ldap-save]')
    await expect.poll(() => page.locator('[data-testid=ldap-settings] [data-testid=saved]').textContent()).toBe('Sign-in settings saved.')
    // Write-only: the field empties, nothing of the password is in the page.
    expect(await page.locator('[data-testid=ldap-bind-password]').inputValue()).toBe('')
    expect(await page.content()).not.toContain(BIND_PASSWORD)
    await shot('settings-ldap-en')
  })

  it('reports a failed step in Hebrew, dark', async () => {
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl')
    await page.fill('[data-testid=ldap-bind-password]', 'Wrong-bind-pass-000')
    await page.click('[data-testid=ldap-test-run]')
    await expect.poll(() => page.locator('[data-testid=ldap-test-result]').getAttribute('data-ok')).toBe('false')
    expect(await page.locator('[data-testid=ldap-step][data-step=bind]').getAttribute('data-ok')).toBe('false')
    expect(await page.locator('[data-testid=ldap-test-result] .alert').textContent()).toBe('הבדיקה נעצרה בשלב שנכשל.')
    await page.fill('[data-testid=ldap-search-filter]', '(uid=x)')
    await page.click('[data-testid=ldap-save]')
    await expect.poll(() => page.locator('#ldap-search-filter-error').textContent()).toBe('הזינו מסנן אחד בסוגריים שמכיל את {username}.')
    await shot('settings-ldap-he-dark')
    // Leave the saved settings as they were.
    await page.goto(env.server.base + '/admin/settings#auth')
    await page.waitForSelector('[data-testid=ldap-mode]')
  })

  it('shows the other tabs in Hebrew dark and English light', async () => {
    await page.click('[data-testid=settings-tab-defaults]')
    await page.waitForSelector('[data-testid=default-settings] [data-testid=defaults-timezone]')
    await page.fill('[data-testid=defaults-timezone]', 'Mars/Olympus')
    await page.click('[data-testid=defaults-save]')
    await expect.poll(() => page.locator('#defaults-timezone-error').textContent()).toBe('הזינו אזור זמן IANA כמו UTC או Asia/Jerusalem.')
    await page.fill('[data-testid=defaults-timezone]', 'Asia/Jerusalem')
    await page.click('[data-testid=defaults-save]')
    await expect.poll(() => page.locator('[data-testid=default-settings] [data-testid=saved]').isVisible()).toBe(true)
    await shot('settings-defaults-he-dark')
    await page.click('[data-testid=settings-tab-audit]')
    await page.waitForSelector('[data-testid=syslog-port]')
    await shot('settings-audit-he-dark')
    await page.click('[data-testid=lang-toggle]')
    await page.click('[data-testid=theme-toggle]')
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('ltr')
    await page.click('[data-testid=settings-tab-tls]')
    await page.waitForSelector('[data-testid=settings-panel-tls] [data-testid=tls-current]')
    await shot('settings-tls-en')
    await page.click('[data-testid=settings-tab-misp]')
    await page.waitForSelector('[data-testid=misp-settings]')
    await page.click('[data-testid=settings-tab-champs]')
    await page.waitForSelector('[data-testid=settings-panel-champs] form')
    await shot('settings-champs-en')
    expect(await env.api.get('/api/v1/settings/defaults').then((r) => r.json.settings.timezone)).toBe('Asia/Jerusalem')
  })

  it('lets a directory user sign in on the login page with the role of their group', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1360, height: 900 } })
    const other = await context.newPage()
    await other.goto(env.server.base + '/login')
    await other.fill('#username', 'carol')
    await other.fill('#password', PEOPLE.carol.password)
    await other.click('button[type=submit]')
    await other.waitForURL((u) => u.pathname === '/')
    // A viewer: no Settings entry in the navigation.
    await other.waitForSelector('nav a[href="/search"]')
    expect(await other.locator('nav a[href="/admin/settings"]').count()).toBe(0)
    const me = await other.evaluate(async () => ((await (await fetch('/api/v1/auth/me')).json()) as { user: unknown }).user)
    expect(me).toMatchObject({ username: 'carol', role: 'viewer', source: 'ldap' })
    await context.close()
  })
})

describe('Defaults: lifetime per type and the sanity mode (issue 9)', () => {
  let analyst: Page

  async function setLang(p: Page, lang: 'en' | 'he') {
    await p.waitForSelector('[data-testid=lang-toggle]')
    if ((await p.getAttribute('html', 'lang')) !== lang) await p.click('[data-testid=lang-toggle]')
    await expect.poll(() => p.getAttribute('html', 'dir')).toBe(lang === 'he' ? 'rtl' : 'ltr')
  }

  /** The analyst submits a value (confirming warnings) and returns the result panel's kind. */
  async function submitAs(p: Page, value: string) {
    await p.goto(env.server.base + '/submit')
    await p.fill('[data-testid=submit-value]', value)
    await p.click('[data-testid=submit-button]')
    await p.waitForSelector('[data-testid=submit-result]')
    if ((await p.getAttribute('[data-testid=submit-result]', 'data-result')) === 'confirm') {
      await p.click('[data-testid=confirm-button]')
      await expect.poll(() => p.getAttribute('[data-testid=submit-result]', 'data-result')).not.toBe('confirm')
    }
    return p.getAttribute('[data-testid=submit-result]', 'data-result')
  }

  beforeAll(async () => {
    const made = await env.api.post('/api/v1/users', { username: 'dana', displayName: 'Dana Analyst', role: 'analyst' })
    expect(made.status, made.text).toBe(201)
    const dana = new Client(env.server.base)
    await dana.login('dana', made.json.password)
    expect((await dana.post('/api/v1/auth/password', { current: made.json.password, new: 'Harbor-lantern-quartz-58' })).status).toBe(200)
    const context = await env.browser.newContext({ viewport: { width: 1360, height: 900 } })
    analyst = await context.newPage()
    await analyst.goto(env.server.base + '/login')
    await analyst.fill('#username', 'dana')
    await analyst.fill('#password', 'Harbor-lantern-quartz-58')
    await analyst.click('button[type=submit]')
    await analyst.waitForURL((u) => u.pathname === '/')
  })

  it('an admin sets a lifetime per type and blocks critical hits for everyone, in English', async () => {
    await page.goto(env.server.base + '/admin/settings')
    await setLang(page, 'en')
    await page.click('[data-testid=settings-tab-defaults]')
    await page.waitForSelector('[data-testid=defaults-ttl-ip]')
    expect(await page.locator('[data-testid=defaults-ttl-ip] option').first().textContent()).toBe('Default (3 months)')
    await page.selectOption('[data-testid=defaults-ttl-ip]', '1w')
    await page.selectOption('[data-testid=defaults-ttl-hash]', 'permanent')
    await page.selectOption('[data-testid=defaults-sanity-mode]', 'block_all')
    expect(await page.locator('#defaults-sanity-mode-hint').textContent()).toBe('Critical values are refused on every path, admins included.')
    await page.click('[data-testid=defaults-save]')
    await expect.poll(() => page.locator('[data-testid=default-settings] [data-testid=saved]').isVisible()).toBe(true)
    await shot('settings-defaults-policy-en')
    const saved = (await env.api.get('/api/v1/settings/defaults')).json.settings
    expect(saved).toMatchObject({ ttlByType: { ip: '1w', hash: 'permanent' }, sanityMode: 'block_all' })
  })

  it('the analyst sees the type default on the submit form and is refused 8.8.8.8 with the reason, in English', async () => {
    await analyst.goto(env.server.base + '/submit')
    await setLang(analyst, 'en')
    await analyst.fill('[data-testid=submit-value]', '45.9.148.201')
    await expect.poll(() => analyst.locator('[data-testid=submit-ttl] option:checked').textContent()).toBe('Default (IP): 1 week')
    await analyst.click('[data-testid=submit-button]')
    await expect.poll(() => analyst.getAttribute('[data-testid=submit-result]', 'data-result')).toBe('created')
    const made = (await env.api.get('/api/v1/iocs?q=45.9.148.201&match=exact')).json.items[0]
    expect(Math.round((Date.parse(made.expiresAt) - Date.now()) / 86_400_000)).toBe(7)
    expect(await submitAs(analyst, '8.8.8.8')).toBe('blocked')
    expect(await analyst.locator('[data-testid=blocked-reason]').textContent()).toBe('Public DNS resolver: the sanity mode refuses this value for everyone.')
    await analyst.screenshot({ path: path.join(SHOTS, 'submit-critical-blocked-en.png'), fullPage: true })
  })

  it('in Hebrew, dark: the admin allows admins only and a domain lifetime; the analyst is refused with the translated reason', async () => {
    await page.goto(env.server.base + '/admin/settings')
    await setLang(page, 'he')
    if ((await page.getAttribute('html', 'data-theme')) !== 'dark') await page.click('[data-testid=theme-toggle]')
    await page.click('[data-testid=settings-tab-defaults]')
    await page.waitForSelector('[data-testid=defaults-ttl-domain]')
    await page.selectOption('[data-testid=defaults-ttl-domain]', '1m')
    await page.selectOption('[data-testid=defaults-sanity-mode]', 'block_non_admin')
    expect(await page.locator('[data-testid=defaults-sanity-mode] option:checked').textContent()).toBe('מנהלים בלבד: חסימת אנליסטים (מומלץ)')
    await page.click('[data-testid=defaults-save]')
    await expect.poll(() => page.locator('[data-testid=default-settings] [data-testid=saved]').isVisible()).toBe(true)
    await shot('settings-defaults-policy-he-dark')
    expect((await env.api.get('/api/v1/settings/defaults')).json.settings).toMatchObject({ ttlByType: { ip: '1w', domain: '1m', hash: 'permanent' }, sanityMode: 'block_non_admin' })

    await analyst.goto(env.server.base + '/submit')
    await setLang(analyst, 'he')
    if ((await analyst.getAttribute('html', 'data-theme')) !== 'dark') await analyst.click('[data-testid=theme-toggle]')
    await analyst.fill('[data-testid=submit-value]', 'evil-policy.example-bad.top')
    await expect.poll(() => analyst.locator('[data-testid=submit-ttl] option:checked').textContent()).toBe('ברירת מחדל (דומיין): חודש')
    expect(await submitAs(analyst, '1.1.1.1')).toBe('blocked')
    expect(await analyst.locator('[data-testid=blocked-reason]').textContent()).toBe('שרת DNS ציבורי: מצב בדיקות השפיות אינו מאפשר לאנליסטים להגיש ערך זה. פנו למנהל אם באמת יש לחסום אותו.')
    await analyst.screenshot({ path: path.join(SHOTS, 'submit-critical-blocked-he-dark.png'), fullPage: true })

    // A bulk import: the critical row is a blocked error that cannot be selected, with the reason in Hebrew.
    await analyst.goto(env.server.base + '/submit?mode=bulk')
    await analyst.fill('[data-testid=bulk-text]', '9.9.9.9\nbulk-policy.example-bad.top')
    await analyst.click('[data-testid=bulk-stage]')
    await analyst.waitForSelector('[data-testid=bulk-preview]')
    const first = analyst.locator('[data-testid=bulk-row][data-line="1"]')
    await expect.poll(() => first.getAttribute('data-status')).toBe('invalid')
    expect(await first.locator('[data-testid=bulk-row-select]').isDisabled()).toBe(true)
    expect(await first.locator('[data-testid=bulk-row-reason]').textContent()).toBe('נחסם: שרת DNS ציבורי (רק מנהל יכול לייבא)')
    expect(await analyst.locator('#bulk-ttl-hint').textContent()).toContain('IP שבוע')
    await analyst.screenshot({ path: path.join(SHOTS, 'bulk-critical-blocked-he-dark.png'), fullPage: true })
    await analyst.click('[data-testid=bulk-discard]')
    // The admin, asked to confirm, may (block_non_admin).
    await page.goto(env.server.base + '/submit')
    await page.fill('[data-testid=submit-value]', '1.1.1.1')
    await page.click('[data-testid=submit-button]')
    await expect.poll(() => page.getAttribute('[data-testid=submit-result]', 'data-result')).toBe('confirm')
    expect(await page.locator('[data-testid=critical-note]').textContent()).toBe('ממצא קריטי: אנליסטים אינם יכולים להגיש אותו; כמנהל אתם רשאים לאשר.')
    await page.screenshot({ path: path.join(SHOTS, 'submit-critical-confirm-admin-he-dark.png'), fullPage: true })
    await page.click('[data-testid=confirm-button]')
    await expect.poll(() => page.getAttribute('[data-testid=submit-result]', 'data-result')).toBe('created')
    // Leave English light for the tests after.
    await setLang(page, 'en')
    await page.click('[data-testid=theme-toggle]')
    await analyst.context().close()
  })
})
