import { For, Show } from 'solid-js'
import type { YaraDiagnostic, YaraListItem } from '../api/client'
import { t, tryT } from '../i18n'
import { isolate } from '../i18n/format'
import { Icon, type IconProps } from './Icons'

/** Curly braces around a line: the YARA Manager's icon. */
export const IconCode = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 4.5H7a2 2 0 0 0-2 2v3a2.5 2.5 0 0 1-2 2.5 2.5 2.5 0 0 1 2 2.5v3a2 2 0 0 0 2 2h1" />
    <path d="M16 4.5h1a2 2 0 0 1 2 2v3a2.5 2.5 0 0 0 2 2.5 2.5 2.5 0 0 0-2 2.5v3a2 2 0 0 1-2 2h-1" />
    <path d="M9.5 12h5" />
  </Icon>
)

/** A magnifier over a page: the test scan. */
export const IconScan = (p: IconProps) => (
  <Icon {...p}>
    <path d="M14 3.5H6.5a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2H10" />
    <path d="M14 3.5 18.5 8v2" />
    <circle cx="16" cy="16" r="3.5" />
    <path d="m18.6 18.6 2.4 2.4" />
  </Icon>
)

const TONE: Record<string, string> = { pending: 'badge-warn', approved: 'badge-ok', rejected: 'badge-bad' }

export function YaraStatusBadge(props: { status: YaraListItem['status'] }) {
  return (
    <span class={`badge ${TONE[props.status]}`} data-status={props.status} data-testid="yara-status">
      <span class="dot" aria-hidden="true" />
      {t(`yara.statuses.${props.status}`)}
    </span>
  )
}

/** The quality score out of 50, coloured by band. */
export function QualityBadge(props: { quality: number }) {
  const tone = () => (props.quality >= 40 ? 'badge-ok' : props.quality >= 25 ? 'badge-warn' : 'badge-bad')
  return (
    <span class={`badge ${tone()}`} data-testid="yara-quality" title={t('yara.quality.title')}>
      <span dir="ltr">{t('yara.quality.score', { n: props.quality })}</span>
    </span>
  )
}

/** A finding in the user's language: lint findings are translated, compiler reports stay as YARA-X wrote them. */
export function diagnosticText(d: YaraDiagnostic): string {
  if (d.source === 'lint') {
    const params: Record<string, string | number> = {}
    for (const [k, v] of Object.entries(d.params ?? {})) params[k] = typeof v === 'string' ? isolate(v) : v
    const text = tryT(`yara.lint.${d.code}`, params)
    if (text) return text
  }
  return d.message
}

/** Line and column, as "12:5". */
export const position = (d: YaraDiagnostic) => (d.line === null ? '—' : d.column ? `${d.line}:${d.column}` : String(d.line))

/** Every finding, errors first; clicking one shows its line. */
export function DiagnosticList(props: { items: YaraDiagnostic[]; onJump?: (line: number) => void; testId?: string }) {
  return (
    <Show when={props.items.length} fallback={<p class="muted small">{t('yara.noFindings')}</p>}>
      <ul class="yara-diags" data-testid={props.testId ?? 'yara-diagnostics'}>
        <For each={props.items}>
          {(d) => (
            <li class={`yara-diag yara-diag-${d.severity}`} data-testid="yara-diagnostic" data-line={d.line ?? ''} data-code={d.code}>
              <button type="button" class="yara-diag-at" disabled={d.line === null} onClick={() => d.line !== null && props.onJump?.(d.line)} title={t('yara.showLine')}>
                <span dir="ltr">{position(d)}</span>
              </button>
              <span class="yara-diag-kind">{d.severity === 'error' ? t('yara.error') : t('yara.warning')}</span>
              <span class="yara-diag-code" dir="ltr">{d.code}</span>
              <span class="yara-diag-msg" dir={d.source === 'compiler' ? 'ltr' : 'auto'}>{diagnosticText(d)}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}

/** The score and its breakdown, one bar per criterion. */
export function QualityBreakdown(props: { quality: number; parts: { key: string; points: number; max: number }[] }) {
  return (
    <div class="yara-quality" data-testid="yara-quality-breakdown">
      <div class="yara-quality-total">
        <QualityBadge quality={props.quality} />
        <span class="muted small">{t('yara.quality.base')}</span>
      </div>
      <dl class="yara-quality-parts">
        <For each={props.parts}>
          {(p) => (
            <div class="yara-quality-part" data-key={p.key}>
              <dt title={tryT(`yara.quality.hints.${p.key}`) ?? ''}>{tryT(`yara.quality.parts.${p.key}`) ?? p.key}</dt>
              <dd>
                <span class="yara-bar" aria-hidden="true">
                  <span style={{ width: `${Math.round((100 * p.points) / p.max)}%` }} />
                </span>
                <span class="yara-points" dir="ltr">{`${p.points} / ${p.max}`}</span>
              </dd>
            </div>
          )}
        </For>
      </dl>
    </div>
  )
}
