import { A } from '@solidjs/router'
import { createSignal, For, Show } from 'solid-js'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconFlag, IconPlus } from '../components/Icons'
import { When } from '../components/IocBits'
import { PageHeader } from '../components/PageHeader'
import { ResourceList } from '../components/ResourceList'
import { TableHead } from '../components/TableParts'
import { TextArea } from '../components/TextArea'
import { createCampaign, useCampaigns } from '../data/campaigns'
import { user } from '../data/session'
import { t } from '../i18n'
import { formErrors } from '../i18n/errors'
import { useAction } from '../lib/action'
import { canWrite } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

export default function CampaignsPage() {
  usePageTitle(() => t('campaigns.title'))
  const campaigns = useCampaigns()
  return (
    <div class="page page-wide">
      <PageHeader icon={IconFlag} title={t('campaigns.title')} subtitle={t('campaigns.subtitle')} />
      <div class="campaigns-grid" classList={{ single: !canWrite(user()) }}>
        <section class="card glass" aria-labelledby="campaign-list-title">
          <h2 id="campaign-list-title">{t('campaigns.list')}</h2>
          <ResourceList resource={campaigns.list} empty={t('campaigns.empty')}>
            {(items) => (
              <div class="table-wrap">
                <table class="table" data-testid="campaign-table">
                  <TableHead
                    columns={[t('campaigns.name'), t('campaigns.iocs'), t('campaigns.createdAt')]}
                  />
                  <tbody>
                    <For each={items()}>
                      {(c) => (
                        <tr data-testid="campaign-row" data-id={c.id}>
                          <td>
                            <A href={`/campaigns/${c.id}`} class="strong-link">
                              {c.name}
                            </A>
                            <Show when={c.description}>
                              <p class="muted clamp-2" dir="auto">{c.description}</p>
                            </Show>
                          </td>
                          <td class="nowrap" data-testid="campaign-count">
                            {t('campaigns.counts', { active: c.activeCount, total: c.iocCount })}
                          </td>
                          <td class="nowrap">
                            <When at={c.createdAt} />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            )}
          </ResourceList>
        </section>
        <Show when={canWrite(user())}>
          <CreateCampaign onCreated={() => void campaigns.refetch()} />
        </Show>
      </div>
    </div>
  )
}

function CreateCampaign(props: { onCreated: () => void }) {
  const [name, setName] = createSignal('')
  const [description, setDescription] = createSignal('')
  const [done, setDone] = createSignal(false)
  const { busy, error, run } = useAction(() => setDone(false))
  const errors = () => (error() === undefined ? undefined : formErrors(error(), ['name', 'description']))

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    void run(async () => {
      const input = { name: name().trim(), ...(description().trim() ? { description: description() } : {}) }
      await createCampaign(input)
      setName('')
      setDescription('')
      setDone(true)
      props.onCreated()
    })
  }

  return (
    <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="new-campaign-title">
      <h2 id="new-campaign-title">{t('campaigns.newTitle')}</h2>
      <SuccessNote message={done() ? t('campaigns.created') : undefined} />
      <FormError message={errors()?.form} />
      <Field
        id="campaign-name"
        data-testid="campaign-name"
        label={t('campaigns.name')}
        value={name()}
        onValue={setName}
        error={errors()?.fields.name}
        maxLength={100}
        required
        autocomplete="off"
      />
      <TextArea
        id="campaign-description"
        data-testid="campaign-description"
        label={t('campaigns.description')}
        rows={4}
        maxLength={5000}
        value={description()}
        onValue={setDescription}
        error={errors()?.fields.description}
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="campaign-create" disabled={busy() || !name().trim()}>
          <IconPlus size={18} />
          {busy() ? t('campaigns.creating') : t('campaigns.create')}
        </button>
      </div>
    </form>
  )
}
