import { A, useNavigate, useParams } from '@solidjs/router'
import { createEffect, createResource, createSignal, on, Show } from 'solid-js'
import type { Campaign } from '../api/client'
import { ConfirmBar } from '../components/ConfirmBar'
import { Field } from '../components/Field'
import { FormError, SuccessNote } from '../components/FormError'
import { IconArrowStart, IconDownload, IconFlag, IconLinkOff, IconSearch, IconTrash } from '../components/Icons'
import { IconGraph } from '../components/GraphParts'
import { IocDrawer } from '../components/IocDrawer'
import { IocTable, LoadMore } from '../components/IocTable'
import { TextArea } from '../components/TextArea'
import { campaignExportUrl, deleteCampaign, getCampaign, patchCampaign, unlinkCampaignIoc } from '../data/campaigns'
import { useIocList } from '../data/iocs'
import { user } from '../data/session'
import { t } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { isolate } from '../i18n/format'
import { useAction } from '../lib/action'
import { canWrite, isAdmin } from '../lib/permissions'
import { usePageTitle } from '../lib/title'

export default function CampaignPage() {
  const params = useParams()
  const navigate = useNavigate()
  const id = () => Number(params.id)
  const [campaign, { mutate, refetch }] = createResource(id, async (key) => (await getCampaign(key)).campaign)
  usePageTitle(() => campaign()?.name ?? t('campaigns.title'))
  const list = useIocList(() => ({ campaign: String(id()), status: 'live', sort: 'newest' }))
  const [openId, setOpenId] = createSignal<number>()
  const [flash, setFlash] = createSignal<string>()
  const [confirmDelete, setConfirmDelete] = createSignal(false)
  const { busy, error, setError, run } = useAction()

  const unlink = async (iocId: number) => {
    setError(undefined)
    setFlash(undefined)
    try {
      await unlinkCampaignIoc(id(), iocId)
      list.remove(iocId)
      setFlash(t('campaigns.unlinked'))
      void refetch()
    } catch (err) {
      setError(err)
    }
  }

  const remove = () =>
    run(async () => {
      await deleteCampaign(id())
      navigate('/campaigns', { replace: true })
    })

  return (
    <div class="page page-wide">
      <A href="/campaigns" class="back-link">
        <IconArrowStart size={16} />
        {t('campaigns.back')}
      </A>
      <Show when={campaign.error}>
        <FormError message={campaign.error?.status === 404 ? t('campaigns.notFound') : errorMessage(campaign.error)} />
      </Show>
      <Show when={!campaign.error && campaign()}>
          {(c) => (
            <>
              <header class="page-header">
                <span class="page-icon" aria-hidden="true">
                  <IconFlag size={22} />
                </span>
                <div class="grow">
                  <h1 data-testid="campaign-title">{c().name}</h1>
                  <p class="muted">{t('campaigns.counts', { active: c().activeCount, total: c().iocCount })}</p>
                </div>
                <div class="button-row header-actions">
                  <a class="btn btn-secondary btn-sm" href={campaignExportUrl(c().id)} download="" rel="external" data-testid="campaign-export">
                    <IconDownload size={16} />
                    {t('campaigns.export')}
                  </a>
                  <A class="btn btn-secondary btn-sm" href={`/search?campaign=${c().id}`}>
                    <IconSearch size={16} />
                    {t('campaigns.openInSearch')}
                  </A>
                  <A class="btn btn-secondary btn-sm" href={`/graph?campaign=${c().id}`} data-testid="campaign-graph">
                    <IconGraph size={16} />
                    {t('graph.openGraph')}
                  </A>
                  <Show when={isAdmin(user())}>
                    <button type="button" class="btn btn-danger btn-sm" data-testid="campaign-delete" onClick={() => setConfirmDelete(true)}>
                      <IconTrash size={16} />
                      {t('campaigns.delete')}
                    </button>
                  </Show>
                </div>
              </header>
              <Show when={confirmDelete()}>
                <ConfirmBar
                  message={t('campaigns.deleteConfirm', { name: isolate(c().name) })}
                  confirmLabel={t('campaigns.confirmDelete')}
                  cancelLabel={t('campaigns.cancel')}
                  testId="campaign-confirm-delete"
                  busy={busy()}
                  onConfirm={() => void remove()}
                  onCancel={() => setConfirmDelete(false)}
                />
              </Show>
              <SuccessNote message={flash()} />
              <FormError message={error() ? errorMessage(error()) : undefined} />
              <CampaignDetails campaign={c()} onSaved={(next) => { mutate(next); setFlash(t('campaigns.saved')) }} />
              <section class="card glass results-card" aria-labelledby="campaign-iocs-title">
                <h2 id="campaign-iocs-title">{t('campaigns.iocs')}</h2>
                <FormError message={list.error() ? errorMessage(list.error()) : undefined} />
                <Show when={list.items().length}>
                  <IocTable
                    items={list.items()}
                    hideCampaign
                    selected={openId()}
                    onOpen={(ioc) => setOpenId(ioc.id)}
                    action={
                      canWrite(user())
                        ? (ioc) => (
                            <button
                              type="button"
                              class="btn btn-ghost btn-sm"
                              data-testid="unlink-button"
                              aria-label={t('campaigns.unlinkLabel', { value: ioc.value })}
                              onClick={() => void unlink(ioc.id)}
                            >
                              <IconLinkOff size={16} />
                              {t('campaigns.unlink')}
                            </button>
                          )
                        : undefined
                    }
                  />
                </Show>
                <Show when={list.loaded() && !list.items().length && !list.error()}>
                  <p class="empty-state">{t('campaigns.noIocs')}</p>
                </Show>
                <LoadMore list={list} />
              </section>
            </>
          )}
      </Show>
      <Show when={openId()} keyed>
        {(iocId) => (
          <IocDrawer
            id={iocId}
            onClose={() => setOpenId(undefined)}
            onChanged={(ioc) => {
              if (ioc.campaign?.id === id()) list.replace(ioc)
              else list.remove(ioc.id)
              void refetch()
            }}
          />
        )}
      </Show>
    </div>
  )
}

function CampaignDetails(props: { campaign: Campaign; onSaved: (c: Campaign) => void }) {
  const [name, setName] = createSignal('')
  const [description, setDescription] = createSignal('')
  const { busy, error, run } = useAction()
  const errors = () => (error() === undefined ? undefined : formErrors(error(), ['name', 'description']))
  createEffect(
    on(
      () => props.campaign,
      (c) => {
        setName(c.name)
        setDescription(c.description)
      },
    ),
  )

  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    if (busy()) return
    const patch: { name?: string; description?: string } = {}
    if (name().trim() !== props.campaign.name) patch.name = name().trim()
    if (description() !== props.campaign.description) patch.description = description()
    if (!Object.keys(patch).length) return
    void run(async () => props.onSaved((await patchCampaign(props.campaign.id, patch)).campaign))
  }

  return (
    <Show
      when={canWrite(user())}
      fallback={
        <section class="card glass">
          <p class="pre-wrap" dir="auto">{props.campaign.description || t('campaigns.noDescription')}</p>
        </section>
      }
    >
      <form class="card glass form" onSubmit={submit} novalidate aria-labelledby="campaign-details-title">
        <h2 id="campaign-details-title">{t('campaigns.details')}</h2>
        <FormError message={errors()?.form} />
        <Field
          id="campaign-edit-name"
          data-testid="campaign-edit-name"
          label={t('campaigns.name')}
          value={name()}
          onValue={setName}
          error={errors()?.fields.name}
          maxLength={100}
          required
        />
        <TextArea
          id="campaign-edit-description"
          data-testid="campaign-edit-description"
          label={t('campaigns.description')}
          rows={3}
          maxLength={5000}
          value={description()}
          onValue={setDescription}
          error={errors()?.fields.description}
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary btn-sm" data-testid="campaign-save" disabled={busy() || !name().trim()}>
            {busy() ? t('campaigns.saving') : t('campaigns.save')}
          </button>
        </div>
      </form>
    </Show>
  )
}
