import { useNavigate, useSearchParams } from '@solidjs/router'
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape'
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js'
import { campaignGraph, graphExportUrl, type CampaignGraph, type GraphFilters } from '../api/client'
import { flagUrl } from '../components/Flag'
import { FormError } from '../components/FormError'
import { GRAPH_COLORS, IconGraph } from '../components/GraphParts'
import { IconDownload, IconImage, IconRefresh } from '../components/Icons'
import { IocDrawer } from '../components/IocDrawer'
import { Loading } from '../components/Loading'
import { PageHeader } from '../components/PageHeader'
import { useCampaigns } from '../data/campaigns'
import { intlLocale, t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { theme } from '../lib/theme'
import { usePageTitle } from '../lib/title'
import '../styles/graph.css'

const TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'yara'] as const
/** Above this many nodes the force layout (cose) is too slow for a browser: concentric rings instead. */
const COSE_MAX = 400
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? ''
const splitList = (v: string) => v.split(',').filter(Boolean)
const num = (n: number) => new Intl.NumberFormat(intlLocale()).format(n)
// The mark keeps the ellipsis after the text when the canvas lays out right-to-left.
const short = (s: string) => (s.length > 32 ? `${s.slice(0, 31)}…\u200E` : s)
const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()

function elements(g: CampaignGraph): ElementDefinition[] {
  const out: ElementDefinition[] = []
  for (const n of g.nodes) {
    const flag = n.kind === 'ioc' && n.country ? flagUrl(n.country) : undefined
    out.push({
      group: 'nodes',
      data: { id: n.id, label: short(n.label), kind: n.kind, color: GRAPH_COLORS[n.kind === 'campaign' ? 'campaign' : n.type], ...(flag ? { flag } : {}) },
      classes: [n.kind, flag ? 'flagged' : '', n.kind !== 'campaign' && n.status !== 'active' && n.status !== 'approved' ? 'inactive' : ''].join(' '),
    })
  }
  for (const e of g.edges) out.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target } })
  return out
}

function styles(): cytoscape.StylesheetJson {
  const text = cssVar('--text') || '#0f172a'
  const outline = cssVar('--bg') || '#ffffff'
  const edge = theme() === 'dark' ? 'rgba(148, 163, 184, 0.45)' : 'rgba(71, 85, 105, 0.35)'
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        label: 'data(label)',
        color: text,
        'font-size': 9,
        'font-family': cssVar('--font') || 'sans-serif',
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-outline-color': outline,
        'text-outline-width': 2,
        'min-zoomed-font-size': 7,
        width: 16,
        height: 16,
      },
    },
    {
      selector: 'node.campaign',
      style: { shape: 'round-rectangle', width: 34, height: 34, 'font-size': 12, 'font-weight': 'bold', 'border-width': 3, 'border-color': outline },
    },
    { selector: 'node.yara', style: { shape: 'diamond', width: 20, height: 20 } },
    {
      selector: 'node.flagged',
      style: { 'background-image': 'data(flag)', 'background-fit': 'cover', 'border-width': 3, 'border-color': 'data(color)', width: 22, height: 17, shape: 'rectangle' },
    },
    { selector: 'node.inactive', style: { opacity: 0.45 } },
    { selector: 'node:selected', style: { 'overlay-color': GRAPH_COLORS.campaign, 'overlay-opacity': 0.25, 'overlay-padding': 5 } },
    { selector: 'edge', style: { width: 1, 'line-color': edge, 'curve-style': 'haystack' } },
  ]
}

export default function GraphPage() {
  usePageTitle(() => t('graph.title'))
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const campaigns = useCampaigns()
  const filters = createMemo<GraphFilters>(
    () => ({
      campaign: first(params.campaign) || undefined,
      type: first(params.type) || undefined,
      active: first(params.active) === '1' ? '1' : undefined,
      q: first(params.q).trim() || undefined,
    }),
    {},
    { equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  )
  const [graph, { refetch }] = createResource(filters, (f) => campaignGraph(f))
  const [openIoc, setOpenIoc] = createSignal<number>()
  const [search, setSearch] = createSignal(first(params.q))
  let searchTimer: ReturnType<typeof setTimeout> | undefined
  let box: HTMLDivElement | undefined
  let cy: Core | undefined

  const selectedTypes = () => splitList(filters().type ?? '')
  const selectedCampaigns = () => splitList(filters().campaign ?? '')
  const toggleType = (type: string) => {
    const cur = selectedTypes()
    const next = cur.includes(type) ? cur.filter((x) => x !== type) : [...cur, type]
    setParams({ type: next.length && next.length < TYPES.length ? TYPES.filter((x) => next.includes(x)).join(',') : undefined })
  }
  const onSearch = (value: string) => {
    setSearch(value)
    clearTimeout(searchTimer)
    searchTimer = setTimeout(() => setParams({ q: value.trim() || undefined }), 300)
  }

  // One Cytoscape instance per graph answer; the layout depends on its size.
  createEffect(
    on(graph, (g) => {
      if (!g || !box) return
      cy?.destroy()
      const big = g.nodes.length > COSE_MAX
      delete box.dataset.ready
      cy = cytoscape({
        container: box,
        elements: elements(g),
        style: styles(),
        wheelSensitivity: 0.3,
        textureOnViewport: big,
        hideEdgesOnViewport: big,
        minZoom: 0.05,
        maxZoom: 4,
      })
      const layout = cy.layout(
        big
          ? { name: 'concentric', concentric: (n) => (n.hasClass('campaign') ? 2 : 1), levelWidth: () => 1, minNodeSpacing: 6, animate: false }
          : { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 6000, idealEdgeLength: () => 50, numIter: 600 },
      )
      // Tests and screenshots wait for this: the nodes have their final positions.
      layout.one('layoutstop', () => box && (box.dataset.ready = String(g.nodes.length)))
      layout.run()
      cy.on('tap', 'node', (evt) => {
        const id: string = evt.target.id()
        const n = Number(id.slice(1))
        if (id.startsWith('i')) setOpenIoc(n)
        else if (id.startsWith('y')) navigate(`/yara/${n}`)
        else navigate(`/campaigns/${n}`)
      })
    }),
  )
  // After the theme's CSS variables apply (an effect elsewhere sets data-theme).
  createEffect(on(theme, () => requestAnimationFrame(() => cy?.style(styles())), { defer: true }))
  onCleanup(() => {
    cy?.destroy()
    clearTimeout(searchTimer)
  })

  const exportPng = () => {
    if (!cy) return
    const blob = cy.png({ output: 'blob', full: true, scale: cy.nodes().length > COSE_MAX ? 1 : 2, bg: cssVar('--bg') || '#ffffff', maxWidth: 8000, maxHeight: 8000 })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = 'campaign-graph.png'
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  return (
    <div class="page page-wide graph-page">
      <PageHeader icon={IconGraph} title={t('graph.title')} subtitle={t('graph.subtitle')} />
      <section class="card glass graph-filters" aria-label={t('graph.filters')}>
        <div class="field graph-campaigns">
          <label for="graph-campaigns">{t('graph.campaigns')}</label>
          <select
            id="graph-campaigns"
            multiple
            size={4}
            data-testid="graph-campaigns"
            onChange={(e) => {
              const ids = [...e.currentTarget.selectedOptions].map((o) => o.value).filter(Boolean)
              setParams({ campaign: ids.length ? ids.join(',') : undefined })
            }}
          >
            <For each={campaigns.list() ?? []}>
              {(c) => (
                <option value={String(c.id)} selected={selectedCampaigns().includes(String(c.id))}>
                  {c.name}
                </option>
              )}
            </For>
          </select>
          <span class="muted small">{selectedCampaigns().length ? '' : t('graph.allCampaigns')}</span>
        </div>
        <fieldset class="graph-types">
          <legend>{t('graph.types')}</legend>
          <div class="graph-legend" data-testid="graph-legend">
            <span class="legend-item">
              <span class="swatch swatch-campaign" style={{ background: GRAPH_COLORS.campaign }} aria-hidden="true" />
              {t('graph.campaign')}
            </span>
            <For each={TYPES}>
              {(type) => (
                <label class="legend-item legend-toggle">
                  <input
                    type="checkbox"
                    checked={!selectedTypes().length || selectedTypes().includes(type)}
                    onChange={() => toggleType(type)}
                    data-testid={`graph-type-${type}`}
                  />
                  <span class={`swatch swatch-${type}`} style={{ background: GRAPH_COLORS[type] }} aria-hidden="true" />
                  {type === 'yara' ? t('graph.yara') : t(`iocTypesShort.${type}`)}
                </label>
              )}
            </For>
          </div>
        </fieldset>
        <div class="graph-side">
          <div class="field">
            <label for="graph-search">{t('graph.search')}</label>
            <input id="graph-search" type="search" value={search()} placeholder={t('graph.searchPlaceholder')} onInput={(e) => onSearch(e.currentTarget.value)} data-testid="graph-search" />
          </div>
          <label class="check">
            <input type="checkbox" checked={filters().active === '1'} onChange={(e) => setParams({ active: e.currentTarget.checked ? '1' : undefined })} data-testid="graph-active" />
            {t('graph.activeOnly')}
          </label>
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => { setSearch(''); setParams({ campaign: undefined, type: undefined, active: undefined, q: undefined }) }}>
            {t('graph.clear')}
          </button>
        </div>
      </section>
      <FormError message={graph.error ? errorMessage(graph.error) : undefined} />
      <section class="card glass graph-card">
        <div class="graph-toolbar">
          <span class="muted small" data-testid="graph-counts" aria-live="polite">
            <Show when={graph()} fallback={graph.loading ? <Loading /> : null}>
              {(g) => t('graph.counts', { nodes: num(g().nodes.length), edges: num(g().edges.length) })}
            </Show>
          </span>
          <div class="button-row">
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => cy?.fit(undefined, 30)}>
              <IconRefresh size={16} />
              {t('graph.fit')}
            </button>
            <a class="btn btn-secondary btn-sm" href={graphExportUrl(filters())} download="campaign-graph.csv" rel="external" data-testid="graph-export-csv">
              <IconDownload size={16} />
              {t('graph.exportCsv')}
            </a>
            <button type="button" class="btn btn-secondary btn-sm" onClick={exportPng} disabled={!graph()?.nodes.length} data-testid="graph-export-png">
              <IconImage size={16} />
              {t('graph.exportPng')}
            </button>
          </div>
        </div>
        <Show when={graph()?.truncated}>
          <p class="graph-truncated" role="status" data-testid="graph-truncated">
            {t('graph.truncated', { shown: num(graph()!.nodes.length), matched: num(graph()!.matched), limit: num(graph()!.limit) })}
          </p>
        </Show>
        <Show when={graph() && !graph()!.nodes.length}>
          <p class="empty-state">{t('graph.empty')}</p>
        </Show>
        <div class="graph-canvas" ref={box} role="img" aria-label={t('graph.canvasLabel')} data-testid="graph-canvas" dir="ltr" />
      </section>
      <Show when={openIoc()} keyed>
        {(id) => <IocDrawer id={id} onClose={() => setOpenIoc(undefined)} onChanged={() => void refetch()} />}
      </Show>
    </div>
  )
}
