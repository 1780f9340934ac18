import { AdminOnly, PageHeader } from '../components/PageHeader'
import { IconShield } from '../components/Icons'
import { TlsSettingsCard } from '../components/TlsSettings'
import { user } from '../data/session'
import { t } from '../i18n'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

// A page of its own for now; the unified Admin > Settings screen mounts the same card.
export default function TlsPage() {
  usePageTitle(() => t('tls.title'))
  return (
    <div class="page">
      <PageHeader icon={IconShield} title={t('tls.title')} subtitle={t('tls.pageSubtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('tls.adminOnly')}>
        <TlsSettingsCard />
      </AdminOnly>
    </div>
  )
}
