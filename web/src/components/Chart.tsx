import { createEffect, onCleanup, onMount } from 'solid-js'
import { locale } from '../i18n'
import { theme } from '../lib/theme'

type ApexOptions = Record<string, unknown>

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()

/** Colours from the active theme, so charts follow light and dark. */
export function chartPalette() {
  void theme()
  return [css('--accent') || '#4f46e5', css('--accent-2') || '#0ea5e9', '#14b8a6', '#f59e0b', '#ec4899', '#8b5cf6', '#ef4444', '#22c55e', '#64748b', '#0891b2']
}

/**
 * An ApexCharts chart (5.0.0, MIT), loaded on first use so pages without charts never download it.
 * Charts draw left to right in both languages (axes, time); labels come translated in `options`.
 */
export function Chart(props: { options: () => ApexOptions; height?: number; label: string; testId?: string }) {
  let el!: HTMLDivElement
  let chart: { render(): Promise<void>; destroy(): void } | undefined
  let disposed = false

  async function draw() {
    const { default: ApexCharts } = await import('apexcharts')
    if (disposed) return
    chart?.destroy()
    const dark = theme() === 'dark'
    const base = props.options()
    const options = {
      ...base,
      chart: {
        fontFamily: css('--font') || 'Rubik, sans-serif',
        foreColor: css('--text-muted') || '#566176',
        background: 'transparent',
        toolbar: { show: false },
        animations: { enabled: false },
        height: props.height ?? 260,
        ...(base.chart as object),
      },
      colors: (base.colors as string[] | undefined) ?? chartPalette(),
      theme: { mode: dark ? 'dark' : 'light' },
      grid: { borderColor: css('--divider') || '#e2e8f0', ...(base.grid as object) },
      tooltip: { theme: dark ? 'dark' : 'light', ...(base.tooltip as object) },
    }
    chart = new ApexCharts(el, options) as typeof chart
    await chart!.render()
  }

  onMount(() => {
    createEffect(() => {
      // Redraw when the data, the theme or the language change.
      props.options()
      theme()
      locale()
      void draw()
    })
  })
  onCleanup(() => {
    disposed = true
    chart?.destroy()
  })
  return <div class="chart" dir="ltr" ref={el} role="img" aria-label={props.label} data-testid={props.testId} />
}
