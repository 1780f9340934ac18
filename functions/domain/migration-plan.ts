/**
 * The plan of a migration: everything read from the old system, mapped to Moat's shapes, plus a
 * report of every skipped, merged or changed item. Built from plain rows (pure), staged with an
 * import batch, applied at commit. Shared by the ZIoCHub and ThreatGate mappers.
 */
import type { LegacyAllowlistEntry } from './legacy-allowlist'
import type { MappedRow, ReportEntry } from './legacy-iocs'
import type { LegacyYaraRule } from './legacy-yara'
import type { PlaybookLinkInput } from './playbook-import'

export interface LegacyUser {
  username: string
  displayName: string
  role: 'admin' | 'analyst' | 'viewer'
  source: 'local' | 'ldap' | 'system'
  active: boolean
  /** Local accounts always must set a new password: legacy hashes are not carried over. */
  mustChangePassword: boolean
  roleDescription: string
  email: string
  createdAt: string | null
  lastLoginAt: string | null
}

export interface LegacyAvatar {
  username: string
  mime: string
  sha256: string
  bytes: Uint8Array
}

export interface LegacyCampaign {
  name: string
  description: string
  dir: string | null
  createdBy: string | null
  createdAt: string | null
}

export const HISTORY_EVENTS = ['created', 'edited', 'deleted', 'expired', 'excluded', 'unexcluded'] as const
export type LegacyEvent = (typeof HISTORY_EVENTS)[number]

export interface LegacyHistoryEvent {
  type: string
  value: string
  event: LegacyEvent
  actor: string
  at: string
  payload: unknown
}

export interface LegacyNote {
  type: string
  value: string
  body: string
  author: string
  createdAt: string | null
}

/** A value the old system had and deleted: kept in Moat as a deleted IOC so its history shows. */
export interface Tombstone {
  type: string
  value: string
  createdBy: string
  createdAt: string
  deletedBy: string
  deletedAt: string
  ticket: string
  comment: string
}

/** Records Moat keeps for features still to come (Champs, Feed Pulse, settings screens). */
export interface RetainedItem {
  kind: 'sanity_exclusion' | 'team_goal' | 'activity_event' | 'rank_snapshot' | 'user_prefs' | 'settings'
  key: string
  data: Record<string, unknown>
}

export interface MigrationPlan {
  source: 'ziochub' | 'threatgate'
  /** Display name of what was read (a file or folder name, never used as a path). */
  label: string
  rows: MappedRow[]
  users: LegacyUser[]
  avatars: LegacyAvatar[]
  campaigns: LegacyCampaign[]
  history: LegacyHistoryEvent[]
  tombstones: Tombstone[]
  notes: LegacyNote[]
  allowlist: LegacyAllowlistEntry[]
  playbook: PlaybookLinkInput[]
  yara: LegacyYaraRule[]
  retained: RetainedItem[]
  /** Names of secret settings that were present (their values are never read into the plan). */
  secrets: string[]
  report: ReportEntry[]
}

export function emptyPlan(source: MigrationPlan['source'], label: string): MigrationPlan {
  return {
    source,
    label,
    rows: [],
    users: [],
    avatars: [],
    campaigns: [],
    history: [],
    tombstones: [],
    notes: [],
    allowlist: [],
    playbook: [],
    yara: [],
    retained: [],
    secrets: [],
    report: [],
  }
}

/** The username a legacy analyst name becomes when no user has it. */
export function placeholderName(name: string): string {
  return `legacy:${name.trim().toLowerCase() || 'unknown'}`.slice(0, 64)
}
