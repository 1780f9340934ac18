import type { Component } from 'solid-js'
import type { IconProps } from './components/Icons'
import { IconHome, IconUser } from './components/Icons'
import type { Dict } from './i18n/en'

export interface NavItem {
  href: string
  /** A key under `nav.` in the dictionaries. */
  label: Exclude<keyof Dict['nav'], 'label'>
  icon: Component<IconProps>
  /** Match the path exactly (for `/`). */
  end?: boolean
}

// Later screens add a line here (and a `nav.<label>` string in en.ts and he.ts).
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'overview', icon: IconHome, end: true },
  { href: '/profile', label: 'profile', icon: IconUser },
]
