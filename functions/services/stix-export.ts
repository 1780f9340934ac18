import { identityId, identityObject, indicatorObject, type IndicatorData } from '../domain/stix'
import { identityVersion, pageActive } from '../repos/taxii'

const PAGE = 2000

/**
 * A STIX 2.1 bundle of every active indicator of `kinds` (plus the Moat identity), streamed in
 * keyset pages so a million indicators never sit in memory. It reads the published versions, so
 * ids, versions and content are exactly what TAXII serves.
 */
export function streamBundle(d1: D1Database, kinds: string[], nowIso: string): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  let after: string | null = null
  let started = false
  let identity = ''
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        identity = await identityId()
        const row = await identityVersion(d1)
        const since = row?.created ?? nowIso
        const who = identityObject({ id: identity, created: since, modified: row?.modified ?? since, revoked: false })
        controller.enqueue(enc.encode(`{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[${JSON.stringify(who)}`))
        return
      }
      const rows = await pageActive(d1, kinds, nowIso, after, PAGE)
      if (rows.length) {
        after = rows[rows.length - 1].dateAdded
        const meta = (r: (typeof rows)[number]) => ({ id: r.stixId, created: r.created, modified: r.modified, revoked: false })
        controller.enqueue(enc.encode(rows.map((r) => ',' + JSON.stringify(indicatorObject(meta(r), JSON.parse(r.data) as IndicatorData, identity))).join('')))
      }
      if (rows.length < PAGE) {
        controller.enqueue(enc.encode(']}\n'))
        controller.close()
      }
    },
  })
}
