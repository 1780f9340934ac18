import { createEffect, createMemo, For, Show } from 'solid-js'
import type { YaraDiagnostic } from '../api/client'
import { t } from '../i18n'
import { highlightYaraLines } from '../lib/yara-highlight'
import { diagnosticText, position } from './YaraBits'

/**
 * Highlighted YARA source with line numbers; lines with findings carry a gutter marker and the
 * findings right under them. `focus` scrolls a line into view (a click on a finding).
 */
export function YaraCode(props: { content: string; diagnostics: YaraDiagnostic[]; focus?: { line: number }; testId?: string }) {
  // A final newline ends the last line; it does not start an empty one.
  const lines = createMemo(() => highlightYaraLines(props.content.replace(/\r?\n$/, '')))
  const byLine = createMemo(() => {
    const map = new Map<number, YaraDiagnostic[]>()
    const last = lines().length
    for (const d of props.diagnostics) {
      if (d.line === null) continue
      // A report past the end (an unclosed rule) belongs to the last line.
      const line = Math.min(d.line, last)
      map.set(line, [...(map.get(line) ?? []), d])
    }
    return map
  })
  let box: HTMLDivElement | undefined
  createEffect(() => {
    const focus = props.focus
    if (!focus || !box) return
    const row = box.querySelector<HTMLElement>(`[data-line="${Math.min(focus.line, lines().length)}"]`)
    if (!row) return
    box.scrollTop = row.offsetTop - box.clientHeight / 3
    row.classList.remove('flash')
    void row.offsetWidth
    row.classList.add('flash')
  })
  return (
    <div class="yara-code" dir="ltr" ref={box} data-testid={props.testId ?? 'yara-code'} role="region" aria-label={t('yara.preview')} tabindex="0">
      <table>
        <tbody>
          <For each={lines()}>
            {(html, i) => {
              const n = i() + 1
              const found = () => byLine().get(n) ?? []
              const worst = () => (found().some((d) => d.severity === 'error') ? 'error' : found().length ? 'warning' : '')
              return (
                <>
                  <tr class="yara-line" classList={{ [`has-${worst()}`]: !!worst() }} data-line={n} data-testid={worst() ? `yara-line-${worst()}` : undefined}>
                    <td class="yara-gutter">
                      <Show when={worst()}>
                        <span class={`yara-marker yara-marker-${worst()}`} aria-label={worst() === 'error' ? t('yara.error') : t('yara.warning')} />
                      </Show>
                      <span class="yara-lineno">{n}</span>
                    </td>
                    <td class="yara-src">
                      <code innerHTML={html || ' '} />
                    </td>
                  </tr>
                  <For each={found()}>
                    {(d) => (
                      <tr class={`yara-note yara-note-${d.severity}`} data-testid="yara-line-note" data-line={n}>
                        <td class="yara-gutter" />
                        <td>
                          <span class="yara-note-at">{position(d)}</span> <span class="yara-diag-code">{d.code}</span>{' '}
                          <span dir={d.source === 'compiler' ? 'ltr' : 'auto'}>{diagnosticText(d)}</span>
                        </td>
                      </tr>
                    )}
                  </For>
                </>
              )
            }}
          </For>
        </tbody>
      </table>
    </div>
  )
}
