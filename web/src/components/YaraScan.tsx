import { A } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import { YARA_SAMPLE_MAX_BYTES } from '../../../schema/contracts/yara'
import type { YaraScanResult } from '../api/client'
import { scanYara } from '../data/yara'
import { t } from '../i18n'
import { formatBytes, isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { yaraErrorMessage } from '../lib/yara-errors'
import { FormError } from './FormError'
import { IconUpload } from './Icons'
import { Select } from './Select'
import { TableHead } from './TableParts'
import { IconScan } from './YaraBits'

/**
 * Test scan: a sample goes to the server once, is scanned with YARA-X and dropped (never
 * stored); the answer lists the rules that match and where. `ids` limits it to some files.
 */
export function YaraScanCard(props: { ids?: number[]; title?: string }) {
  const [file, setFile] = createSignal<File>()
  const [scope, setScope] = createSignal<'library' | 'approved'>('library')
  const [result, setResult] = createSignal<YaraScanResult>()
  const { busy, error, setError, run } = useAction(() => setResult(undefined))

  const choose = (f: File | undefined) => {
    setResult(undefined)
    setError(undefined)
    setFile(f)
  }

  const scan = (event: SubmitEvent) => {
    event.preventDefault()
    const sample = file()
    if (!sample) return
    void run(async () => {
      setResult(await scanYara(sample, scope(), props.ids))
    })
  }

  const tooBig = () => (file()?.size ?? 0) > YARA_SAMPLE_MAX_BYTES

  return (
    <section class="card glass" aria-labelledby="yara-scan-title" data-testid="yara-scan">
      <h2 id="yara-scan-title" class="with-icon">
        <IconScan size={20} />
        {props.title ?? t('yara.scan.title')}
      </h2>
      <p class="muted">{t('yara.scan.intro', { max: isolate(formatBytes(YARA_SAMPLE_MAX_BYTES)) })}</p>
      <form class="yara-scan-form" onSubmit={scan}>
        <label class="btn btn-secondary btn-sm file-button">
          <IconUpload size={16} />
          {t('yara.scan.choose')}
          <input type="file" class="visually-hidden" data-testid="yara-scan-file" onChange={(e) => choose(e.currentTarget.files?.[0])} />
        </label>
        <span class="muted small" dir="auto" data-testid="yara-scan-name">
          {file() ? `${file()!.name} · ${formatBytes(file()!.size)}` : t('yara.scan.none')}
        </span>
        <Show when={!props.ids}>
          <Select
            id="yara-scan-scope"
            testId="yara-scan-scope"
            label={t('yara.scan.scope')}
            value={scope()}
            onValue={(v) => setScope(v as 'library' | 'approved')}
            options={[
              ['library', t('yara.scan.scopes.library')],
              ['approved', t('yara.scan.scopes.approved')],
            ]}
          />
        </Show>
        <button type="submit" class="btn btn-primary" data-testid="yara-scan-run" disabled={!file() || tooBig() || busy()}>
          {busy() ? t('yara.scan.scanning') : t('yara.scan.run')}
        </button>
      </form>
      <FormError message={tooBig() ? t('yara.scan.tooLarge', { max: isolate(formatBytes(YARA_SAMPLE_MAX_BYTES)) }) : error() ? yaraErrorMessage(error()) : undefined} testId="yara-scan-error" />
      <Show when={result()}>
        {(r) => (
          <div class="yara-scan-result" data-testid="yara-scan-result" aria-live="polite">
            <p>
              {r().matches.length
                ? t('yara.scan.matched', { n: r().matches.length, files: r().files })
                : t('yara.scan.noMatch', { files: r().files })}{' '}
              <span class="muted small" dir="ltr">sha256 {r().sample.sha256.slice(0, 16)}…</span>
            </p>
            <Show when={r().skipped.length}>
              <p class="field-hint">{t('yara.scan.skipped', { files: r().skipped.map((s) => s.filename).join(', ') })}</p>
            </Show>
            <Show when={r().matches.length}>
              <div class="table-wrap">
                <table class="table">
                  <TableHead columns={[t('yara.fields.filename'), t('yara.scan.rule'), t('yara.scan.strings')]} />
                  <tbody>
                    <For each={r().matches}>
                      {(m) => (
                        <tr data-testid="yara-scan-match" data-rule={m.rule}>
                          <td>
                            <A href={`/yara/${m.ruleId}`} dir="ltr">{m.filename}</A>
                          </td>
                          <td dir="ltr">{m.rule}</td>
                          <td dir="ltr" class="small">
                            {m.strings.length ? m.strings.map((s) => `${s.id} ×${s.count} @${s.offsets.slice(0, 3).map((o) => `0x${o.toString(16)}`).join(',')}`).join('  ') : t('yara.scan.conditionOnly')}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          </div>
        )}
      </Show>
    </section>
  )
}
