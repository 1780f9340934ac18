import { createResource, Show } from 'solid-js'
import { Loading } from '../components/Loading'
import { IconMisp } from '../components/MispParts'
import { MispRuns } from '../components/MispRuns'
import { MispSettingsForm } from '../components/MispSettingsForm'
import { MispStatus } from '../components/MispStatus'
import { FormError } from '../components/FormError'
import { AdminOnly, PageHeader } from '../components/PageHeader'
import { mispRuns, mispSettings } from '../data/misp'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage } from '../i18n/errors'
import { isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'
import '../styles/misp.css'

export default function MispPage() {
  usePageTitle(() => t('misp.title'))
  return (
    <div class="page page-wide">
      <PageHeader icon={IconMisp} title={t('misp.title')} subtitle={t('misp.subtitle')} />
      <AdminOnly when={isAdmin(user())} message={t('misp.adminOnly')}>
        <MispAdmin />
      </AdminOnly>
    </div>
  )
}

function MispAdmin() {
  const [view, { mutate, refetch }] = createResource(mispSettings)
  const [runs, { refetch: refetchRuns }] = createResource(async () => (await mispRuns(10)).items)
  const afterPull = () => {
    void refetch()
    void refetchRuns()
  }
  return (
    <>
      <FormError message={view.error ? errorMessage(view.error) : undefined} />
      <Show when={view.latest} fallback={<Show when={!view.error}><Loading /></Show>}>
        {(v) => (
          <div class="misp-layout">
            <MispStatus view={v()} onPulled={afterPull} />
            <MispRuns runs={runs.latest ?? []} />
            <MispSettingsForm view={v()} onSaved={mutate} />
          </div>
        )}
      </Show>
    </>
  )
}
