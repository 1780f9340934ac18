import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, startSignedIn, type SignedIn } from '../helpers/browser'

let env: SignedIn
let page: Page
let base: string
const ids: Record<string, number> = {}
const camp: Record<string, number> = {}

const NORTHWIND = ['8.8.8.8', 'evil-login.com', 'http://payload.bad-cdn.com/drop.exe', 'phish@mail-bad.net', 'd41d8cd98f00b204e9800998ecf8427e']
const EMBER = ['193.0.0.1', 'ember-c2.net']
const RULE = `rule Northwind_Dropper\n{\n  meta:\n    author = "admin"\n    description = "Detects the Northwind dropper marker in samples"\n    date = "2026-11-20"\n  strings:\n    $a = "northwind-marker" ascii wide\n    $b = "northwind-marker-second"\n  condition:\n    filesize < 2MB and any of them\n}\n`

async function setTheme(want: 'light' | 'dark') {
  if ((await page.getAttribute('html', 'data-theme')) !== want) await page.click('[data-testid=theme-toggle]')
  await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(want)
}

async function setLang(want: 'en' | 'he') {
  if ((await page.getAttribute('html', 'lang')) !== want) await page.click('[data-testid=lang-toggle]')
  await expect.poll(() => page.getAttribute('html', 'lang')).toBe(want)
}

/** Waits for the layout to finish and answers the number of nodes drawn. */
async function ready(n: number) {
  await page.waitForSelector(`[data-testid=graph-canvas][data-ready="${n}"]`)
}

/** A node's position on the page (Cytoscape keeps its instance on the container). */
async function nodePoint(id: string) {
  const box = (await page.locator('[data-testid=graph-canvas]').boundingBox())!
  const pos = await page.evaluate((nodeId) => {
    const el = document.querySelector('[data-testid=graph-canvas]') as HTMLElement & { _cyreg: { cy: { $id(id: string): { renderedPosition(): { x: number; y: number } } } } }
    return el._cyreg.cy.$id(nodeId).renderedPosition()
  }, id)
  return { x: box.x + pos.x, y: box.y + pos.y }
}

beforeAll(async () => {
  env = await startSignedIn('graph')
  page = env.page
  base = env.server.base
  for (const [name, values] of [['Op Northwind', NORTHWIND], ['Op Ember', EMBER]] as const) {
    for (const value of values) {
      const res = await env.api.post('/api/v1/iocs', { value, campaign: name, confirm: true })
      expect(res.status, res.text).toBe(201)
      ids[value] = res.json.ioc.id
      camp[name] = res.json.ioc.campaign.id
    }
  }
  const y = await env.api.post('/api/v1/yara', { filename: 'northwind.yar', content: RULE, campaignId: camp['Op Northwind'] })
  expect(y.status, y.text).toBe(201)
  ids.yara = y.json.rule.id
})

afterAll(() => env?.close())

describe('Campaign Graph screen', () => {
  it('draws campaigns, IOCs coloured by type with flags on IPs and a YARA rule, in English and Hebrew, light and dark', async () => {
    for (const [lang, themeName] of [['en', 'light'], ['en', 'dark'], ['he', 'light'], ['he', 'dark']] as const) {
      await setLang(lang)
      await setTheme(themeName)
      await page.goto(base + '/graph')
      await ready(10)
      await page.waitForTimeout(300)
      const counts = await page.textContent('[data-testid=graph-counts]')
      expect(counts).toContain(lang === 'en' ? '10 nodes, 8 links' : '10 צמתים, 8 קשרים')
      expect(await page.textContent('[data-testid=graph-legend]')).toContain(lang === 'en' ? 'YARA rule' : 'חוק YARA')
      await page.screenshot({ path: path.join(SHOTS, `graph-${lang}-${themeName}.png`), fullPage: true })
    }
    const flags = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=graph-canvas]') as HTMLElement & { _cyreg: { cy: { nodes(s: string): { map<T>(f: (n: { data(k: string): string }) => T): T[] } } } }
      return el._cyreg.cy.nodes('.flagged').map((n) => n.data('flag'))
    })
    expect(flags).toHaveLength(2)
    for (const f of flags) expect(f).toMatch(/^\/assets\/(us|nl)-.*\.svg$/)
    await setLang('en')
    await setTheme('light')
  })

  it('opens the IOC detail when an IOC node is clicked', async () => {
    await page.goto(base + '/graph')
    await ready(10)
    const p = await nodePoint(`i${ids['8.8.8.8']}`)
    await page.mouse.click(p.x, p.y)
    const drawer = page.locator('.drawer, [role=dialog]').first()
    await drawer.waitFor()
    await expect.poll(() => drawer.textContent()).toContain('8.8.8.8')
    await page.screenshot({ path: path.join(SHOTS, 'graph-ioc-drawer.png') })
    await page.keyboard.press('Escape')
  })

  it('exports the filtered graph as CSV and as a PNG image', async () => {
    await page.goto(base + `/graph?campaign=${camp['Op Ember']}`)
    await ready(3)
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=graph-export-csv]')])
    expect(csv.suggestedFilename()).toBe('campaign-graph.csv')
    const rows = readFileSync((await csv.path())!, 'utf8').trim().split('\r\n')
    expect(rows).toEqual([
      'kind,id,value,type,country,status,campaign_id,campaign',
      `campaign,${camp['Op Ember']},Op Ember,,,,${camp['Op Ember']},Op Ember`,
      `ioc,${ids['193.0.0.1']},193.0.0.1,ip,NL,active,${camp['Op Ember']},Op Ember`,
      `ioc,${ids['ember-c2.net']},ember-c2.net,domain,,active,${camp['Op Ember']},Op Ember`,
    ])
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=graph-export-png]')])
    expect(png.suggestedFilename()).toBe('campaign-graph.png')
    const bytes = readFileSync((await png.path())!)
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    // IHDR: a real image of some size, not an empty canvas.
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(50)
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(50)
  })

  it('filters by type and search, and opens pre-filtered from a campaign page', async () => {
    await page.goto(base + '/graph')
    await ready(10)
    await page.fill('[data-testid=graph-search]', 'ember')
    await ready(3)
    await page.goto(base + '/graph?type=ip')
    await ready(4)
    await page.goto(base + `/campaigns/${camp['Op Northwind']}`)
    await page.click('[data-testid=campaign-graph]')
    await page.waitForURL((u) => u.pathname === '/graph' && u.search === `?campaign=${camp['Op Northwind']}`)
    await ready(7)
    const p = await nodePoint(`y${ids.yara}`)
    await page.mouse.click(p.x, p.y)
    await page.waitForURL((u) => u.pathname === `/yara/${ids.yara}`)
  })
})
