import { describe, expect, it } from 'vitest'
import { isAnalystTicket, scoreUser, streakDays, yaraPoints, type ScoringEvent } from '../../functions/domain/champs'
import { activityStats, earnedBadges, levelInfo, nickname, rankRows } from '../../functions/domain/champs-profile'

// One analyst's history, scored by hand under every method below. "Now" is Monday 2026-11-23
// 12:00 UTC; the time zone is UTC unless a test says otherwise.
const now = new Date('2026-11-23T12:00:00.000Z')
const ctx = { now, timeZone: 'UTC' }

const ioc = (over: Partial<Extract<ScoringEvent, { kind: 'ioc' }>>): ScoringEvent => ({
  kind: 'ioc',
  at: '2026-11-23T09:00:00.000Z',
  iocType: 'domain',
  campaign: false,
  comment: '',
  ticket: 'INC-1',
  tags: 0,
  expires: false,
  bulk: false,
  ...over,
})

const dana: ScoringEvent[] = [
  // single domain, campaign, 47-char comment, own ticket, 2 tags, expiry
  ioc({ at: '2026-11-23T09:00:00.000Z', campaign: true, comment: 'Phishing landing page seen in the Acme campaign', ticket: 'INC-4711', tags: 2, expires: true }),
  // three bulk IPs on Sunday night, a 16-char comment repeated on all three, auto ticket, expiry
  ioc({ at: '2026-11-22T23:30:00.000Z', count: 3, iocType: 'ip', comment: 'bulk from report', ticket: 'DA-20261122-2330', expires: true, bulk: true }),
  // single sha256 on Saturday morning, 3 tags, permanent
  ioc({ at: '2026-11-21T06:15:00.000Z', iocType: 'sha256', ticket: 'INC-1', tags: 3 }),
  { kind: 'yara', at: '2026-11-10T10:00:00.000Z', quality: 27, campaign: true },
  { kind: 'deletion', at: '2026-11-23T10:00:00.000Z', expired: true },
  { kind: 'campaign', at: '2026-10-01T10:00:00.000Z' },
  { kind: 'link', at: '2026-11-20T10:00:00.000Z' },
  { kind: 'note', at: '2026-11-23T11:00:00.000Z', length: 120 },
  // a URL from last year, MISP ticket
  ioc({ at: '2025-06-01T10:00:00.000Z', iocType: 'url', ticket: 'MISP-1' }),
]

describe('yaraPoints and tickets', () => {
  it('clamps YARA quality to 10..50 and gives 25 without a quality', () => {
    expect([yaraPoints(null), yaraPoints(5), yaraPoints(27), yaraPoints(80)]).toEqual([25, 10, 27, 50])
  })

  it('does not count auto or MISP tickets as the analyst’s own', () => {
    expect([isAnalystTicket('INC-4711'), isAnalystTicket('DA-20261122-2330'), isAnalystTicket('MISP-9'), isAnalystTicket(' ')]).toEqual([true, false, false, false])
  })
})

describe('method #1 weighted + streak', () => {
  it('sums 3+6+2+27+1+1+1+2 = 43 and adds floor(43 × 10%) = 4 for a 4-day streak', () => {
    expect(scoreUser(1, dana, ctx)).toEqual({ score: 47, base: 43, streakDays: 4, streakBonusApplied: true })
  })

  it('gives no bonus for a 2-day streak', () => {
    const two = [ioc({ at: '2026-11-23T08:00:00.000Z' }), ioc({ at: '2026-11-22T08:00:00.000Z' }), { kind: 'yara', at: '2026-11-01T00:00:00.000Z', quality: 50, campaign: false } as ScoringEvent]
    expect(scoreUser(1, two, ctx)).toEqual({ score: 54, base: 54, streakDays: 2, streakBonusApplied: false })
  })

  it('counts the streak in the configured time zone and only up to today', () => {
    // 23:30 UTC on the 20th is the 21st in Jerusalem (UTC+2): days 21, 22, 23 there.
    const evts = [ioc({ at: '2026-11-20T23:30:00.000Z' }), ioc({ at: '2026-11-22T09:00:00.000Z' }), ioc({ at: '2026-11-23T09:00:00.000Z' })]
    expect(streakDays(evts, now, 'UTC')).toBe(2)
    expect(streakDays(evts, now, 'Asia/Jerusalem')).toBe(3)
    expect(streakDays(evts, new Date('2026-11-24T12:00:00.000Z'), 'UTC')).toBe(0)
  })
})

describe('methods #2 to #8 on the same history', () => {
  it('#2 flat: 6 IOCs + 1 approved YARA rule = 7', () => {
    expect(scoreUser(2, dana, ctx).score).toBe(7)
  })

  it('#3 by type: domain 2 + 3 IPs × 3 + sha256 4 + url 3 + YARA 27 + deletion, campaign, link = 48', () => {
    expect(scoreUser(3, dana, ctx).score).toBe(48)
  })

  it('#4 campaign focus: 5 + 3 + 1 + 1 + campaign 3 + link 2 + floor(27 × 1.5) 40 + deletion 1 = 56', () => {
    expect(scoreUser(4, dana, ctx).score).toBe(56)
    expect(scoreUser(4, [{ kind: 'yara', at: now.toISOString(), quality: 27, campaign: false }], ctx).score).toBe(27)
  })

  it('#5 time decay: 3 + 6 + 2 + 27×0.5 + 1 + 1×0.25 + 1 + 0 = 26.75, floored to 26', () => {
    expect(scoreUser(5, dana, ctx)).toEqual({ score: 26, base: 26, streakDays: 0, streakBonusApplied: false })
  })

  it('#6 quality: 5 + 3×2 + 3 + 1 + YARA 27 + deletion 1 + note 1 = 44', () => {
    expect(scoreUser(6, dana, ctx).score).toBe(44)
  })

  it('#7 without a goal scores like #1', () => {
    expect(scoreUser(7, dana, { ...ctx, goal: null }).score).toBe(47)
  })

  it('#7 with a reached IOC goal this week: 3×2 + deletion 1×0.5 + 20 = 26.5 → 26', () => {
    const goal = { goalType: 'ioc_add' as const, start: '2026-11-23T00:00:00.000Z', end: '2026-11-30T00:00:00.000Z', reached: true }
    expect(scoreUser(7, dana, { ...ctx, goal }).score).toBe(26)
    expect(scoreUser(7, dana, { ...ctx, goal: { ...goal, reached: false } }).score).toBe(6)
    // a deletion goal: the deletion doubles (2), the IOC halves (1.5), bonus 20 → 23.5 → 23
    expect(scoreUser(7, dana, { ...ctx, goal: { ...goal, goalType: 'deletion' } }).score).toBe(23)
    // YARA goal, nothing matching in the period: no bonus: 1.5 + 0.5 = 2
    expect(scoreUser(7, dana, { ...ctx, goal: { ...goal, goalType: 'yara_add' } }).score).toBe(2)
  })

  it('#8 smart: 5 + 3×1 + 4 + YARA 27 + note 2 + campaign 1 + link 1 + deletion 1 = 44 (last year’s URL is out of the window)', () => {
    expect(scoreUser(8, dana, ctx).score).toBe(44)
  })
})

describe('method #6 details', () => {
  it('scores a quick deletion of an allowlisted or critical IOC 0', () => {
    expect(scoreUser(6, [ioc({ tags: 1, expires: true, penalized: true })], ctx).score).toBe(0)
  })

  it('gives at most 3 note points per day, only for notes of 50+ characters', () => {
    const notes: ScoringEvent[] = [60, 70, 80, 90, 49].map((length) => ({ kind: 'note', at: '2026-11-23T08:00:00.000Z', length }))
    notes.push({ kind: 'note', at: '2026-11-22T08:00:00.000Z', length: 55 })
    expect(scoreUser(6, notes, ctx).score).toBe(4)
  })

  it('drops the comment bonus for a comment repeated on 3 IOCs that day, and for [MISP] comments', () => {
    const c = 'Seen beaconing to the C2 every 60 s'
    const auto = 'DA-20261123-0900'
    expect(scoreUser(6, [ioc({ comment: c, ticket: auto }), ioc({ comment: c, ticket: auto })], ctx).score).toBe(4)
    expect(scoreUser(6, [ioc({ comment: c, ticket: auto, count: 3 })], ctx).score).toBe(3)
    expect(scoreUser(6, [ioc({ comment: '[MISP] event 1234 attribute import' })], ctx).score).toBe(2)
  })
})

describe('method #8 details', () => {
  it('keeps the comment bonus on single submissions even when repeated', () => {
    const c = 'same words here'
    expect(scoreUser(8, [ioc({ comment: c, count: 3 })], ctx).score).toBe(9)
    expect(scoreUser(8, [ioc({ comment: c, count: 3, bulk: true })], ctx).score).toBe(3)
  })

  it('gives 8 at most: single 2 + long comment 3 + campaign 1 + 3 tags 2', () => {
    expect(scoreUser(8, [ioc({ comment: 'x'.repeat(300), campaign: true, tags: 5 })], ctx).score).toBe(8)
  })

  it('scores notes 1 / 2 / 3 by length', () => {
    const notes: ScoringEvent[] = [99, 100, 300].map((length) => ({ kind: 'note', at: now.toISOString(), length }))
    expect(scoreUser(8, notes, ctx).score).toBe(6)
  })
})

describe('levels', () => {
  it('places scores on the 26 thresholds', () => {
    expect(levelInfo(0)).toEqual({ level: 1, xp_in_level: 0, xp_to_next: 200, level_width: 200 })
    expect(levelInfo(199)).toEqual({ level: 1, xp_in_level: 199, xp_to_next: 1, level_width: 200 })
    expect(levelInfo(200)).toEqual({ level: 2, xp_in_level: 0, xp_to_next: 250, level_width: 250 })
    expect(levelInfo(1234)).toEqual({ level: 5, xp_in_level: 134, xp_to_next: 266, level_width: 400 })
    expect(levelInfo(59000)).toEqual({ level: 26, xp_in_level: 0, xp_to_next: null, level_width: null })
    expect(levelInfo(60500).xp_in_level).toBe(1500)
  })
})

describe('ranking and nicknames', () => {
  it('uses competition ranking with ties in username order', () => {
    const ranked = rankRows([
      { username: 'dana', score: 10 },
      { username: 'carl', score: 20 },
      { username: 'bob', score: 20 },
      { username: 'eve', score: 5 },
    ])
    expect(ranked.map((r) => `${r.username}:${r.rank}`)).toEqual(['bob:1', 'carl:1', 'dana:3', 'eve:4'])
  })

  it('names the dominant kind, hashes together, ties in IP-Domain-URL-Hash-Email-YARA order', () => {
    const stats = activityStats(dana, 'UTC', [5, 6])
    expect(stats.byKind).toEqual({ ip: 3, domain: 1, url: 1, hash: 1, email: 0, yara: 1 })
    expect(nickname(stats).key).toBe('network_hunter')
    const tie = activityStats([ioc({ iocType: 'md5' }), ioc({ iocType: 'sha1' }), ioc({ iocType: 'email' }), ioc({ iocType: 'email' })], 'UTC', [])
    expect(nickname(tie).key).toBe('malware_slayer')
    expect(nickname(activityStats([], 'UTC', [])).key).toBe('threat_hunter')
  })
})

describe('badges', () => {
  it('awards the badges whose rule holds while the analyst is active', () => {
    const stats = activityStats(dana, 'UTC', [5, 6])
    const keys = earnedBadges(stats, { streak: 4, rareFinds: 1 }, 1, now, 'UTC').map((b) => b.key)
    expect(keys).toEqual(['warm_streak', 'night_owl', 'early_bird', 'weekend_warrior', 'rare_find', 'clean_slate', 'team_player', 'yara_rookie', 'triple_threat', 'consistent'])
  })

  it('lets badges decay: 10 idle days keep the 21-day ones for methods 1-7, none of them for method 8', () => {
    const later = new Date('2026-12-03T12:00:00.000Z')
    const stats = activityStats(dana, 'UTC', [5, 6])
    expect(earnedBadges(stats, { streak: 0, rareFinds: 1 }, 1, later, 'UTC').map((b) => b.key)).toEqual([
      'rare_find', 'clean_slate', 'team_player', 'yara_rookie', 'triple_threat', 'consistent',
    ])
    expect(earnedBadges(stats, { streak: 0, rareFinds: 1 }, 8, later, 'UTC')).toEqual([])
  })

  it('counts 30 IOCs as dedicated and all five kinds as all-rounder', () => {
    const many = [ioc({ count: 26 }), ioc({ iocType: 'ip' }), ioc({ iocType: 'url' }), ioc({ iocType: 'md5' }), ioc({ iocType: 'email' })]
    const keys = earnedBadges(activityStats(many, 'UTC', []), { streak: 1, rareFinds: 0 }, 1, now, 'UTC').map((b) => b.key)
    expect(keys).toEqual(['dedicated', 'domain_scout', 'triple_threat', 'all_rounder'])
  })
})
