/**
 * TAXII 1.1 XML message binding (pure): reading the requests Moat serves (Discovery, Collection
 * Information, Poll, Poll Fulfillment) and building the responses, with fast-xml-parser. No
 * DOCTYPE is accepted (no entity expansion from a client's document).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import { microsToIso, parseTimestamp } from './stix'
import { STIX111_BINDING, STIX12_BINDING } from './stix1'
import type { Taxii1Collection } from './taxii-catalogue'

export { TAXII1_COLLECTIONS, type Taxii1Collection } from './taxii-catalogue'

export const TAXII11_NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1'
export const TAXII11_MESSAGE = 'urn:taxii.mitre.org:message:xml:1.1'
export const TAXII11_SERVICES = 'urn:taxii.mitre.org:services:1.1'
export const PROTOCOL_HTTP = 'urn:taxii.mitre.org:protocol:http:1.0'
export const PROTOCOL_HTTPS = 'urn:taxii.mitre.org:protocol:https:1.0'

export type Taxii1Request =
  | { kind: 'Discovery_Request'; messageId: string }
  | { kind: 'Collection_Information_Request'; messageId: string }
  | {
      kind: 'Poll_Request'
      messageId: string
      collection: string
      begin?: string
      end?: string
      countOnly: boolean
      /** Requested content bindings (empty = any). */
      bindings: string[]
      subscriptionId?: string
    }
  | { kind: 'Poll_Fulfillment'; messageId: string; collection: string; resultId: string; part: number }

export type ParseFailure = { error: 'BAD_MESSAGE' | 'UNSUPPORTED_MESSAGE'; message: string; messageId: string }

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, trimValues: true })
// suppressBooleanAttributes would write more="true" as a bare `more`: not XML.
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true, suppressBooleanAttributes: false })

type Node = Record<string, unknown>

/** A child by local name, whatever prefix the client chose. */
function child(node: Node | undefined, name: string): unknown {
  if (!node) return undefined
  const key = Object.keys(node).find((k) => k === name || k.endsWith(`:${name}`))
  return key === undefined ? undefined : node[key]
}
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']) : undefined)

/** TAXII timestamps are xs:dateTime; one without a zone is read as UTC. */
function timestamp(v: unknown, field: string): string | { bad: string } | undefined {
  const s = text(v)
  if (s === undefined) return undefined
  const micros = parseTimestamp(/(Z|[+-]\d{2}:\d{2})$/i.test(s.trim()) ? s : `${s.trim()}Z`)
  return micros === null ? { bad: `${field} is not a timestamp: '${s}'` } : microsToIso(micros)
}

export function parseTaxii1(xml: string): Taxii1Request | ParseFailure {
  const fail = (message: string, messageId = '0', error: ParseFailure['error'] = 'BAD_MESSAGE'): ParseFailure => ({ error, message, messageId })
  if (/<!DOCTYPE/i.test(xml)) return fail('DOCTYPE declarations are not accepted')
  let doc: Node
  try {
    doc = parser.parse(xml, true) as Node
  } catch (err) {
    return fail(`not well-formed XML: ${String((err as Error).message ?? err).slice(0, 200)}`)
  }
  const rootKey = Object.keys(doc).find((k) => !k.startsWith('?'))
  if (!rootKey) return fail('empty message')
  const root = doc[rootKey] as Node
  const [prefix, local] = rootKey.includes(':') ? rootKey.split(':', 2) : ['', rootKey]
  const ns = root[prefix ? `@_xmlns:${prefix}` : '@_xmlns']
  const messageId = String(root['@_message_id'] ?? '0')
  if (ns !== TAXII11_NS) return fail(`the message is not in the TAXII 1.1 namespace ${TAXII11_NS}`, messageId)
  if (!root['@_message_id']) return fail('message_id is required', messageId)
  switch (local) {
    case 'Discovery_Request':
    case 'Collection_Information_Request':
      return { kind: local, messageId }
    case 'Poll_Request': {
      const collection = String(root['@_collection_name'] ?? '')
      if (!collection) return fail('collection_name is required', messageId)
      const begin = timestamp(child(root, 'Exclusive_Begin_Timestamp'), 'Exclusive_Begin_Timestamp')
      const end = timestamp(child(root, 'Inclusive_End_Timestamp'), 'Inclusive_End_Timestamp')
      for (const t of [begin, end]) if (t && typeof t === 'object') return fail(t.bad, messageId)
      const params = child(root, 'Poll_Parameters') as Node | undefined
      const subscriptionId = text(child(root, 'Subscription_ID'))
      if (!params && !subscriptionId) return fail('a Poll_Request needs Poll_Parameters or a Subscription_ID', messageId)
      const responseType = text(child(params, 'Response_Type')) ?? 'FULL'
      if (responseType !== 'FULL' && responseType !== 'COUNT_ONLY') return fail(`Response_Type must be FULL or COUNT_ONLY, got '${responseType}'`, messageId)
      const bindings = asList(child(params, 'Content_Binding')).map((b) => String((b as Node)['@_binding_id'] ?? ''))
      return { kind: 'Poll_Request', messageId, collection, begin: begin as string | undefined, end: end as string | undefined, countOnly: responseType === 'COUNT_ONLY', bindings, subscriptionId }
    }
    case 'Poll_Fulfillment': {
      const part = Number(root['@_result_part_number'])
      if (!Number.isInteger(part) || part < 1) return fail('result_part_number must be a whole number from 1', messageId)
      return { kind: 'Poll_Fulfillment', messageId, collection: String(root['@_collection_name'] ?? ''), resultId: String(root['@_result_id'] ?? ''), part }
    }
    default:
      return fail(`${local} is not a message this service handles`, messageId, 'UNSUPPORTED_MESSAGE')
  }
}

/** Which STIX binding to answer with: 1.1.1 unless the client asks only for 1.2; null = none we have. */
export function pickBinding(requested: string[]): string | null {
  if (!requested.length || requested.includes(STIX111_BINDING)) return STIX111_BINDING
  return requested.includes(STIX12_BINDING) ? STIX12_BINDING : null
}

const T = (name: string) => `taxii_11:${name}`
let counter = 0
/** Message ids only need to be unique per sender. */
export const newMessageId = () => `${Date.now()}${String(counter++ % 1000).padStart(3, '0')}`

function message(name: string, inResponseTo: string, extraAttrs: Record<string, string>, body: Node): string {
  const a = Object.fromEntries(Object.entries({ 'xmlns:taxii_11': TAXII11_NS, message_id: newMessageId(), in_response_to: inResponseTo, ...extraAttrs }).map(([k, v]) => [`@_${k}`, v]))
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [T(name)]: { ...a, ...body } })}`
}

export function statusMessage(inResponseTo: string, statusType: string, text: string): string {
  return message('Status_Message', inResponseTo, { status_type: statusType }, { [T('Message')]: text })
}

export interface ServiceAddress {
  protocol: string
  address: string
}

const binding = (s: ServiceAddress) => ({ [T('Protocol_Binding')]: s.protocol, [T('Address')]: s.address, [T('Message_Binding')]: TAXII11_MESSAGE })

export function discoveryResponse(inResponseTo: string, services: { type: 'DISCOVERY' | 'COLLECTION_MANAGEMENT' | 'POLL'; at: ServiceAddress; message: string }[]): string {
  return message('Discovery_Response', inResponseTo, {}, {
    [T('Service_Instance')]: services.map((s) => ({
      '@_service_type': s.type,
      '@_service_version': TAXII11_SERVICES,
      '@_available': 'true',
      ...binding(s.at),
      [T('Message')]: s.message,
    })),
  })
}

export function collectionInformationResponse(inResponseTo: string, collections: Taxii1Collection[], poll: ServiceAddress): string {
  return message('Collection_Information_Response', inResponseTo, {}, {
    [T('Collection')]: collections.map((c) => ({
      '@_collection_name': c.name,
      '@_collection_type': 'DATA_FEED',
      '@_available': 'true',
      [T('Description')]: c.description,
      [T('Content_Binding')]: { '@_binding_id': STIX111_BINDING },
      [T('Polling_Service')]: binding(poll),
    })),
  })
}

export interface PollPart {
  collection: string
  begin?: string
  end: string
  more: boolean
  resultId?: string
  part: number
  count?: number
  blocks: { binding: string; content: Node; label: string }[]
}

export function pollResponse(inResponseTo: string, p: PollPart): string {
  return message(
    'Poll_Response',
    inResponseTo,
    { collection_name: p.collection, more: String(p.more), ...(p.resultId ? { result_id: p.resultId } : {}), result_part_number: String(p.part) },
    {
      ...(p.begin ? { [T('Exclusive_Begin_Timestamp')]: p.begin } : {}),
      [T('Inclusive_End_Timestamp')]: p.end,
      ...(p.count !== undefined ? { [T('Record_Count')]: { '@_partial_count': 'false', '#text': String(p.count) } } : {}),
      ...(p.blocks.length
        ? {
            [T('Content_Block')]: p.blocks.map((b) => ({
              [T('Content_Binding')]: { '@_binding_id': b.binding },
              [T('Content')]: b.content,
              [T('Timestamp_Label')]: b.label,
            })),
          }
        : {}),
    },
  )
}

/** The result id names the poll (collection, window, binding), so any node can serve any part. */
export function encodeResultId(r: { collection: string; begin?: string; end: string; binding: string }): string {
  return btoa(JSON.stringify([r.collection, r.begin ?? null, r.end, r.binding])).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function decodeResultId(id: string): { collection: string; begin?: string; end: string; binding: string } | null {
  try {
    const [collection, begin, end, binding] = JSON.parse(atob(id.replace(/-/g, '+').replace(/_/g, '/'))) as [string, string | null, string, string]
    if (typeof collection !== 'string' || typeof end !== 'string' || parseTimestamp(end) === null || typeof binding !== 'string') return null
    if (begin !== null && (typeof begin !== 'string' || parseTimestamp(begin) === null)) return null
    return { collection, ...(begin ? { begin } : {}), end, binding }
  } catch {
    return null
  }
}
