// A MISP server for tests: a real Node HTTP(S) server answering `/attributes/restSearch` and
// `/servers/getVersion` from the real event files in ../shared/data/misp/events/ (unmodified,
// read at start). restSearch answers are built the way MISP builds them: every attribute of every
// event (objects' attributes too) with its `Event` summary, event tags merged into `Tag`
// (includeEventTags), filtered by the request, paged by page/limit, counted in X-Result-Count.
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export const MISP_EVENTS_DIR = path.resolve('../shared/data/misp/events')

type Json = Record<string, any>

export interface FakeAttribute extends Json {
  uuid: string
  type: string
  value: string
  to_ids: boolean
  deleted: boolean
  timestamp: string
}

export interface RecordedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: any
}

/** The events of one file, whatever wrapper it uses (data/README.md section 2). */
export function eventsOf(json: any): Json[] {
  if (json?.Event) return [json.Event]
  if (Array.isArray(json?.response)) return json.response.map((e: Json) => e.Event ?? e)
  return [json]
}

/** Every attribute of every event file, as /attributes/restSearch returns them. */
export function loadAttributes(files = readdirSync(MISP_EVENTS_DIR).filter((f) => f.endsWith('.json')).sort()) {
  const out: (FakeAttribute & { _event: Json })[] = []
  let syntheticEventId = 90000
  for (const file of files) {
    for (const ev of eventsOf(JSON.parse(readFileSync(path.join(MISP_EVENTS_DIR, file), 'utf8')))) {
      // A few PyMISP test events were exported without ids; MISP always has one.
      const eventId = String(ev.id ?? ++syntheticEventId)
      const eventTags = (ev.Tag ?? []) as Json[]
      const summary = {
        org_id: String(ev.org_id ?? '1'),
        distribution: String(ev.distribution ?? '1'),
        id: eventId,
        info: ev.info ?? '',
        orgc_id: String(ev.orgc_id ?? '1'),
        uuid: ev.uuid,
      }
      // Shared by the event's attributes: publishing the event (publish()) changes them all.
      const meta = { published: ev.published === true || ev.published === '1', publish_timestamp: Number(ev.publish_timestamp ?? 0), uuid: ev.uuid, id: eventId }
      const attrs: Json[] = [...(ev.Attribute ?? []), ...((ev.Object ?? []) as Json[]).flatMap((o) => o.Attribute ?? [])]
      for (const a of attrs) {
        if (!a.uuid) continue
        const own = (a.Tag ?? []) as Json[]
        const tags = [...own, ...eventTags.filter((t) => !own.some((o) => o.name === t.name)).map((t) => ({ ...t, inherited: 1 }))]
        const { ShadowAttribute, RelatedAttribute, Sighting, Galaxy, SharingGroup, ...rest } = a
        out.push({
          ...rest,
          uuid: a.uuid,
          type: a.type,
          value: a.value,
          id: String(a.id ?? out.length + 1),
          event_id: eventId,
          object_id: String(a.object_id ?? '0'),
          to_ids: a.to_ids === true || a.to_ids === '1' || a.to_ids === 1,
          deleted: a.deleted === true || a.deleted === '1',
          timestamp: String(a.timestamp),
          Event: summary,
          Tag: tags,
          _event: meta,
        } as FakeAttribute & { _event: Json })
      }
    }
  }
  return out
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])
const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true'

/** MISP's restSearch filters, as far as Moat uses them. */
export function matches(a: FakeAttribute & { _event: Json }, body: Json, nowSeconds: number): boolean {
  const types = asList(body.type)
  if (types.length && !types.includes(a.type)) return false
  if (body.to_ids !== undefined && truthy(body.to_ids) !== a.to_ids) return false
  if (truthy(body.published) && !a._event.published) return false
  if (body.timestamp !== undefined && Number(a.timestamp) < Number(body.timestamp)) return false
  // `last` and `publish_timestamp`: the event was published at or after a time, relative or epoch.
  for (const since of [body.last, body.publish_timestamp]) {
    if (since === undefined) continue
    const m = /^(\d+)([dhm])$/.exec(String(since))
    const from = m ? nowSeconds - Number(m[1]) * { d: 86400, h: 3600, m: 60 }[m[2] as 'd' | 'h' | 'm'] : Number(since)
    if (!Number.isFinite(from) || !a._event.published || a._event.publish_timestamp < from) return false
  }
  const uuids = asList(body.uuid)
  if (uuids.length && !uuids.includes(a.uuid)) return false
  const deleted = asList(body.deleted ?? 0).map((d) => truthy(d))
  if (!deleted.includes(a.deleted)) return false
  if (body.tags) {
    const names = (a.Tag as Json[]).map((t) => t.name)
    const or = Array.isArray(body.tags) ? body.tags.filter((t: string) => !t.startsWith('!')) : (body.tags.OR ?? [])
    const not = Array.isArray(body.tags) ? body.tags.filter((t: string) => t.startsWith('!')).map((t: string) => t.slice(1)) : (body.tags.NOT ?? [])
    if (or.length && !or.some((t: string) => names.includes(t))) return false
    if (not.some((t: string) => names.includes(t))) return false
  }
  return true
}

export interface FakeMisp {
  url: string
  key: string
  requests: RecordedRequest[]
  attributes: (FakeAttribute & { _event: Json })[]
  /** MISP's clock (epoch seconds), for `last`. */
  now: number
  /** Answers to send instead of the real one, first in first out. */
  failNext: { status: number; body: string; contentType?: string }[]
  /** An answer to send instead of the real one for the restSearch bodies it returns one for. */
  failWhen: ((body: any) => { status: number; body: string; contentType?: string } | null) | null
  /** Never answer restSearch (a hung MISP). */
  hang: boolean
  restSearches(): RecordedRequest[]
  find(pred: (a: FakeAttribute) => boolean): FakeAttribute & { _event: Json }
  /** An edit in MISP: the attribute's timestamp moves to `now`. */
  touch(uuid: string, patch?: Partial<FakeAttribute>): void
  /** Publishing (or unpublishing) an event; its attributes keep their timestamps, as in MISP. */
  publish(eventId: string, published?: boolean): void
  close(): Promise<void>
}

export async function startFakeMisp(opts: { key: string; now: number; tls?: { key: string; cert: string } }): Promise<FakeMisp> {
  const fake: FakeMisp = {
    url: '',
    key: opts.key,
    requests: [],
    attributes: loadAttributes(),
    now: opts.now,
    failNext: [],
    failWhen: null,
    hang: false,
    restSearches: () => fake.requests.filter((r) => r.path === '/attributes/restSearch'),
    find(pred) {
      const a = fake.attributes.find(pred)
      if (!a) throw new Error('no such attribute in the fixtures')
      return a
    },
    touch(uuid, patch = {}) {
      const a = fake.find((x) => x.uuid === uuid)
      Object.assign(a, patch, { timestamp: String(fake.now) })
    },
    publish(eventId, published = true) {
      const a = fake.find((x) => x.event_id === eventId)
      a._event.published = published
      if (published) a._event.publish_timestamp = fake.now
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    },
  }
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: any = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        // recorded as text
      }
      const url = new URL(req.url ?? '/', 'http://misp')
      fake.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body })
      const send = (status: number, payload: string, type = 'application/json', extra: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': type, ...extra })
        res.end(payload)
      }
      if (req.headers.authorization !== fake.key) {
        return send(403, JSON.stringify({ name: 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.', message: 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.', url: url.pathname }))
      }
      if (req.method === 'GET' && url.pathname === '/servers/getVersion') {
        return send(200, JSON.stringify({ version: '2.4.190', pymisp_recommended_version: '2.4.190', perm_sync: false, perm_sighting: false, perm_galaxy_editor: false, request_encoding: ['gzip', 'br'], filter_sightings: true }))
      }
      if (req.method === 'POST' && url.pathname === '/attributes/restSearch') {
        if (fake.hang) return
        const fail = fake.failNext.shift() ?? fake.failWhen?.(body)
        if (fail) return send(fail.status, fail.body, fail.contentType ?? 'text/html')
        const hits = fake.attributes.filter((a) => matches(a, body ?? {}, fake.now))
        const limit = Number(body?.limit ?? 0)
        const page = Number(body?.page ?? 1)
        const slice = limit > 0 ? hits.slice((page - 1) * limit, page * limit) : hits
        const Attribute = slice.map(({ _event, ...a }) => (body?.includeEventUuid ? { ...a, event_uuid: _event.uuid } : a))
        return send(200, JSON.stringify({ response: { Attribute } }), 'application/json', { 'X-Result-Count': String(hits.length) })
      }
      send(404, JSON.stringify({ name: 'Not Found', message: 'Not Found', url: url.pathname }))
    })
  }
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  fake.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}
