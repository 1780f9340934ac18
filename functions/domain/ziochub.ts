/**
 * ZIoCHub 2.x database rows (migration.md section 2) -> a migration plan (section 3). Any column
 * may be missing in an older database, so every read is defensive. `created_at`-like columns are
 * naive UTC; `expiration_date` is naive server-local time (`zone`). Pure: files (avatars) come in
 * through `readFile`.
 */
import { canonicalLegacy, mapLegacyIocs, type LegacyIoc, type ReportEntry } from './legacy-iocs'
import { naiveToIso } from './legacy-time'
import { mapLegacyYara, type LegacyYaraRow, type YaraFolder } from './legacy-yara'
import {
  emptyPlan,
  HISTORY_EVENTS,
  type LegacyEvent,
  type LegacyHistoryEvent,
  type LegacyUser,
  type MigrationPlan,
  type RetainedItem,
  type Tombstone,
} from './migration-plan'
import { sniffImage } from './image-sniff'

export type SourceRow = Record<string, unknown>
export type ZiochubTables = Partial<Record<string, SourceRow[]>>

/** Settings whose values are secrets: never read into the plan, never printed. */
export const SECRET_SETTINGS = new Set(['ldap_bind_password', 'misp_api_key', 'automation_fireeye_appliances'])
const STATE_SETTINGS = new Set(['misp_last_sync', 'misp_last_sync_result', 'misp_sync_lock'])
const SECRET_HINT = /pass|secret|api_?key|token|private/i
export const AVATAR_MAX_BYTES = 1024 * 1024
/** ZIoCHub's MISP sync account is Moat's `misp` system user. */
const RENAMES: Record<string, string> = { misp_sync: 'misp' }

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '')
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : null)
const bool = (v: unknown, dflt = false): boolean => (v === null || v === undefined || v === '' ? dflt : v === 1 || v === true || v === '1' || v === 'true' || v === 1n)
const who = (name: unknown): string => {
  const n = text(name).trim().toLowerCase()
  return RENAMES[n] ?? (n || 'unknown')
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null
  try {
    return JSON.parse(v)
  } catch {
    return { raw: v }
  }
}

export interface ZiochubInput {
  tables: ZiochubTables
  zone: string
  nowIso: string
  label: string
  allowlistText?: string | null
  playbookJson?: string | null
  yara?: { approved: YaraFolder; pending: YaraFolder }
  /** Reads a file under the install's `static/` folder (avatars); null when missing. */
  readStatic?: (relPath: string) => Uint8Array | null
}

export function planZiochub(input: ZiochubInput): MigrationPlan {
  const { tables, zone, nowIso } = input
  const plan = emptyPlan('ziochub', input.label)
  const report = plan.report
  const utc = (v: unknown) => naiveToIso(v, 'UTC')
  const local = (v: unknown) => naiveToIso(v, zone)

  // Users first: every other table names them by id.
  const byId = new Map<number, string>()
  const profiles = new Map<number, SourceRow>()
  for (const p of tables.user_profiles ?? []) if (num(p.user_id) !== null) profiles.set(num(p.user_id)!, p)
  let firstAdmin: string | null = null
  for (const u of [...(tables.users ?? [])].sort((a, b) => (num(a.id) ?? 0) - (num(b.id) ?? 0))) {
    const id = num(u.id)
    const raw = text(u.username).trim()
    if (!raw) continue
    const username = RENAMES[raw.toLowerCase()] ?? raw
    if (id !== null) byId.set(id, username)
    const profile = id !== null ? profiles.get(id) : undefined
    const src = text(u.source).toLowerCase()
    const source: LegacyUser['source'] = src === 'ldap' ? 'ldap' : src === 'system' || RENAMES[raw.toLowerCase()] ? 'system' : 'local'
    const admin = bool(u.is_admin)
    if (admin && !firstAdmin) firstAdmin = username
    const user: LegacyUser = {
      username,
      displayName: text(profile?.display_name).trim().slice(0, 100) || username,
      role: admin ? 'admin' : 'analyst',
      source,
      active: bool(u.is_active, true),
      mustChangePassword: source === 'local',
      roleDescription: text(profile?.role_description).trim().slice(0, 200),
      email: text(profile?.email).trim().slice(0, 254),
      createdAt: utc(u.created_at),
      lastLoginAt: utc(u.last_login_at),
    }
    plan.users.push(user)
    if (source === 'local' && user.active) {
      report.push({ kind: 'info', where: `users ${username}`, reason: 'password_reset_required', message: `${username}: password not carried over; run: moat user reset-password ${username}` })
    }
    if (profile) {
      plan.retained.push({
        kind: 'user_prefs',
        key: username.toLowerCase(),
        data: {
          username,
          muteSound: bool(profile.mute_sound),
          ambitionPopupDisabled: bool(profile.ambition_popup_disabled),
          achievementPopupDisabled: bool(profile.achievement_popup_disabled),
        },
      })
      const avatarPath = text(profile.avatar_path).trim()
      if (avatarPath && input.readStatic) addAvatar(plan, username, avatarPath, input.readStatic)
    }
  }
  const userName = (id: unknown): string | null => {
    const n = num(id)
    if (n === null) return null
    return byId.get(n) ?? (n === 1 ? firstAdmin : null)
  }

  // Campaigns: unique by name (case-insensitive).
  const campaignName = new Map<number, string>()
  const seenCampaign = new Map<string, string>()
  for (const c of tables.campaigns ?? []) {
    const name = text(c.name).trim().replace(/\s+/g, ' ').slice(0, 100)
    if (!name) continue
    const id = num(c.id)
    const prior = seenCampaign.get(name.toLowerCase())
    if (id !== null) campaignName.set(id, prior ?? name)
    if (prior) {
      report.push({ kind: 'merged', where: `campaigns#${id}`, reason: 'merged_duplicate', message: `campaign ${JSON.stringify(name)} merged into ${JSON.stringify(prior)}` })
      continue
    }
    seenCampaign.set(name.toLowerCase(), name)
    const dir = text(c.dir).toLowerCase()
    plan.campaigns.push({
      name,
      description: text(c.description).trim().slice(0, 2000),
      dir: dir === 'rtl' || dir === 'ltr' ? dir : null,
      createdBy: userName(c.created_by),
      createdAt: utc(c.created_at),
    })
  }

  // IOCs, in source id order (the merge keeps the first).
  const legacy: LegacyIoc[] = []
  const iocRows = [...(tables.iocs ?? [])].sort((a, b) => (num(a.id) ?? 0) - (num(b.id) ?? 0))
  iocRows.forEach((r, i) => {
    const id = num(r.id) ?? i + 1
    const campaignId = num(r.campaign_id)
    const campaign = campaignId !== null ? campaignName.get(campaignId) : undefined
    if (campaignId !== null && !campaign) {
      report.push({ kind: 'warning', where: `iocs#${id}`, reason: 'missing_campaign', message: `campaign #${campaignId} does not exist; imported without a campaign` })
    }
    const expiry = r.expiration_date
    const expiresAt = expiry === null || expiry === undefined || text(expiry).trim() === '' ? null : local(expiry)
    if (expiry && !expiresAt) report.push({ kind: 'warning', where: `iocs#${id}`, reason: 'bad_expiry', message: `expiration_date ${JSON.stringify(text(expiry))} is not a date; imported as permanent` })
    legacy.push({
      line: id,
      where: `iocs#${id}`,
      legacyType: text(r.type),
      value: text(r.value),
      analyst: who(r.analyst),
      ticket: text(r.ticket_id) || null,
      comment: text(r.comment) || null,
      campaign: campaign ?? null,
      tags: r.tags,
      createdAt: utc(r.created_at),
      expiresAt,
      source: `ziochub:${text(r.submission_method).trim().toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'single'}`,
      submitter: userName(r.user_id),
    })
  })
  const mapped = mapLegacyIocs(legacy, nowIso)
  plan.rows = mapped.rows
  report.push(...mapped.report)

  mapHistory(plan, tables.ioc_history ?? [], utc)
  mapNotes(plan, tables.ioc_notes ?? [], utc, userName)

  // YARA: rows joined with the rule files.
  if (input.yara) {
    const rows: LegacyYaraRow[] = (tables.yara_rules ?? []).map((r) => ({
      filename: text(r.filename).trim(),
      analyst: who(r.analyst),
      ticket: text(r.ticket_id) || null,
      comment: text(r.comment) || null,
      campaign: (num(r.campaign_id) !== null ? campaignName.get(num(r.campaign_id)!) : null) ?? null,
      uploadedAt: utc(r.uploaded_at),
      qualityPoints: num(r.quality_points),
      status: text(r.status).toLowerCase() || 'approved',
    }))
    const yara = mapLegacyYara(rows.filter((r) => r.filename), input.yara.approved, input.yara.pending)
    plan.yara = yara.rules
    report.push(...yara.report)
  }

  mapSettings(plan, tables.system_settings ?? [])
  retain(plan, tables, utc, userName)
  return plan
}

function addAvatar(plan: MigrationPlan, username: string, rel: string, read: (p: string) => Uint8Array | null) {
  const where = `user_profiles ${username}`
  const bytes = /(^|[\\/])\.\.([\\/]|$)/.test(rel) ? null : read(rel.replace(/^[\\/]+/, ''))
  if (!bytes) {
    plan.report.push({ kind: 'skipped', where, reason: 'missing_file', message: `avatar ${rel}: file not found` })
    return
  }
  const mime = sniffImage(bytes)
  if (!mime || bytes.length > AVATAR_MAX_BYTES) {
    plan.report.push({ kind: 'skipped', where, reason: 'invalid_avatar', message: `avatar ${rel}: ${mime ? 'larger than 1 MiB' : 'not a PNG, JPEG, GIF or WebP image'}` })
    return
  }
  plan.avatars.push({ username, mime, sha256: '', bytes })
}

function mapHistory(plan: MigrationPlan, rows: SourceRow[], utc: (v: unknown) => string | null) {
  const failed = new Map<string, number>()
  for (const h of rows) {
    const event = text(h.event_type).trim().toLowerCase() as LegacyEvent
    const canon = canonicalLegacy(text(h.ioc_type), text(h.ioc_value))
    const at = utc(h.at)
    if (!canon.ok || !at || !HISTORY_EVENTS.includes(event)) {
      const why = !canon.ok ? canon.error.code : !at ? 'bad_date' : 'unknown_event'
      const key = `${why}\u0000${text(h.ioc_type)} ${text(h.ioc_value)}${why === 'unknown_event' ? ` (${text(h.event_type)})` : ''}`
      failed.set(key, (failed.get(key) ?? 0) + 1)
      continue
    }
    plan.history.push({ type: canon.type, value: canon.value, event, actor: who(h.username), at, payload: parseJson(h.payload) })
  }
  for (const [key, n] of failed) {
    const [reason, what] = key.split('\u0000')
    plan.report.push({ kind: 'skipped', where: 'ioc_history', reason, message: `${n} event(s) of ${what}` })
  }
  plan.history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  // Values with history but no IOC row: deleted in the old system. A deleted IOC keeps their trail.
  const live = new Set(plan.rows.flatMap((r) => ('type' in r.staged ? [`${r.staged.type}\u0000${r.staged.value}`] : [])))
  const gone = new Map<string, LegacyHistoryEvent[]>()
  for (const h of plan.history) {
    const key = `${h.type}\u0000${h.value}`
    if (live.has(key)) continue
    const list = gone.get(key)
    if (list) list.push(h)
    else gone.set(key, [h])
  }
  for (const events of gone.values()) {
    const created = events.find((e) => e.event === 'created') ?? events[0]
    const deleted = [...events].reverse().find((e) => e.event === 'deleted') ?? events[events.length - 1]
    const payload = (created.payload && typeof created.payload === 'object' ? created.payload : {}) as Record<string, unknown>
    const t: Tombstone = {
      type: created.type,
      value: created.value,
      createdBy: created.actor,
      createdAt: created.at,
      deletedBy: deleted.actor,
      deletedAt: deleted.at,
      ticket: text(payload.ticket_id ?? payload.ticket).slice(0, 64),
      comment: text(payload.comment).slice(0, 2000),
    }
    plan.tombstones.push(t)
    plan.report.push({ kind: 'info', where: 'ioc_history', reason: 'deleted_value', message: `${t.type} ${t.value}: deleted in the source; kept as a deleted IOC with its ${events.length} history event(s)` })
  }
}

function mapNotes(plan: MigrationPlan, rows: SourceRow[], utc: (v: unknown) => string | null, userName: (id: unknown) => string | null) {
  for (const n of rows) {
    const where = `ioc_notes#${text(n.id)}`
    const canon = canonicalLegacy(text(n.ioc_type), text(n.ioc_value))
    const body = text(n.content).trim()
    if (!canon.ok || !body) {
      plan.report.push({ kind: 'skipped', where, reason: canon.ok ? 'empty_note' : canon.error.code, message: `note on ${text(n.ioc_type)} ${JSON.stringify(text(n.ioc_value))}` })
      continue
    }
    plan.notes.push({ type: canon.type, value: canon.value, body: body.slice(0, 10_000), author: userName(n.user_id) ?? 'unknown', createdAt: utc(n.created_at) })
  }
}

function mapSettings(plan: MigrationPlan, rows: SourceRow[]) {
  const kept: Record<string, string> = {}
  for (const s of rows) {
    const key = text(s.key).trim()
    if (!key || STATE_SETTINGS.has(key)) continue
    if (SECRET_SETTINGS.has(key) || SECRET_HINT.test(key)) {
      if (text(s.value).trim()) plan.secrets.push(key)
      continue
    }
    let value = text(s.value)
    // ZIoCHub's LDAP filter placeholder is Python's `%(user)s`; Moat's is `{username}`.
    if (key === 'ldap_user_filter') value = value.replace(/%\(user\)s/g, '{username}')
    kept[key] = value
  }
  for (const key of plan.secrets) {
    plan.report.push({ kind: 'skipped', where: 'system_settings', reason: 'secret_not_imported', message: `${key}: not imported; enter it in Admin and rotate it (it was stored in plain text)` })
  }
  if (Object.keys(kept).length) plan.retained.push({ kind: 'settings', key: 'ziochub', data: kept })
}

function retain(plan: MigrationPlan, tables: ZiochubTables, utc: (v: unknown) => string | null, userName: (id: unknown) => string | null) {
  const push = (kind: RetainedItem['kind'], key: string, data: Record<string, unknown>) => plan.retained.push({ kind, key, data })
  for (const x of tables.sanity_exclusions ?? []) {
    const canon = canonicalLegacy(text(x.ioc_type), text(x.value))
    const type = canon.ok ? canon.type : text(x.ioc_type).toLowerCase()
    const value = canon.ok ? canon.value : text(x.value)
    const anomaly = text(x.anomaly_type)
    push('sanity_exclusion', `${type}|${value}|${anomaly}`, { type, value, anomaly, excludedBy: who(x.excluded_by), excludedAt: utc(x.excluded_at) })
  }
  for (const g of tables.team_goals ?? []) {
    push('team_goal', `ziochub:${text(g.id)}`, {
      title: text(g.title),
      description: text(g.description),
      targetValue: num(g.target_value),
      unit: text(g.unit),
      goalType: text(g.goal_type),
      period: text(g.period),
      active: bool(g.is_active, true),
      createdAt: utc(g.created_at),
    })
  }
  for (const e of tables.activity_events ?? []) {
    push('activity_event', `ziochub:${text(e.id)}`, { type: text(e.event_type), username: userName(e.user_id), payload: parseJson(e.payload), at: utc(e.created_at) })
  }
  for (const s of tables.champ_rank_snapshots ?? []) {
    const username = userName(s.user_id)
    push('rank_snapshot', `${username ?? text(s.user_id)}|${text(s.snapshot_date)}`, { username, rank: num(s.rank), score: num(s.score), date: text(s.snapshot_date) })
  }
  const counts = new Map<string, number>()
  for (const r of plan.retained) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1)
  for (const [kind, n] of counts) {
    if (kind === 'settings' || kind === 'user_prefs') continue
    plan.report.push({ kind: 'info', where: kind, reason: 'retained', message: `${n} ${kind.replace('_', ' ')} record(s) kept for Champs and Feed Pulse` })
  }
}

export type { ReportEntry }
