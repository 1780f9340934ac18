import { createSignal } from 'solid-js'
import { intlLocale, t } from '../i18n'
import { Icon, type IconProps } from './Icons'
import { IocValue } from './IocBits'

/** The IOC whose detail drawer is open on the Feed Pulse page (any list can open it). */
export const [openIoc, setOpenIoc] = createSignal<number>()

/** An IOC value that opens its detail (history, notes, exclude, playbook links). */
export function OpenValue(props: { id: number; value: string }) {
  return (
    <button type="button" class="pulse-open" title={t('pulse.openDetail')} onClick={() => setOpenIoc(props.id)} data-testid="pulse-open">
      <IocValue value={props.value} />
    </button>
  )
}

export const IconPulse = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 12h3.5l2-4.5 3.5 10 3-7.5 1.5 2H21" />
    <circle cx="12" cy="12" r="9.5" opacity="0.35" />
  </Icon>
)

export const IconBook = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4.5 5.5a2 2 0 0 1 2-2h12v15h-12a2 2 0 0 0-2 2v-15Z" />
    <path d="M4.5 20.5a2 2 0 0 1 2-2h12v2h-12M9 8h6M9 11h4" />
  </Icon>
)

export const IconExternal = (p: IconProps) => (
  <Icon {...p}>
    <path d="M14 4.5h5.5V10M19.5 4.5 11 13M17 14v5.5H4.5V7H10" />
  </Icon>
)

export const IconUp = (p: IconProps) => (
  <Icon {...p}>
    <path d="m6 14 6-6 6 6" />
  </Icon>
)

export const IconDown = (p: IconProps) => (
  <Icon {...p}>
    <path d="m6 10 6 6 6-6" />
  </Icon>
)

export const num = (n: number) => new Intl.NumberFormat(intlLocale()).format(n)

/** A signed count: +3, −2, 0 (the sign is part of the number, in both directions). */
export const signed = (n: number) => (n > 0 ? `+${num(n)}` : n < 0 ? `−${num(-n)}` : '0')

export function Kpi(props: { label: string; value: string | number; tone?: 'good' | 'bad' | 'main'; testId?: string }) {
  return (
    <div class={`kpi card glass ${props.tone === 'main' ? 'kpi-main' : ''} ${props.tone ? `kpi-${props.tone}` : ''}`} data-testid={props.testId}>
      <span class="kpi-label">{props.label}</span>
      <span class="kpi-value" dir="ltr">{typeof props.value === 'number' ? num(props.value) : props.value}</span>
    </div>
  )
}
