import { describe, expect, it } from 'vitest'
import { decide, type IocSnapshotRow, type PublishedHead } from '../../functions/domain/stix-publish'

const NOW = '2026-05-01T12:00:00.000Z'
const row = (over: Partial<IocSnapshotRow> = {}): IocSnapshotRow => ({
  id: 1,
  type: 'domain',
  value: 'evil.example',
  incarnation: 1,
  comment: '',
  tags: [],
  confidence: 70,
  ticket: 'INC-1',
  createdAt: '2026-05-01T10:00:00.000Z',
  updatedAt: '2026-05-01T10:00:00.000Z',
  expiresAt: '2026-08-01T00:00:00.000Z',
  deletedAt: null,
  excludedAt: null,
  allowlistedBy: null,
  ...over,
})

function headOf(r: IocSnapshotRow, over: Partial<PublishedHead> = {}): PublishedHead {
  const d = decide(r, null, NOW, null)
  if (d.action !== 'new-object') throw new Error('expected a new object')
  return { stixId: 'indicator--a', created: d.created, modified: d.modified, revoked: false, data: d.data, objects: 1, ...over }
}

describe('decide', () => {
  it('publishes a served row once, with created = submission time', () => {
    const d = decide(row(), null, NOW, null)
    expect(d).toMatchObject({ action: 'new-object', reissue: 0, created: '2026-05-01T10:00:00.000Z', modified: '2026-05-01T10:00:00.000Z' })
    expect(decide(row(), headOf(row()), NOW, null)).toEqual({ action: 'none' })
  })

  it('never publishes a row that is not served when first seen', () => {
    for (const r of [row({ deletedAt: NOW }), row({ excludedAt: NOW }), row({ allowlistedBy: 3 }), row({ expiresAt: '2026-05-01T11:00:00.000Z' })]) {
      expect(decide(r, null, NOW, null)).toEqual({ action: 'none' })
    }
  })

  it('makes an edit a new version with a later modified; fields STIX does not carry change nothing', () => {
    const head = headOf(row())
    const edited = row({ comment: 'now with a note', updatedAt: '2026-05-01T11:00:00.000Z' })
    expect(decide(edited, head, NOW, null)).toMatchObject({ action: 'new-version', revoked: false, modified: '2026-05-01T11:00:00.000Z', data: { comment: 'now with a note' } })
    // Same millisecond as the previous version: still strictly later.
    const sameMs = decide(row({ tags: ['x'] }), head, NOW, null)
    expect(sameMs).toMatchObject({ action: 'new-version', modified: '2026-05-01T10:00:00.001Z' })
    expect(decide(row({ updatedAt: '2026-05-01T11:30:00.000Z' }), head, NOW, null)).toEqual({ action: 'none' })
    expect(decide(row(), head, NOW, 'amber')).toMatchObject({ action: 'new-version', data: { tlp: 'amber' } })
  })

  it('revokes at the time of removal, with valid_until no later than it', () => {
    const head = headOf(row())
    expect(decide(row({ deletedAt: '2026-05-01T11:00:00.000Z' }), head, NOW, null)).toMatchObject({
      action: 'new-version',
      revoked: true,
      modified: '2026-05-01T11:00:00.000Z',
      data: { validUntil: '2026-05-01T11:00:00.000Z' },
    })
    expect(decide(row({ excludedAt: '2026-05-01T11:05:00.000Z' }), head, NOW, null)).toMatchObject({ revoked: true, modified: '2026-05-01T11:05:00.000Z' })
    expect(decide(row({ allowlistedBy: 4 }), head, NOW, null, '2026-05-01T11:10:00.000Z')).toMatchObject({ revoked: true, modified: '2026-05-01T11:10:00.000Z' })
    expect(decide(row({ allowlistedBy: 4 }), head, NOW, null)).toMatchObject({ revoked: true, modified: NOW })
    const expired = decide(row({ expiresAt: '2026-05-01T11:30:00.000Z' }), head, NOW, null)
    expect(expired).toMatchObject({ revoked: true, modified: '2026-05-01T11:30:00.000Z', data: { validUntil: '2026-05-01T11:30:00.000Z' } })
  })

  it('keeps a revocation final: nothing more for that object, a return is a new object', () => {
    const revoked = headOf(row(), { revoked: true, modified: '2026-05-01T11:00:00.000Z' })
    expect(decide(row({ deletedAt: '2026-05-01T11:00:00.000Z' }), revoked, NOW, null)).toEqual({ action: 'none' })
    const back = decide(row({ updatedAt: '2026-05-01T11:45:00.000Z' }), revoked, NOW, null)
    expect(back).toMatchObject({ action: 'new-object', reissue: 1, created: '2026-05-01T11:45:00.000Z' })
    const third = decide(row({ updatedAt: '2026-05-01T11:50:00.000Z' }), { ...revoked, objects: 2 }, NOW, null, '2026-05-01T11:55:00.000Z')
    expect(third).toMatchObject({ action: 'new-object', reissue: 2, created: '2026-05-01T11:55:00.000Z' })
  })
})
