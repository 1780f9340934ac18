import { createSignal, For, Show } from 'solid-js'
import type { ChampsConfig, GoalProgress } from '../api/client'
import { createTeamGoal, endTeamGoal, patchChampsConfig } from '../data/analytics'
import { locale, t } from '../i18n'
import { errorMessage, formErrors } from '../i18n/errors'
import { useAction } from '../lib/action'
import { Field } from './Field'
import { FormError, SuccessNote } from './FormError'
import { Select } from './Select'

type Message = { text: string; color: string; dir: 'ltr' | 'rtl' }

/** Admin settings: scoring method, system users, custom ticker messages. */
export function ChampsAdmin(props: { config: ChampsConfig; onSaved: () => void }) {
  const [method, setMethod] = createSignal(String(props.config.settings.method))
  const [excludeSystem, setExcludeSystem] = createSignal(props.config.settings.excludeSystem)
  const [messages, setMessages] = createSignal<Message[]>(props.config.settings.ticker)
  const [note, setNote] = createSignal<string>()
  const action = useAction(() => setNote(undefined))
  const errors = () => (action.error() ? formErrors(action.error(), ['method', 'ticker']) : { form: undefined, fields: {} as Record<string, string> })
  const edit = (i: number, patch: Partial<Message>) => setMessages((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  const save = (e: Event) => {
    e.preventDefault()
    void action.run(async () => {
      await patchChampsConfig({ method: Number(method()), excludeSystem: excludeSystem(), ticker: messages() })
      setNote(t('champs.admin.saved'))
      props.onSaved()
    })
  }
  return (
    <section class="card glass" data-testid="champs-admin">
      <h2 class="card-title">{t('champs.admin.title')}</h2>
      <form class="form" onSubmit={save}>
        <Select
          id="champs-method"
          label={t('champs.admin.method')}
          value={method()}
          onValue={setMethod}
          options={props.config.methods.map((m) => [String(m.id), `#${m.id} — ${m.summary[locale()]}`])}
          error={errors().fields.method}
        />
        <label class="check">
          <input type="checkbox" checked={excludeSystem()} onChange={(e) => setExcludeSystem(e.currentTarget.checked)} />
          {t('champs.admin.excludeSystem')}
        </label>
        <h3 class="subhead">{t('champs.admin.tickerTitle')}</h3>
        <p class="muted small">{t('champs.admin.tickerHint')}</p>
        <For each={messages()}>
          {(m, i) => (
            <div class="ticker-edit">
              <Field id={`tick-text-${i()}`} label={t('champs.admin.tickerText')} value={m.text} onValue={(v) => edit(i(), { text: v })} dir={m.dir} maxLength={200} />
              <label class="field color-field">
                <span>{t('champs.admin.tickerColor')}</span>
                <input type="color" value={m.color} onInput={(e) => edit(i(), { color: e.currentTarget.value })} />
              </label>
              <Select id={`tick-dir-${i()}`} label={t('champs.admin.tickerDir')} value={m.dir} onValue={(v) => edit(i(), { dir: v as Message['dir'] })} options={[['ltr', 'LTR'], ['rtl', 'RTL']]} />
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => setMessages((ms) => ms.filter((_, j) => j !== i()))}>
                {t('champs.admin.remove')}
              </button>
            </div>
          )}
        </For>
        <FormError message={errors().fields.ticker ?? errors().form} />
        <div class="button-row">
          <Show when={messages().length < 5}>
            <button type="button" class="btn btn-secondary btn-sm" onClick={() => setMessages((ms) => [...ms, { text: '', color: '#4f46e5', dir: locale() === 'he' ? 'rtl' : 'ltr' }])}>
              {t('champs.admin.addMessage')}
            </button>
          </Show>
          <button type="submit" class="btn btn-primary btn-sm" disabled={action.busy()} data-testid="champs-save">
            {t('champs.admin.save')}
          </button>
        </div>
        <SuccessNote message={note()} />
      </form>
    </section>
  )
}

/** Start a new team goal (ends the current one) or end the current one. */
export function GoalAdmin(props: { goal: GoalProgress | null; onChanged: () => void }) {
  const [open, setOpen] = createSignal(false)
  const [title, setTitle] = createSignal('')
  const [description, setDescription] = createSignal('')
  const [target, setTarget] = createSignal('50')
  const [unit, setUnit] = createSignal('')
  const [goalType, setGoalType] = createSignal<'ioc_add' | 'yara_add' | 'deletion'>('ioc_add')
  const [period, setPeriod] = createSignal<'weekly' | 'monthly'>('weekly')
  const [note, setNote] = createSignal<string>()
  const action = useAction(() => setNote(undefined))
  const errors = () =>
    action.error() ? formErrors(action.error(), ['title', 'description', 'targetValue', 'unit']) : { form: undefined, fields: {} as Record<string, string> }
  const submit = (e: Event) => {
    e.preventDefault()
    void action.run(async () => {
      await createTeamGoal({ title: title(), description: description() || undefined, targetValue: Number(target()), unit: unit() || undefined, goalType: goalType(), period: period() })
      setNote(t('champs.goal.saved'))
      setOpen(false)
      props.onChanged()
    })
  }
  const end = () =>
    action.run(async () => {
      await endTeamGoal(props.goal!.goal.id)
      setNote(t('champs.goal.ended'))
      props.onChanged()
    })
  return (
    <div class="goal-admin">
      <div class="button-row">
        <button type="button" class="btn btn-secondary btn-sm" onClick={() => setOpen(!open())} aria-expanded={open()} data-testid="goal-new">
          {t('champs.goal.create')}
        </button>
        <Show when={props.goal}>
          <button type="button" class="btn btn-ghost btn-sm" onClick={end}>
            {t('champs.goal.end')}
          </button>
        </Show>
      </div>
      <Show when={open()}>
        <form class="form goal-form" onSubmit={submit}>
          <Field id="goal-title" label={t('champs.goal.fields.title')} value={title()} onValue={setTitle} error={errors().fields.title} required maxLength={120} />
          <Field id="goal-description" label={t('champs.goal.fields.description')} value={description()} onValue={setDescription} error={errors().fields.description} maxLength={500} />
          <div class="field-row">
            <Field id="goal-target" type="number" min="1" label={t('champs.goal.fields.targetValue')} value={target()} onValue={setTarget} error={errors().fields.targetValue} />
            <Field id="goal-unit" label={t('champs.goal.fields.unit')} value={unit()} onValue={setUnit} error={errors().fields.unit} maxLength={40} />
            <Select id="goal-type" label={t('champs.goal.fields.goalType')} value={goalType()} onValue={(v) => setGoalType(v as 'ioc_add')} options={(['ioc_add', 'yara_add', 'deletion'] as const).map((k) => [k, t(`champs.goal.types.${k}`)])} />
            <Select id="goal-period" label={t('champs.goal.fields.period')} value={period()} onValue={(v) => setPeriod(v as 'weekly')} options={(['weekly', 'monthly'] as const).map((k) => [k, t(`champs.goal.periods.${k}`)])} />
          </div>
          <FormError message={errors().form} />
          <button type="submit" class="btn btn-primary btn-sm" disabled={action.busy()} data-testid="goal-save">
            {t('champs.goal.save')}
          </button>
        </form>
      </Show>
      <FormError message={!open() && action.error() ? errorMessage(action.error()) : undefined} />
      <SuccessNote message={note()} />
    </div>
  )
}
