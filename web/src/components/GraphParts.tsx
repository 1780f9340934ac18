import { Icon, type IconProps } from './Icons'

/** Node colours by IOC type (readable on the light and the dark theme alike). */
export const GRAPH_COLORS: Record<string, string> = {
  ip: '#2563eb',
  domain: '#059669',
  url: '#d97706',
  email: '#db2777',
  md5: '#7c3aed',
  sha1: '#9333ea',
  sha256: '#4f46e5',
  yara: '#dc2626',
  campaign: '#0891b2',
}

export const IconGraph = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="6" cy="6" r="2.5" />
    <circle cx="18" cy="7" r="2.5" />
    <circle cx="12" cy="18" r="2.5" />
    <path d="M8.3 7.1 15.6 7M7.3 8.2l3.6 7.6M16.8 9.2l-3.6 6.6" />
  </Icon>
)
