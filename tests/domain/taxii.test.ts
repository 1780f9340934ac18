import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { stixPackage } from '../../functions/domain/stix1'
import {
  decodeResultId,
  encodeResultId,
  parseTaxii1,
  pickBinding,
  pollResponse,
  statusMessage,
} from '../../functions/domain/taxii1'
import { acceptsTaxii21, encodeNext, isTaxiiContentType, parseObjectQuery } from '../../functions/domain/taxii2'

describe('TAXII 2.1 Accept and Content-Type', () => {
  it('accepts the TAXII 2.1 media type, no version, wildcards; refuses others and q=0', () => {
    for (const ok of [undefined, '', '*/*', 'application/*', 'application/taxii+json', 'application/taxii+json;version=2.1', 'application/taxii+json; version=2.1', 'text/html, application/taxii+json;version=2.1;q=0.5']) {
      expect(acceptsTaxii21(ok), String(ok)).toBe(true)
    }
    for (const bad of ['application/json', 'application/taxii+json;version=2.0', 'application/vnd.oasis.taxii+json', 'text/*', 'application/taxii+json;version=2.1;q=0']) {
      expect(acceptsTaxii21(bad), bad).toBe(false)
    }
    expect(isTaxiiContentType('application/taxii+json; version=2.1')).toBe(true)
    expect(isTaxiiContentType('application/json')).toBe(false)
  })
})

describe('TAXII 2.1 query filters', () => {
  it('defaults to 1000 of the latest versions and clamps limit to 10000', () => {
    const r = parseObjectQuery({}, 's')
    expect(r).toEqual({ ok: true, query: { limit: 1000, versions: { last: true, first: false, all: false, at: [] } } })
    expect(parseObjectQuery({ limit: '50000' }, 's')).toMatchObject({ ok: true, query: { limit: 10000 } })
  })

  it('reads match filters as comma-separated OR lists and added_after as microseconds', () => {
    const r = parseObjectQuery(
      { 'match[id]': 'indicator--A, indicator--b', 'match[type]': 'indicator,identity', 'match[version]': 'first,2026-01-01T00:00:00.123Z', 'match[spec_version]': '2.1', added_after: '2026-01-01T00:00:00Z' },
      's',
    )
    expect(r).toEqual({
      ok: true,
      query: {
        limit: 1000,
        ids: ['indicator--a', 'indicator--b'],
        types: ['indicator', 'identity'],
        versions: { last: false, first: true, all: false, at: ['2026-01-01T00:00:00.123Z'] },
        specVersions: ['2.1'],
        addedAfter: '2026-01-01T00:00:00.000000Z',
      },
    })
  })

  it('makes next an opaque keyset cursor bound to its filters and scope', () => {
    const q = { limit: '5', 'match[type]': 'indicator' }
    const next = encodeNext('2026-01-01T00:00:00.000001Z', 'root/col/objects', q)
    expect(parseObjectQuery({ ...q, next }, 'root/col/objects')).toMatchObject({ ok: true, query: { cursor: '2026-01-01T00:00:00.000001Z' } })
    // A different page size is fine; other filters or another collection are not.
    expect(parseObjectQuery({ ...q, limit: '7', next }, 'root/col/objects').ok).toBe(true)
    expect(parseObjectQuery({ limit: '5', next }, 'root/col/objects').ok).toBe(false)
    expect(parseObjectQuery({ ...q, next }, 'root/other/objects').ok).toBe(false)
    const bad = parseObjectQuery({ next: 'bm9wZQ' }, 's')
    expect(bad).toMatchObject({ ok: false, error: { title: 'Bad request', http_status: '400' } })
  })
})

const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1'

describe('TAXII 1.1 messages', () => {
  it('reads a Poll_Request with its window, response type and bindings', () => {
    const m = parseTaxii1(`<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="7" collection_name="moat-ip">
      <taxii_11:Exclusive_Begin_Timestamp>2026-01-01T00:00:00+02:00</taxii_11:Exclusive_Begin_Timestamp>
      <taxii_11:Poll_Parameters allow_asynch="false"><taxii_11:Response_Type>COUNT_ONLY</taxii_11:Response_Type>
      <taxii_11:Content_Binding binding_id="urn:stix.mitre.org:xml:1.2"/></taxii_11:Poll_Parameters></taxii_11:Poll_Request>`)
    expect(m).toEqual({ kind: 'Poll_Request', messageId: '7', collection: 'moat-ip', begin: '2025-12-31T22:00:00.000000Z', end: undefined, countOnly: true, bindings: ['urn:stix.mitre.org:xml:1.2'], subscriptionId: undefined })
    // Any prefix (or none) works: namespaces, not prefixes, identify TAXII.
    expect(parseTaxii1(`<Discovery_Request xmlns="${NS}" message_id="1"/>`)).toEqual({ kind: 'Discovery_Request', messageId: '1' })
  })

  it('refuses DOCTYPEs, foreign namespaces, missing ids and unknown messages', () => {
    expect(parseTaxii1(`<!DOCTYPE a><Discovery_Request xmlns="${NS}" message_id="1"/>`)).toMatchObject({ error: 'BAD_MESSAGE' })
    expect(parseTaxii1('<Discovery_Request xmlns="urn:other" message_id="1"/>')).toMatchObject({ error: 'BAD_MESSAGE', messageId: '1' })
    expect(parseTaxii1(`<Discovery_Request xmlns="${NS}"/>`)).toMatchObject({ error: 'BAD_MESSAGE' })
    expect(parseTaxii1(`<Inbox_Message xmlns="${NS}" message_id="9"/>`)).toMatchObject({ error: 'UNSUPPORTED_MESSAGE', messageId: '9' })
    expect(parseTaxii1(`<Poll_Request xmlns="${NS}" message_id="9" collection_name="x"/>`)).toMatchObject({ error: 'BAD_MESSAGE', message: expect.stringMatching(/Poll_Parameters/) })
    expect(parseTaxii1(`<Poll_Fulfillment xmlns="${NS}" message_id="9" collection_name="x" result_id="r" result_part_number="0"/>`)).toMatchObject({ error: 'BAD_MESSAGE' })
  })

  it('answers STIX 1.1.1 unless only 1.2 is asked for', () => {
    expect(pickBinding([])).toBe('urn:stix.mitre.org:xml:1.1.1')
    expect(pickBinding(['urn:stix.mitre.org:xml:1.2', 'urn:stix.mitre.org:xml:1.1.1'])).toBe('urn:stix.mitre.org:xml:1.1.1')
    expect(pickBinding(['urn:stix.mitre.org:xml:1.2'])).toBe('urn:stix.mitre.org:xml:1.2')
    expect(pickBinding(['urn:stix.mitre.org:json:2.0'])).toBeNull()
  })

  it('builds well-formed responses with escaped values that parse back', () => {
    const data = { type: 'url' as const, value: 'http://e.example/?a=1&b=<2>', comment: 'x "y" & z', tags: [], confidence: 50, ticket: '', validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-02-01T00:00:00.000Z' }
    const xml = pollResponse('5', { collection: 'moat-url', end: '2026-01-02T00:00:00.000000Z', more: true, resultId: 'r1', part: 1, blocks: [{ binding: 'urn:stix.mitre.org:xml:1.1.1', content: stixPackage('u-1', '2026-01-01T00:00:00.000Z', data), label: '2026-01-01T00:00:00.000001Z' }] })
    expect(XMLValidator.validate(xml)).toBe(true)
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false }).parse(xml)
    const r = doc['taxii_11:Poll_Response']
    expect(r).toMatchObject({ '@_more': 'true', '@_result_id': 'r1', '@_in_response_to': '5', '@_result_part_number': '1' })
    const ind = r['taxii_11:Content_Block']['taxii_11:Content']['stix:STIX_Package']['stix:Indicators']['stix:Indicator']
    expect(ind['indicator:Observable']['cybox:Object']['cybox:Properties']['URIObj:Value']['#text']).toBe(data.value)
    expect(ind['indicator:Description']).toBe(data.comment)
    expect(ind['indicator:Valid_Time_Position']['indicator:End_Time']).toBe('2026-02-01T00:00:00.000Z')
    expect(XMLValidator.validate(statusMessage('1', 'BAD_MESSAGE', 'a < b & "c"'))).toBe(true)
  })

  it('names a poll result by its query, so any part can be asked for later', () => {
    const q = { collection: 'moat-all', begin: '2026-01-01T00:00:00.000000Z', end: '2026-01-02T00:00:00.000000Z', binding: 'urn:stix.mitre.org:xml:1.1.1' }
    expect(decodeResultId(encodeResultId(q))).toEqual(q)
    const { begin: _b, ...open } = q
    expect(decodeResultId(encodeResultId(open))).toEqual(open)
    expect(decodeResultId('nope')).toBeNull()
    expect(decodeResultId(btoa('["a",null,"not a time","b"]'))).toBeNull()
  })
})
