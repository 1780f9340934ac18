// Levels, nicknames, badges and ranking (specs/champs.md sections 3-4). Pure.

import type { ScoringEvent, ScoringMethod } from './champs'
import { localParts } from './zoned-time'

export const LEVEL_THRESHOLDS = [
  0, 200, 450, 750, 1100, 1500, 2000, 2600, 3300, 4100, 5000, 6100, 7400, 9000, 10900, 13100, 15600, 18500, 21800, 25500,
  29700, 34400, 39600, 45400, 51800, 59000,
] as const

export interface LevelInfo {
  level: number
  xp_in_level: number
  xp_to_next: number | null
  level_width: number | null
}

export function levelInfo(score: number): LevelInfo {
  const T = LEVEL_THRESHOLDS
  let i = 0
  while (i + 1 < T.length && T[i + 1] <= score) i++
  const level = i + 1
  const top = level === T.length
  return {
    level,
    xp_in_level: score - T[i],
    xp_to_next: top ? null : T[i + 1] - score,
    level_width: top ? null : T[i + 1] - T[i],
  }
}

type Kind = 'ip' | 'domain' | 'url' | 'hash' | 'email' | 'yara'
const KIND_ORDER: Kind[] = ['ip', 'domain', 'url', 'hash', 'email', 'yara']

export const NICKNAMES: Record<Kind | 'none', { key: string; emoji: string; en: string; he: string }> = {
  ip: { key: 'network_hunter', emoji: '🛡️', en: 'Network Hunter', he: 'צייד רשתות' },
  domain: { key: 'domain_scout', emoji: '🌐', en: 'Domain Scout', he: 'סייר דומיינים' },
  url: { key: 'url_tracker', emoji: '🔗', en: 'URL Tracker', he: 'עוקב כתובות' },
  hash: { key: 'malware_slayer', emoji: '⚔️', en: 'Malware Slayer', he: 'קוטל נוזקות' },
  email: { key: 'phish_hunter', emoji: '📧', en: 'Phish Hunter', he: 'צייד פישינג' },
  yara: { key: 'code_breaker', emoji: '🔓', en: 'Code Breaker', he: 'פורץ קודים' },
  none: { key: 'threat_hunter', emoji: '🎯', en: 'Threat Hunter', he: 'צייד איומים' },
}

export interface ActivityStats {
  iocs: number
  byKind: Record<Kind, number>
  campaignIocs: number
  yara: number
  deletions: number
  expiredDeletions: number
  activeDays: number
  lastActivity: string | null
  nightOwl: boolean
  earlyBird: boolean
  weekend: boolean
}

const kindOf = (t: string): Exclude<Kind, 'yara'> => (t === 'md5' || t === 'sha1' || t === 'sha256' ? 'hash' : (t as 'ip'))

/** Counts behind badges, nickname and the leaderboard row. `weekendDays`: 0 = Sunday … 6 = Saturday. */
export function activityStats(events: ScoringEvent[], tz: string, weekendDays: number[]): ActivityStats {
  const s: ActivityStats = {
    iocs: 0,
    byKind: { ip: 0, domain: 0, url: 0, hash: 0, email: 0, yara: 0 },
    campaignIocs: 0,
    yara: 0,
    deletions: 0,
    expiredDeletions: 0,
    activeDays: 0,
    lastActivity: null,
    nightOwl: false,
    earlyBird: false,
    weekend: false,
  }
  const days = new Set<string>()
  for (const e of events) {
    const local = localParts(e.at, tz)
    days.add(local.date)
    if (!s.lastActivity || e.at > s.lastActivity) s.lastActivity = e.at
    if (local.hour >= 22 || local.hour <= 4) s.nightOwl = true
    if (local.hour >= 5 && local.hour <= 7) s.earlyBird = true
    if (weekendDays.includes(local.weekday)) s.weekend = true
    if (e.kind === 'ioc') {
      const c = e.count ?? 1
      s.iocs += c
      s.byKind[kindOf(e.iocType)] += c
      if (e.campaign) s.campaignIocs += c
    } else if (e.kind === 'yara') {
      s.yara++
      s.byKind.yara++
    } else if (e.kind === 'deletion') {
      s.deletions++
      if (e.expired) s.expiredDeletions++
    }
  }
  s.activeDays = days.size
  return s
}

export function nickname(stats: Pick<ActivityStats, 'byKind'>) {
  let best: Kind | 'none' = 'none'
  let max = 0
  for (const k of KIND_ORDER) {
    if (stats.byKind[k] > max) {
      max = stats.byKind[k]
      best = k
    }
  }
  return NICKNAMES[best]
}

interface BadgeDef {
  key: string
  emoji: string
  /** Days since the last activity the badge survives: methods 1-7 / method 8. */
  decay: [number, number]
  rule: (s: ActivityStats & { streak: number; rareFinds: number }) => boolean
  en: [string, string]
  he: [string, string]
}

const kinds = (s: ActivityStats) => (['ip', 'domain', 'url', 'hash', 'email'] as const).filter((k) => s.byKind[k] > 0).length

export const BADGES: BadgeDef[] = [
  { key: 'on_fire', emoji: '🔥', decay: [0, 0], rule: (s) => s.streak >= 5, en: ['On Fire', 'A streak of 5 days or more'], he: ['בוער', 'רצף של 5 ימים ומעלה'] },
  { key: 'warm_streak', emoji: '♨️', decay: [0, 0], rule: (s) => s.streak >= 3 && s.streak <= 4, en: ['Warm Streak', 'A streak of 3-4 days'], he: ['רצף חם', 'רצף של 3-4 ימים'] },
  { key: 'night_owl', emoji: '🦉', decay: [7, 1], rule: (s) => s.nightOwl, en: ['Night Owl', 'Active between 22:00 and 04:59'], he: ['ינשוף לילה', 'פעילות בין 22:00 ל-04:59'] },
  { key: 'early_bird', emoji: '🐦', decay: [7, 1], rule: (s) => s.earlyBird, en: ['Early Bird', 'Active between 05:00 and 07:59'], he: ['משכים קום', 'פעילות בין 05:00 ל-07:59'] },
  { key: 'weekend_warrior', emoji: '🏖️', decay: [7, 1], rule: (s) => s.weekend, en: ['Weekend Warrior', 'Active on a weekend day'], he: ['לוחם סוף שבוע', 'פעילות בסוף השבוע'] },
  { key: 'rare_find', emoji: '💎', decay: [21, 3], rule: (s) => s.rareFinds >= 1, en: ['Rare Find', 'First IOC with a new country, TLD or email domain'], he: ['מציאה נדירה', 'ה-IOC הראשון עם מדינה, סיומת או דומיין דוא"ל חדשים'] },
  { key: 'dedicated', emoji: '💪', decay: [30, 5], rule: (s) => s.iocs >= 30, en: ['Dedicated', '30 IOCs or more'], he: ['מסור', '30 IOC ומעלה'] },
  { key: 'veteran', emoji: '🎖️', decay: [45, 7], rule: (s) => s.iocs >= 80, en: ['Veteran', '80 IOCs or more'], he: ['ותיק', '80 IOC ומעלה'] },
  { key: 'clean_slate', emoji: '🧽', decay: [14, 3], rule: (s) => s.expiredDeletions >= 1, en: ['Clean Slate', 'Deleted an expired IOC'], he: ['דף נקי', 'מחק IOC שפג תוקפו'] },
  { key: 'janitor', emoji: '🧹', decay: [21, 3], rule: (s) => s.expiredDeletions >= 5, en: ['Janitor', 'Deleted 5 expired IOCs'], he: ['שרת', 'מחק 5 IOC שפג תוקפם'] },
  { key: 'cleanup_crew', emoji: '🚮', decay: [21, 3], rule: (s) => s.expiredDeletions >= 15, en: ['Cleanup Crew', 'Deleted 15 expired IOCs'], he: ['צוות ניקיון', 'מחק 15 IOC שפג תוקפם'] },
  { key: 'team_player', emoji: '🤝', decay: [21, 3], rule: (s) => s.campaignIocs >= 1, en: ['Team Player', 'An IOC linked to a campaign'], he: ['שחקן קבוצתי', 'IOC מקושר לקמפיין'] },
  { key: 'campaign_master', emoji: '🗺️', decay: [30, 5], rule: (s) => s.campaignIocs >= 10, en: ['Campaign Master', '10 campaign-linked IOCs'], he: ['אלוף הקמפיינים', '10 IOC מקושרים לקמפיינים'] },
  { key: 'yara_rookie', emoji: '🐣', decay: [21, 5], rule: (s) => s.yara >= 1, en: ['YARA Rookie', 'An approved YARA rule'], he: ['טירון YARA', 'חוק YARA מאושר'] },
  { key: 'yara_master', emoji: '🧙', decay: [30, 5], rule: (s) => s.yara >= 3, en: ['YARA Master', '3 approved YARA rules'], he: ['מאסטר YARA', '3 חוקי YARA מאושרים'] },
  { key: 'yara_legend', emoji: '🐉', decay: [45, 7], rule: (s) => s.yara >= 8, en: ['YARA Legend', '8 approved YARA rules'], he: ['אגדת YARA', '8 חוקי YARA מאושרים'] },
  { key: 'hash_hunter', emoji: '#️⃣', decay: [21, 3], rule: (s) => s.byKind.hash >= 10, en: ['Hash Hunter', '10 hash IOCs'], he: ['צייד גיבובים', '10 IOC מסוג Hash'] },
  { key: 'domain_scout', emoji: '🌐', decay: [21, 3], rule: (s) => s.byKind.domain >= 15, en: ['Domain Scout', '15 domains'], he: ['סייר דומיינים', '15 דומיינים'] },
  { key: 'ip_tracker', emoji: '📡', decay: [21, 3], rule: (s) => s.byKind.ip >= 25, en: ['IP Tracker', '25 IPs'], he: ['עוקב IP', '25 כתובות IP'] },
  { key: 'url_surfer', emoji: '🏄', decay: [21, 3], rule: (s) => s.byKind.url >= 10, en: ['URL Surfer', '10 URLs'], he: ['גולש URL', '10 כתובות URL'] },
  { key: 'phish_buster', emoji: '🎣', decay: [21, 3], rule: (s) => s.byKind.email >= 5, en: ['Phish Buster', '5 emails'], he: ['מפצח פישינג', '5 כתובות דוא"ל'] },
  { key: 'triple_threat', emoji: '🎯', decay: [21, 5], rule: (s) => kinds(s) >= 3, en: ['Triple Threat', '3 kinds of IOC'], he: ['איום משולש', '3 סוגי IOC'] },
  { key: 'all_rounder', emoji: '🏅', decay: [30, 5], rule: (s) => kinds(s) === 5, en: ['All-Rounder', 'All 5 kinds of IOC'], he: ['רב-תחומי', 'כל 5 סוגי ה-IOC'] },
  { key: 'consistent', emoji: '📅', decay: [10, 5], rule: (s) => s.activeDays >= 7, en: ['Consistent', '7 active days'], he: ['עקבי', '7 ימי פעילות'] },
  { key: 'ever_present', emoji: '🗓️', decay: [14, 7], rule: (s) => s.activeDays >= 15, en: ['Ever Present', '15 active days'], he: ['תמיד כאן', '15 ימי פעילות'] },
]

export interface Badge {
  key: string
  emoji: string
  label: { en: string; he: string }
  description: { en: string; he: string }
}

export const badgeView = (b: BadgeDef): Badge => ({
  key: b.key,
  emoji: b.emoji,
  label: { en: b.en[0], he: b.he[0] },
  description: { en: b.en[1], he: b.he[1] },
})

/** Badges whose rule holds and whose decay has not run out since the last activity. */
export function earnedBadges(
  stats: ActivityStats,
  extra: { streak: number; rareFinds: number },
  method: ScoringMethod,
  now: Date,
  tz: string,
): Badge[] {
  if (!stats.lastActivity) return []
  const today = localParts(now, tz).date
  const last = localParts(stats.lastActivity, tz).date
  const idle = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${last}T00:00:00Z`)) / 86_400_000)
  const s = { ...stats, ...extra }
  return BADGES.filter((b) => b.rule(s) && idle <= b.decay[method === 8 ? 1 : 0]).map(badgeView)
}

/** Standard competition ranking (1, 2, 2, 4); ties shown in username order. */
export function rankRows<T extends { score: number; username: string }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score || a.username.localeCompare(b.username))
  let rank = 0
  return sorted.map((r, i) => {
    if (i === 0 || r.score !== sorted[i - 1].score) rank = i + 1
    return { ...r, rank }
  })
}
