import type { ExportQuery, Ioc } from '../../schema/contracts/iocs'
import { csvRow } from '../domain/csv'
import type { Db } from '../env'
import { listIocs } from '../repos/iocs'

const PAGE = 500
const CSV_HEADER = ['id', 'type', 'value', 'status', 'expires_at', 'ticket', 'campaign', 'tags', 'confidence', 'severity', 'comment', 'submitted_by', 'created_at']

const csvLine = (i: Ioc) =>
  csvRow(
    [i.id, i.type, i.value, i.status, i.expiresAt ?? 'permanent', i.ticket, i.campaign?.name ?? '', i.tags.join(' '), i.confidence, i.severity, i.comment, i.createdBy.username, i.createdAt],
    true,
  )

/**
 * Every IOC a search matches, streamed page by page (keyset pagination), so an export of a million
 * rows never sits in memory: CSV for people (formula cells neutralised), JSON for tools, plain
 * text (one value per line) for anything else.
 */
export function exportIocs(db: Db, q: ExportQuery & { canonical?: string }, nowIso: string): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  let cursor: string | undefined
  let first = true
  let done = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return
      const page = await listIocs(db, { ...q, limit: PAGE, cursor }, nowIso)
      let out = ''
      if (first) {
        if (q.format === 'csv') out += csvRow(CSV_HEADER)
        if (q.format === 'json') out += '['
      }
      for (const [n, ioc] of page.items.entries()) {
        if (q.format === 'csv') out += csvLine(ioc)
        else if (q.format === 'txt') out += ioc.value + '\n'
        else out += (first && n === 0 ? '' : ',') + JSON.stringify(ioc)
      }
      first = false
      cursor = page.nextCursor ?? undefined
      if (!cursor) {
        done = true
        if (q.format === 'json') out += ']\n'
      }
      if (out) controller.enqueue(enc.encode(out))
      if (done) controller.close()
    },
  })
}
