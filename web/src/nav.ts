import type { Component } from 'solid-js'
import type { Role } from '../../schema/contracts/common'
import type { IconProps } from './components/Icons'
import {
  IconActivity,
  IconReport,
  IconTrophy,
  IconAudit,
  IconFlag,
  IconHome,
  IconPlus,
  IconRouter,
  IconRss,
  IconSearch,
  IconShield,
  IconUser,
  IconUsers,
} from './components/Icons'
import { IconCode } from './components/YaraBits'
import { IconMisp } from './components/MispParts'
import { IconSettings } from './components/SettingsIcon'
import { IconBook, IconPulse } from './components/PulseBits'
import { IconGraph } from './components/GraphParts'
import type { Dict } from './i18n/en'

export interface NavItem {
  href: string
  /** A key under `nav.` in the dictionaries. */
  label: Exclude<keyof Dict['nav'], 'label'>
  icon: Component<IconProps>
  /** Match the path exactly (for `/`). */
  end?: boolean
  /** Only these roles see the item (the server still checks every call). */
  roles?: Role[]
}

// Later screens add a line here (and a `nav.<label>` string in en.ts and he.ts).
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'overview', icon: IconHome, end: true },
  { href: '/submit', label: 'submit', icon: IconPlus, roles: ['admin', 'analyst'] },
  { href: '/search', label: 'search', icon: IconSearch },
  { href: '/campaigns', label: 'campaigns', icon: IconFlag },
  { href: '/yara', label: 'yara', icon: IconCode },
  { href: '/feeds', label: 'feeds', icon: IconRss },
  { href: '/stats', label: 'stats', icon: IconActivity },
  { href: '/pulse', label: 'pulse', icon: IconPulse },
  { href: '/champs', label: 'champs', icon: IconTrophy },
  { href: '/reports', label: 'reports', icon: IconReport },
  { href: '/graph', label: 'graph', icon: IconGraph },
  { href: '/admin/allowlist', label: 'allowlist', icon: IconShield, roles: ['admin'] },
  { href: '/admin/feed-consumers', label: 'feedConsumers', icon: IconRouter, roles: ['admin'] },
  { href: '/admin/custom-feeds', label: 'customFeeds', icon: IconRss, roles: ['admin'] },
  { href: '/admin/users', label: 'users', icon: IconUsers, roles: ['admin'] },
  { href: '/admin/audit', label: 'audit', icon: IconAudit, roles: ['admin'] },
  { href: '/admin/misp', label: 'misp', icon: IconMisp, roles: ['admin'] },
  { href: '/admin/settings', label: 'settings', icon: IconSettings, roles: ['admin'] },
  { href: '/admin/playbook', label: 'playbook', icon: IconBook, roles: ['admin'] },
  { href: '/profile', label: 'profile', icon: IconUser },
]

export const navFor = (role: Role) =>
  NAV_ITEMS.filter((item) => !item.roles || item.roles.includes(role))
