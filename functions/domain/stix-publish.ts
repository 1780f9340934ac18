/**
 * What the STIX publisher does with one IOC row (pure): compare the row as it is now with the
 * newest published version of its object and decide whether a new version, a revocation or a
 * new object is due. Repeating the decision is harmless: an unchanged row yields nothing.
 */
import type { IocType } from './ioc'
import type { IndicatorData, Tlp } from './stix'

export interface IocSnapshotRow {
  id: number
  type: IocType
  value: string
  incarnation: number
  comment: string
  tags: string[]
  confidence: number
  ticket: string
  createdAt: string
  updatedAt: string
  expiresAt: string | null
  deletedAt: string | null
  excludedAt: string | null
  allowlistedBy: number | null
}

export interface PublishedHead {
  stixId: string
  created: string
  modified: string
  revoked: boolean
  data: IndicatorData
  /** Objects published for this row so far (a revoked one stays revoked; a return is a new object). */
  objects: number
}

export type Decision =
  | { action: 'none' }
  | { action: 'new-object'; reissue: number; created: string; modified: string; data: IndicatorData }
  | { action: 'new-version'; modified: string; revoked: boolean; data: IndicatorData }

const later = (a: string, b: string) => (a > b ? a : b)
const plusMs = (iso: string, ms = 1) => new Date(Date.parse(iso) + ms).toISOString()

/** Why the row is out of the feeds, and since when (null while it is served). */
export function removal(row: IocSnapshotRow, nowIso: string, changeAt: string | undefined): string | null {
  if (row.deletedAt) return row.deletedAt
  if (row.excludedAt) return row.excludedAt
  if (row.expiresAt && row.expiresAt <= nowIso) return row.expiresAt
  // Allowlisting leaves no timestamp on the row; the history event (or now) tells when.
  if (row.allowlistedBy !== null) return changeAt ?? nowIso
  return null
}

export function snapshot(row: IocSnapshotRow, tlp: Tlp | null, validUntil = row.expiresAt): IndicatorData {
  return {
    type: row.type,
    value: row.value,
    comment: row.comment,
    tags: row.tags,
    confidence: row.confidence,
    ticket: row.ticket,
    validFrom: row.createdAt,
    validUntil,
    ...(tlp ? { tlp } : {}),
  }
}

const same = (a: IndicatorData, b: IndicatorData) =>
  a.comment === b.comment &&
  a.confidence === b.confidence &&
  a.ticket === b.ticket &&
  a.validUntil === b.validUntil &&
  (a.tlp ?? null) === (b.tlp ?? null) &&
  JSON.stringify(a.tags) === JSON.stringify(b.tags)

/**
 * The next step for one row. `changeAt` is the time of the newest history event seen for it (the
 * moment of the change when the row itself does not say, as for allowlisting).
 */
export function decide(row: IocSnapshotRow, head: PublishedHead | null, nowIso: string, tlp: Tlp | null, changeAt?: string): Decision {
  const removedAt = removal(row, nowIso, changeAt)
  if (removedAt !== null) {
    if (!head || head.revoked) return { action: 'none' }
    // The final version: removal time, and a valid_until no later than it, for clients that ignore `revoked`.
    const modified = later(removedAt, plusMs(head.modified))
    const until = row.expiresAt && row.expiresAt < removedAt ? row.expiresAt : removedAt
    return { action: 'new-version', modified, revoked: true, data: snapshot(row, tlp, until) }
  }
  const data = snapshot(row, tlp)
  if (!head) {
    const modified = later(row.updatedAt, row.createdAt)
    return { action: 'new-object', reissue: 0, created: row.createdAt, modified, data }
  }
  if (head.revoked) {
    // Back after a revocation (unexcluded, expiry extended, allowlist entry removed): a new object.
    const at = later(row.updatedAt, changeAt ?? row.updatedAt)
    return { action: 'new-object', reissue: head.objects, created: at, modified: at, data }
  }
  if (same(head.data, data)) return { action: 'none' }
  return { action: 'new-version', modified: later(later(row.updatedAt, changeAt ?? ''), plusMs(head.modified)), revoked: false, data }
}
