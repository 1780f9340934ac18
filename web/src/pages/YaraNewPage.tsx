import { A, useNavigate } from '@solidjs/router'
import { Show } from 'solid-js'
import { IconArrowStart } from '../components/Icons'
import { PageHeader } from '../components/PageHeader'
import { IconCode } from '../components/YaraBits'
import { YaraEditor } from '../components/YaraEditor'
import { useCampaigns } from '../data/campaigns'
import { user } from '../data/session'
import { t } from '../i18n'
import { canWrite } from '../lib/permissions'
import { usePageTitle } from '../lib/title'
import '../styles/yara.css'

/** Upload or paste new rules; they are compiled on submit and wait for review. */
export default function YaraNewPage() {
  usePageTitle(() => t('yara.newTitle'))
  const navigate = useNavigate()
  const campaigns = useCampaigns()
  return (
    <div class="page page-wide">
      <A href="/yara" class="back-link">
        <IconArrowStart size={16} />
        {t('yara.back')}
      </A>
      <PageHeader icon={IconCode} title={t('yara.newTitle')} subtitle={t('yara.newSubtitle')} />
      <Show when={canWrite(user())} fallback={<div class="alert alert-error" role="alert">{t('yara.readOnly')}</div>}>
        <section class="card glass">
          <YaraEditor campaigns={campaigns.list() ?? []} onSaved={(rule) => navigate(`/yara/${rule.id}?created=1`)} />
        </section>
      </Show>
    </div>
  )
}
