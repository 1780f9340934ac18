import { createResource, For, Show } from 'solid-js'
import { appliesTo, playbookHref } from '../../../functions/domain/playbook'
import type { Ioc } from '../api/client'
import { listPlaybook } from '../data/pulse'
import { t } from '../i18n'
import { IconBook, IconExternal } from './PulseBits'
import '../styles/pulse.css'

/**
 * The Hunter's Playbook links that apply to this IOC's type, the value URL-encoded into each
 * template. Built as DOM attributes (never innerHTML); a template that is not safe http(s) is left out.
 */
export function PlaybookLinks(props: { ioc: Pick<Ioc, 'type' | 'value'> }) {
  const [list] = createResource(async () => (await listPlaybook()).items)
  const links = () =>
    (list() ?? [])
      .filter((l) => l.type === 'site' && appliesTo(l.iocTypes, props.ioc.type))
      .map((l) => ({ id: l.id, name: l.name, essential: l.essential, href: playbookHref(l.url, props.ioc.type, props.ioc.value) }))
      .filter((l): l is typeof l & { href: string } => l.href !== null)
  return (
    <Show when={list()}>
      <section class="drawer-section" aria-labelledby="playbook-title" data-testid="ioc-playbook">
        <h3 id="playbook-title" class="card-title">
          <IconBook size={18} />
          {t('playbook.onIoc')}
        </h3>
        <Show when={links().length} fallback={<p class="muted small">{t('playbook.onIocEmpty')}</p>}>
          <div class="playbook-links">
            <For each={links()}>
              {(l) => (
                <a class={`btn btn-sm ${l.essential ? 'btn-primary' : 'btn-secondary'}`} href={l.href} target="_blank" rel="noopener noreferrer" data-testid="playbook-link">
                  <span dir="auto">{l.name}</span>
                  <IconExternal size={14} />
                  <span class="visually-hidden">{t('playbook.opensNewTab')}</span>
                </a>
              )}
            </For>
          </div>
        </Show>
      </section>
    </Show>
  )
}
