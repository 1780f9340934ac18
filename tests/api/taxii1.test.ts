import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// Requests are the TAXII 1.1 XML message binding as libtaxii/cabby send them (and as Cisco ESA's
// External Threat Feeds client does): POST with Content-Type application/xml and the X-TAXII-*
// headers, one message per request. Responses are read back with the XML library.
const NS = 'http://taxii.mitre.org/messages/taxii_xml_binding-1.1'
const HEADERS = {
  'content-type': 'application/xml',
  accept: 'application/xml',
  'x-taxii-accept': 'urn:taxii.mitre.org:message:xml:1.1',
  'x-taxii-content-type': 'urn:taxii.mitre.org:message:xml:1.1',
  'x-taxii-protocol': 'urn:taxii.mitre.org:protocol:http:1.0',
  'x-taxii-services': 'urn:taxii.mitre.org:services:1.1',
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  // Element names by local name (clients resolve namespaces); attributes keep their prefixes.
  transformTagName: (name) => name.replace(/^[^:]+:/, ''),
  isArray: (name) => ['Content_Block', 'Service_Instance', 'Collection'].includes(name),
})

let moat: TestMoat
let ana: Client
let admin: Client

async function post(path: string, body: string, headers: Record<string, string> = HEADERS) {
  const res = await fetch(moat.base + path, { method: 'POST', headers, body })
  const text = await res.text()
  // Every answer is a well-formed XML document.
  expect(XMLValidator.validate(text), text.slice(0, 300)).toBe(true)
  return { status: res.status, headers: res.headers, text, doc: parser.parse(text) as Record<string, any> }
}

const pollRequest = (collection: string, opts: { begin?: string; end?: string; countOnly?: boolean; binding?: string } = {}) => `<?xml version="1.0" encoding="UTF-8"?>
<taxii_11:Poll_Request xmlns:taxii_11="${NS}" message_id="42" collection_name="${collection}">
  ${opts.begin ? `<taxii_11:Exclusive_Begin_Timestamp>${opts.begin}</taxii_11:Exclusive_Begin_Timestamp>` : ''}
  ${opts.end ? `<taxii_11:Inclusive_End_Timestamp>${opts.end}</taxii_11:Inclusive_End_Timestamp>` : ''}
  <taxii_11:Poll_Parameters allow_asynch="false">
    <taxii_11:Response_Type>${opts.countOnly ? 'COUNT_ONLY' : 'FULL'}</taxii_11:Response_Type>
    <taxii_11:Content_Binding binding_id="${opts.binding ?? 'urn:stix.mitre.org:xml:1.1.1'}"/>
  </taxii_11:Poll_Parameters>
</taxii_11:Poll_Request>`

/** Each content block's indicator: type vocabulary entry, CybOX object type, category and value. */
function observables(doc: Record<string, any>) {
  return (doc.Poll_Response.Content_Block ?? []).map((b: any) => {
    expect(b.Content_Binding['@_binding_id']).toMatch(/^urn:stix\.mitre\.org:xml:1\.(1\.1|2)$/)
    const pkg = b.Content.STIX_Package
    const ind = pkg.Indicators.Indicator
    const props = ind.Observable.Object.Properties
    const value = props.Address_Value ?? props.Value ?? props.Hashes?.Hash?.Simple_Hash_Value
    return {
      version: pkg['@_version'],
      type: ind.Type['#text'],
      object: props['@_xsi:type'],
      category: props['@_category'] ?? props['@_type'] ?? props.Hashes?.Hash?.Type?.['#text'],
      value: value['#text'],
      condition: value['@_condition'],
      label: b.Timestamp_Label,
      id: ind['@_id'],
    }
  })
}

async function add(value: string, extra: Record<string, unknown> = {}) {
  const res = await ana.post('/api/v1/iocs', { value, confirm: true, ...extra })
  expect(res.status, `${value}: ${res.text}`).toBe(201)
  return res.json.ioc
}

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('ana', 'analyst')
  await moat.addUser('boss', 'admin')
  ana = new Client(moat.base)
  admin = new Client(moat.base)
  await ana.login('ana', moat.password)
  await admin.login('boss', moat.password)
  await add('45.9.148.12', { comment: 'C2 <b> & "quotes"' })
  await add('45.9.148.0/24')
  await add('2a0e:1c80::1')
  await add('c2.evil-esa.example')
  await add('http://evil-esa.example/a?b=1&c=<x>')
  await add('phish@evil-esa.example')
  await add('44d88612fea8a8f36de82e1278abb02f')
  await add('3395856ce81f2b7382dee72602f798b642f14140')
  await add('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f')
})
afterAll(() => moat.close())

describe('discovery and collection management', () => {
  it('lists the discovery, collection management and poll services with the TAXII headers', async () => {
    const res = await post('/taxii/discovery', `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="1"/>`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/xml')
    expect(res.headers.get('x-taxii-content-type')).toBe('urn:taxii.mitre.org:message:xml:1.1')
    expect(res.headers.get('x-taxii-services')).toBe('urn:taxii.mitre.org:services:1.1')
    expect(res.headers.get('x-taxii-protocol')).toBe('urn:taxii.mitre.org:protocol:http:1.0')
    const d = res.doc.Discovery_Response
    expect(d['@_in_response_to']).toBe('1')
    expect(d['@_message_id']).toBeTruthy()
    expect(res.text).toContain(`<taxii_11:Discovery_Response xmlns:taxii_11="${NS}"`)
    expect(d.Service_Instance.map((s: any) => [s['@_service_type'], s.Address, s['@_service_version']])).toEqual([
      ['DISCOVERY', '/taxii/discovery', 'urn:taxii.mitre.org:services:1.1'],
      ['COLLECTION_MANAGEMENT', '/taxii/collections', 'urn:taxii.mitre.org:services:1.1'],
      ['POLL', '/taxii/poll', 'urn:taxii.mitre.org:services:1.1'],
    ])
    expect(d.Service_Instance[2].Message_Binding).toBe('urn:taxii.mitre.org:message:xml:1.1')
    expect(d.Service_Instance.every((s: any) => s['@_available'] === 'true')).toBe(true)
  })

  it('lists one DATA_FEED collection per IOC type, plus moat-hash and moat-all, bound to STIX 1.1.1', async () => {
    const res = await post('/taxii/collections/', `<taxii_11:Collection_Information_Request xmlns:taxii_11="${NS}" message_id="2"/>`)
    const cols = res.doc.Collection_Information_Response.Collection
    expect(cols.map((c: any) => c['@_collection_name'])).toEqual(['moat-ip', 'moat-domain', 'moat-url', 'moat-email', 'moat-md5', 'moat-sha1', 'moat-sha256', 'moat-hash', 'moat-all'])
    for (const c of cols) {
      expect(c['@_collection_type']).toBe('DATA_FEED')
      expect(c.Content_Binding['@_binding_id']).toBe('urn:stix.mitre.org:xml:1.1.1')
      expect(c.Polling_Service.Address).toBe('/taxii/poll')
    }
  })

  it('answers a Status_Message BAD_MESSAGE when X-TAXII headers are missing or the XML is bad', async () => {
    const noHeaders = await post('/taxii/discovery', `<taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="3"/>`, { 'content-type': 'application/xml' })
    expect(noHeaders.doc.Status_Message['@_status_type']).toBe('BAD_MESSAGE')
    expect(noHeaders.doc.Status_Message['@_in_response_to']).toBe('3')
    expect(noHeaders.doc.Status_Message.Message).toMatch(/X-TAXII-Content-Type/)
    const broken = await post('/taxii/poll', '<taxii_11:Poll_Request xmlns:taxii_11="')
    expect(broken.doc.Status_Message['@_status_type']).toBe('BAD_MESSAGE')
    const doctype = await post('/taxii/poll', `<!DOCTYPE x [<!ENTITY a "b">]><taxii_11:Discovery_Request xmlns:taxii_11="${NS}" message_id="4"/>`)
    expect(doctype.doc.Status_Message.Message).toMatch(/DOCTYPE/)
    const wrongNs = await post('/taxii/discovery', '<Discovery_Request xmlns="http://taxii.mitre.org/messages/taxii_xml_binding-1" message_id="5"/>')
    expect(wrongNs.doc.Status_Message['@_status_type']).toBe('BAD_MESSAGE')
    const wrongService = await post('/taxii/discovery', pollRequest('moat-ip'))
    expect(wrongService.doc.Status_Message['@_status_type']).toBe('UNSUPPORTED_MESSAGE')
    const huge = await post('/taxii/poll', pollRequest('moat-ip').replace('<taxii_11:Poll_Parameters', `<!-- ${'x'.repeat(70_000)} --><taxii_11:Poll_Parameters`))
    expect(huge.status).toBe(413)
    expect(huge.doc.Status_Message['@_status_type']).toBe('BAD_MESSAGE')
    const badTime = await post('/taxii/poll', pollRequest('moat-ip', { begin: 'last tuesday' }))
    expect(badTime.doc.Status_Message.Message).toMatch(/Exclusive_Begin_Timestamp/)
  })
})

describe('poll', () => {
  it('returns one STIX 1.1.1 package per IOC with the CybOX observable of its type', async () => {
    const res = await post('/taxii/poll', pollRequest('moat-all'))
    const p = res.doc.Poll_Response
    expect(p['@_collection_name']).toBe('moat-all')
    expect(p['@_more']).toBe('false')
    expect(p['@_result_part_number']).toBe('1')
    expect(p['@_in_response_to']).toBe('42')
    expect(p.Inclusive_End_Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    const obs = observables(res.doc)
    const byValue = Object.fromEntries(obs.map((o: any) => [o.value, o]))
    expect(byValue['45.9.148.12']).toMatchObject({ version: '1.1.1', type: 'IP Watchlist', object: 'AddressObj:AddressObjectType', category: 'ipv4-addr', condition: 'Equals' })
    expect(byValue['45.9.148.0/24']).toMatchObject({ category: 'ipv4-net' })
    expect(byValue['2a0e:1c80::1']).toMatchObject({ category: 'ipv6-addr' })
    expect(byValue['c2.evil-esa.example']).toMatchObject({ type: 'Domain Watchlist', object: 'DomainNameObj:DomainNameObjectType', category: 'FQDN' })
    expect(byValue['http://evil-esa.example/a?b=1&c=<x>']).toMatchObject({ type: 'URL Watchlist', object: 'URIObj:URIObjectType', category: 'URL' })
    expect(byValue['phish@evil-esa.example']).toMatchObject({ type: 'Malicious E-mail', category: 'e-mail' })
    expect(byValue['44d88612fea8a8f36de82e1278abb02f']).toMatchObject({ type: 'File Hash Watchlist', object: 'FileObj:FileObjectType', category: 'MD5' })
    expect(byValue['3395856ce81f2b7382dee72602f798b642f14140']).toMatchObject({ category: 'SHA1' })
    expect(byValue['275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f']).toMatchObject({ category: 'SHA256' })
    expect(obs).toHaveLength(9)
    for (const o of obs) expect(o.id).toMatch(/^moat:indicator-[0-9a-f-]{36}$/)
    // Values are XML-escaped in the document and read back intact.
    expect(res.text).toContain('&lt;x&gt;')
    const ip = res.doc.Poll_Response.Content_Block.find((b: any) => b.Content.STIX_Package.Indicators.Indicator.Title.endsWith('45.9.148.12'))
    expect(ip.Content.STIX_Package.Indicators.Indicator.Description).toBe('C2 <b> & "quotes"')
  })

  it('serves one IOC type per collection, hashes together in moat-hash', async () => {
    const ip = observables((await post('/taxii/poll', pollRequest('moat-ip'))).doc)
    expect(ip.map((o: any) => o.value).sort()).toEqual(['2a0e:1c80::1', '45.9.148.0/24', '45.9.148.12'])
    const hash = observables((await post('/taxii/poll', pollRequest('moat-hash'))).doc)
    expect(hash.map((o: any) => o.category).sort()).toEqual(['MD5', 'SHA1', 'SHA256'])
  })

  it('honours the time window: (Exclusive_Begin_Timestamp, Inclusive_End_Timestamp]', async () => {
    const first = await post('/taxii/poll', pollRequest('moat-domain'))
    const end = first.doc.Poll_Response.Inclusive_End_Timestamp as string
    const labels = observables(first.doc).map((o: any) => o.label)
    expect(labels.every((l: string) => l <= end)).toBe(true)
    // Nothing new since the last poll.
    const again = await post('/taxii/poll', pollRequest('moat-domain', { begin: end }))
    expect(again.doc.Poll_Response.Exclusive_Begin_Timestamp).toBe(end)
    expect(again.doc.Poll_Response.Content_Block ?? []).toEqual([])
    await add('fresh.evil-esa.example')
    const later = await post('/taxii/poll', pollRequest('moat-domain', { begin: end }))
    expect(observables(later.doc).map((o: any) => o.value)).toEqual(['fresh.evil-esa.example'])
    // An end before the new IOC excludes it; an end without a zone is read as UTC.
    const bounded = await post('/taxii/poll', pollRequest('moat-domain', { begin: '2000-01-01T00:00:00Z', end: end.replace(/Z$/, '') }))
    expect(observables(bounded.doc).map((o: any) => o.value)).toEqual(['c2.evil-esa.example'])
  })

  it('never serves removed IOCs (TAXII 1.1 has no revocation)', async () => {
    const ioc = await add('removed.evil-esa.example')
    expect(observables((await post('/taxii/poll', pollRequest('moat-domain'))).doc).map((o: any) => o.value)).toContain('removed.evil-esa.example')
    expect((await ana.del(`/api/v1/iocs/${ioc.id}`)).status).toBe(204)
    expect(observables((await post('/taxii/poll', pollRequest('moat-domain'))).doc).map((o: any) => o.value)).not.toContain('removed.evil-esa.example')
  })

  it('counts only when asked (COUNT_ONLY) and speaks STIX 1.2 when that is the only binding asked', async () => {
    const count = await post('/taxii/poll', pollRequest('moat-ip', { countOnly: true }))
    expect(count.doc.Poll_Response.Record_Count['#text']).toBe('3')
    expect(count.doc.Poll_Response.Content_Block).toBeUndefined()
    const v12 = await post('/taxii/poll', pollRequest('moat-ip', { binding: 'urn:stix.mitre.org:xml:1.2' }))
    expect(observables(v12.doc).every((o: any) => o.version === '1.2')).toBe(true)
    const other = await post('/taxii/poll', pollRequest('moat-ip', { binding: 'urn:stix.mitre.org:json:2.0' }))
    expect(other.doc.Status_Message['@_status_type']).toBe('UNSUPPORTED_CONTENT_BINDING')
    const unknown = await post('/taxii/poll', pollRequest('moat-nope'))
    expect(unknown.doc.Status_Message['@_status_type']).toBe('NOT_FOUND')
  })

  it('splits large results into parts fetched with Poll_Fulfillment, with no duplicates or gaps', async () => {
    // Parts of 2 blocks (an admin setting; 10,000 by default).
    await moat.db.prepare(`INSERT INTO settings (key, value) VALUES ('feeds.taxii1PartSize', '2')`).run()
    await add('part-trigger.evil-esa.example')
    try {
      const first = await post('/taxii/poll', pollRequest('moat-all'))
      const p = first.doc.Poll_Response
      expect(p['@_more']).toBe('true')
      expect(p['@_result_id']).toBeTruthy()
      const seen = observables(first.doc).map((o: any) => o.value)
      expect(seen).toHaveLength(2)
      // cabby's loop: the first response's result_id, part numbers 2, 3, ...
      for (let part = 2; part < 20; part++) {
        const res = await post('/taxii/poll', `<taxii_11:Poll_Fulfillment xmlns:taxii_11="${NS}" message_id="f${part}" collection_name="moat-all" result_id="${p['@_result_id']}" result_part_number="${part}"/>`)
        const r = res.doc.Poll_Response
        expect(r['@_result_part_number']).toBe(String(part))
        seen.push(...observables(res.doc).map((o: any) => o.value))
        if (r['@_more'] === 'false') break
      }
      expect(new Set(seen).size).toBe(seen.length)
      const single = await post('/taxii/poll', pollRequest('moat-all'))
      expect(single.doc.Poll_Response['@_more']).toBe('true')
      expect(seen).toContain('part-trigger.evil-esa.example')
      // Nine from the start, fresh.evil-esa.example and the trigger (the removed one is gone).
      expect(seen).toHaveLength(11)
      const bogus = await post('/taxii/poll', `<taxii_11:Poll_Fulfillment xmlns:taxii_11="${NS}" message_id="x" collection_name="moat-all" result_id="nope" result_part_number="2"/>`)
      expect(bogus.doc.Status_Message['@_status_type']).toBe('NOT_FOUND')
    } finally {
      await moat.db.prepare(`DELETE FROM settings WHERE key = 'feeds.taxii1PartSize'`).run()
    }
  })
})

describe('auth', () => {
  it('answers UNAUTHORIZED (401, Basic challenge) without a consumer token when feeds are token-only', async () => {
    const made = await admin.post('/api/v1/feed-consumers', { name: 'esa-1', allowedFeeds: ['/taxii/moat-ip'] })
    expect(made.status, made.text).toBe(201)
    expect((await admin.patch('/api/v1/feed-catalogue/settings', { access: 'token' })).status).toBe(200)
    try {
      const anon = await post('/taxii/poll', pollRequest('moat-ip'))
      expect(anon.status).toBe(401)
      expect(anon.headers.get('www-authenticate')).toMatch(/^Basic/)
      expect(anon.doc.Status_Message['@_status_type']).toBe('UNAUTHORIZED')
      const basic = { ...HEADERS, authorization: `Basic ${btoa(`esa:${made.json.token}`)}` }
      const ok = await post('/taxii/poll', pollRequest('moat-ip'), basic)
      expect(observables(ok.doc)).toHaveLength(3)
      const denied = await post('/taxii/poll', pollRequest('moat-domain'), basic)
      expect(denied.doc.Status_Message['@_status_type']).toBe('UNAUTHORIZED')
      const cols = await post('/taxii/collections', `<taxii_11:Collection_Information_Request xmlns:taxii_11="${NS}" message_id="2"/>`, basic)
      expect(cols.doc.Collection_Information_Response.Collection.map((c: any) => c['@_collection_name'])).toEqual(['moat-ip'])
    } finally {
      await admin.patch('/api/v1/feed-catalogue/settings', { access: 'public' })
    }
  })
})
