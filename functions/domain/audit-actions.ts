// What each audit action means: its name in CEF headers, what its target is, and the least
// severity it is reported with. Pure data, shared by the CEF formatter and the audit viewer.

export type TargetKind = 'user' | 'other'

interface ActionInfo {
  /** CEF Name for a success (failures add " failed" unless `failure` says otherwise). */
  name: string
  failure?: string
  /** The least CEF severity (0-10) for a success; failures are at least 5. */
  severity: number
  target: TargetKind
}

const a = (name: string, severity: number, target: TargetKind = 'other', failure?: string): ActionInfo => ({
  name,
  severity,
  target,
  failure,
})

export const AUDIT_ACTIONS: Record<string, ActionInfo> = {
  'auth.login': a('Sign-in', 3, 'user', 'Sign-in failed'),
  'auth.lockout': a('Sign-in lockout', 7, 'other', 'Sign-in lockout'),
  'auth.logout': a('Sign-out', 2, 'user'),
  'auth.password_change': a('Password changed', 4, 'user', 'Password change failed'),
  'user.create': a('User created', 5, 'user'),
  'user.edit': a('User changed', 5, 'user'),
  'user.role_change': a('User role changed', 6, 'user'),
  'user.deactivate': a('User deactivated', 6, 'user'),
  'user.activate': a('User reactivated', 6, 'user'),
  'user.password_reset': a('Password reset by an administrator', 6, 'user'),
  'user.profile_update': a('Profile updated', 2, 'user'),
  'user.avatar_remove': a('Avatar removed by an administrator', 4, 'user'),
  'token.create': a('API token created', 5, 'user'),
  'token.revoke': a('API token revoked', 5, 'user'),
  'token.use': a('API token used', 3, 'other'),
  'token.admin_use': a('API token used with admin scope', 6, 'other'),
  'token.auth_failure': a('API token refused', 5, 'other', 'API token refused'),
  'ioc.create': a('IOC created', 3),
  'ioc.edit': a('IOC edited', 3),
  'ioc.delete': a('IOC deleted', 4),
  'ioc.exclude': a('IOC excluded from feeds', 4),
  'ioc.unexclude': a('IOC exclusion undone', 4),
  'ioc.note': a('IOC note added', 2),
  'ioc.export': a('IOCs exported', 3),
  'import.commit': a('Bulk import committed', 4),
  'yara.upload': a('YARA rule uploaded', 3),
  'yara.approve': a('YARA rule approved', 4),
  'yara.reject': a('YARA rule rejected', 4),
  'campaign.create': a('Campaign created', 2),
  'campaign.edit': a('Campaign edited', 2),
  'campaign.delete': a('Campaign deleted', 4),
  'allowlist.add': a('Allowlist entry added', 5),
  'allowlist.delete': a('Allowlist entry removed', 5),
  'warninglist.import': a('Warninglist imported', 4),
  'warninglist.delete': a('Warninglist removed', 4),
  'feed_consumer.create': a('Feed consumer created', 5),
  'feed_consumer.edit': a('Feed consumer changed', 5),
  'feed_consumer.rotate_token': a('Feed consumer token rotated', 5),
  'feed_consumer.delete': a('Feed consumer deleted', 5),
  'custom_feed.create': a('Custom feed created', 5),
  'custom_feed.edit': a('Custom feed changed', 5),
  'custom_feed.delete': a('Custom feed deleted', 5),
  'feed.auth_failure': a('Feed access refused', 6, 'other', 'Feed access refused'),
  'settings.change': a('Settings changed', 6),
  'syslog.test': a('Syslog test message', 3, 'other', 'Syslog test message failed'),
  'audit.export': a('Audit log exported', 5),
  'misp.pull_start': a('MISP pull started', 3),
  'misp.pull': a('MISP pull finished', 4, 'other', 'MISP pull failed'),
  'misp.reconcile': a('MISP withdrawals applied', 5),
  'misp.test': a('MISP connection test', 3, 'other', 'MISP connection test failed'),
  'ldap.test': a('LDAP connection test', 3, 'other', 'LDAP connection test failed'),
}

/** Known actions, for filters. */
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS).sort()

/** `foo.bar_baz` -> `foo bar baz`: a readable name for an action nobody described yet. */
function fallbackName(action: string) {
  return action.replace(/[._]+/g, ' ').trim() || 'event'
}

export function actionName(action: string, outcome: 'success' | 'failure'): string {
  const info = AUDIT_ACTIONS[action]
  if (!info) return outcome === 'failure' ? `${fallbackName(action)} failed` : fallbackName(action)
  if (outcome === 'failure') return info.failure ?? `${info.name} failed`
  return info.name
}

export function targetKind(action: string): TargetKind {
  return AUDIT_ACTIONS[action]?.target ?? 'other'
}

/**
 * CEF severity 0-10: the stored severity, raised to the action's floor; every failure is at least
 * 5 (Medium). Stored rows written before an action had a floor are reported consistently.
 */
export function auditSeverity(action: string, outcome: 'success' | 'failure', stored: number): number {
  const floor = AUDIT_ACTIONS[action]?.severity ?? 3
  const value = Math.max(Number.isFinite(stored) ? stored : 0, floor, outcome === 'failure' ? 5 : 0)
  return Math.min(10, Math.max(0, Math.round(value)))
}

export type SeverityBand = 'low' | 'medium' | 'high' | 'veryHigh'

/** ArcSight's bands: 0-3 Low, 4-6 Medium, 7-8 High, 9-10 Very-High. */
export function severityBand(severity: number): SeverityBand {
  if (severity >= 9) return 'veryHigh'
  if (severity >= 7) return 'high'
  if (severity >= 4) return 'medium'
  return 'low'
}
