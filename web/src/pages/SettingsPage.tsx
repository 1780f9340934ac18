import { useLocation, useNavigate } from '@solidjs/router'
import { createResource, For, Match, Show, Switch } from 'solid-js'
import { BackupsCard } from '../components/BackupsSettings'
import { ChampsAdmin } from '../components/ChampsAdmin'
import { DefaultSettingsCard } from '../components/DefaultSettings'
import { FormError } from '../components/FormError'
import { IconSettings } from '../components/SettingsIcon'
import { LdapSettingsCard } from '../components/LdapSettings'
import { Loading } from '../components/Loading'
import { MispSettingsForm } from '../components/MispSettingsForm'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { SyslogSettingsCard } from '../components/SyslogSettings'
import { TlsSettingsCard } from '../components/TlsSettings'
import { WarninglistsCard } from '../components/WarninglistsCard'
import { YaraSettingsCard } from '../components/YaraSettings'
import { champsConfig } from '../data/analytics'
import { mispSettings } from '../data/misp'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'
import '../styles/misp.css'
import '../styles/yara.css'
import '../styles/settings.css'

// One admin screen for every setting, a tab per area (/admin/settings#ldap ...). Each tab mounts
// the card that already edits that area; nothing here duplicates a form.
//
// TLS: the certificate card (TlsSettingsCard, also on /admin/tls) is the `tls` tab.
// Backups: the files in <data>/backups, daily retention, Back up now (BackupsCard).
const TABS = ['auth', 'tls', 'misp', 'audit', 'backups', 'defaults', 'champs'] as const
type Tab = (typeof TABS)[number]

export default function SettingsPage() {
  usePageTitle(() => t('settings.title'))
  return (
    <div class="page page-wide">
      <PageHeader icon={IconSettings} title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('settings.adminOnly')}>
        <SettingsTabs />
      </AdminOnly>
    </div>
  )
}

function SettingsTabs() {
  const location = useLocation()
  const navigate = useNavigate()
  const tab = (): Tab => {
    const h = location.hash.replace(/^#/, '') as Tab
    return TABS.includes(h) ? h : 'auth'
  }
  const select = (next: Tab) => navigate(`/admin/settings#${next}`, { replace: true, scroll: false })
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab())
    const rtl = document.documentElement.dir === 'rtl'
    const step = e.key === 'ArrowRight' ? (rtl ? -1 : 1) : e.key === 'ArrowLeft' ? (rtl ? 1 : -1) : 0
    if (!step) return
    e.preventDefault()
    const next = TABS[(i + step + TABS.length) % TABS.length]
    select(next)
    document.getElementById(`settings-tab-${next}`)?.focus()
  }
  return (
    <>
      <div class="tabs settings-tabs" role="tablist" aria-label={t('settings.tabsLabel')} onKeyDown={onKey}>
        <For each={TABS}>
          {(id) => (
            <button
              type="button"
              role="tab"
              class="tab"
              id={`settings-tab-${id}`}
              data-testid={`settings-tab-${id}`}
              aria-selected={tab() === id}
              aria-controls="settings-panel"
              tabIndex={tab() === id ? 0 : -1}
              onClick={() => select(id)}
            >
              {t(`settings.tabs.${id}`)}
            </button>
          )}
        </For>
      </div>
      <div class="settings-panel" id="settings-panel" role="tabpanel" aria-labelledby={`settings-tab-${tab()}`} data-testid={`settings-panel-${tab()}`}>
        <Switch>
          <Match when={tab() === 'auth'}>
            <LdapSettingsCard />
          </Match>
          <Match when={tab() === 'tls'}>
            <TlsSettingsCard />
          </Match>
          <Match when={tab() === 'misp'}>
            <MispTab />
          </Match>
          <Match when={tab() === 'audit'}>
            <SyslogSettingsCard />
          </Match>
          <Match when={tab() === 'backups'}>
            <BackupsCard />
          </Match>
          <Match when={tab() === 'defaults'}>
            <DefaultSettingsCard />
            <WarninglistsCard />
            <YaraSettingsCard />
          </Match>
          <Match when={tab() === 'champs'}>
            <ChampsTab />
          </Match>
        </Switch>
      </div>
    </>
  )
}

function MispTab() {
  const [view, { mutate }] = createResource(mispSettings)
  return (
    <>
      <FormError message={view.error ? errorMessage(view.error) : undefined} />
      <Show when={view.latest} fallback={<Show when={!view.error}><Loading /></Show>}>
        {(v) => <MispSettingsForm view={v()} onSaved={mutate} />}
      </Show>
    </>
  )
}

function ChampsTab() {
  const [config, { refetch }] = createResource(champsConfig)
  return (
    <>
      <FormError message={config.error ? errorMessage(config.error) : undefined} />
      <Show when={config.latest} fallback={<Show when={!config.error}><Loading /></Show>}>
        {(c) => <ChampsAdmin config={c()} onSaved={() => void refetch()} />}
      </Show>
    </>
  )
}
