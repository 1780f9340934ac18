/**
 * STIX 1.1.1 packages (pure) for the TAXII 1.1 poll service that Cisco ESA consumes: one
 * `stix:STIX_Package` per IOC with one indicator and its CybOX observable (specs/taxii-stix.md
 * section 7.2). Returned as the object tree fast-xml-parser's builder turns into XML, which
 * escapes every value.
 */
import type { IocType } from './ioc'
import type { IndicatorData } from './stix'

export const STIX1_NS = {
  'xmlns:stix': 'http://stix.mitre.org/stix-1',
  'xmlns:indicator': 'http://stix.mitre.org/Indicator-2',
  'xmlns:cybox': 'http://cybox.mitre.org/cybox-2',
  'xmlns:cyboxCommon': 'http://cybox.mitre.org/common-2',
  'xmlns:cyboxVocabs': 'http://cybox.mitre.org/default_vocabularies-2',
  'xmlns:AddressObj': 'http://cybox.mitre.org/objects#AddressObject-2',
  'xmlns:DomainNameObj': 'http://cybox.mitre.org/objects#DomainNameObject-1',
  'xmlns:URIObj': 'http://cybox.mitre.org/objects#URIObject-2',
  'xmlns:FileObj': 'http://cybox.mitre.org/objects#FileObject-2',
  'xmlns:stixVocabs': 'http://stix.mitre.org/default_vocabularies-1',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
  'xmlns:moat': 'https://moat.local',
} as const

export const STIX111_BINDING = 'urn:stix.mitre.org:xml:1.1.1'
export const STIX12_BINDING = 'urn:stix.mitre.org:xml:1.2'

const INDICATOR_TYPE: Record<IocType, string> = {
  ip: 'IP Watchlist',
  domain: 'Domain Watchlist',
  url: 'URL Watchlist',
  email: 'Malicious E-mail',
  md5: 'File Hash Watchlist',
  sha1: 'File Hash Watchlist',
  sha256: 'File Hash Watchlist',
}

const HASH_NAME: Record<string, string> = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' }

const attrs = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`@_${k}`, v]))
const equals = (value: string) => ({ '@_condition': 'Equals', '#text': value })

/** The CybOX `Properties` element of one IOC. */
export function cyboxProperties(type: IocType, value: string): Record<string, unknown> {
  switch (type) {
    case 'ip': {
      const v6 = value.includes(':')
      const net = value.includes('/')
      const category = `${v6 ? 'ipv6' : 'ipv4'}-${net ? 'net' : 'addr'}`
      return { ...attrs({ 'xsi:type': 'AddressObj:AddressObjectType', category }), 'AddressObj:Address_Value': equals(value) }
    }
    case 'email':
      return { ...attrs({ 'xsi:type': 'AddressObj:AddressObjectType', category: 'e-mail' }), 'AddressObj:Address_Value': equals(value) }
    case 'domain':
      return { ...attrs({ 'xsi:type': 'DomainNameObj:DomainNameObjectType', type: 'FQDN' }), 'DomainNameObj:Value': equals(value) }
    case 'url':
      return { ...attrs({ 'xsi:type': 'URIObj:URIObjectType', type: 'URL' }), 'URIObj:Value': equals(value) }
    default:
      return {
        ...attrs({ 'xsi:type': 'FileObj:FileObjectType' }),
        'FileObj:Hashes': {
          'cyboxCommon:Hash': {
            'cyboxCommon:Type': { '@_xsi:type': 'cyboxVocabs:HashNameVocab-1.0', '#text': HASH_NAME[type] },
            'cyboxCommon:Simple_Hash_Value': equals(value),
          },
        },
      }
  }
}

/**
 * One STIX 1.x package holding one indicator. `uuid` is the STIX 2.1 indicator's UUID, so both
 * protocols name the same indicator alike; `version` is 1.1.1 or 1.2 (same namespaces).
 */
export function stixPackage(uuid: string, timestamp: string, d: IndicatorData, version: '1.1.1' | '1.2' = '1.1.1') {
  const title = `Moat ${d.type}: ${d.value.length > 80 ? `${d.value.slice(0, 79)}…` : d.value}`
  return {
    'stix:STIX_Package': {
      ...attrs({ ...STIX1_NS, id: `moat:package-${uuid}`, version, timestamp }),
      'stix:STIX_Header': {
        'stix:Title': title,
        'stix:Package_Intent': { '@_xsi:type': 'stixVocabs:PackageIntentVocab-1.0', '#text': 'Indicators' },
      },
      'stix:Indicators': {
        'stix:Indicator': {
          ...attrs({ 'xsi:type': 'indicator:IndicatorType', id: `moat:indicator-${uuid}`, timestamp }),
          'indicator:Title': title,
          'indicator:Type': { '@_xsi:type': 'stixVocabs:IndicatorTypeVocab-1.1', '#text': INDICATOR_TYPE[d.type] },
          ...(d.comment ? { 'indicator:Description': d.comment } : {}),
          'indicator:Valid_Time_Position': {
            'indicator:Start_Time': new Date(d.validFrom).toISOString(),
            ...(d.validUntil ? { 'indicator:End_Time': new Date(d.validUntil).toISOString() } : {}),
          },
          'indicator:Observable': {
            '@_id': `moat:observable-${uuid}`,
            'cybox:Object': { '@_id': `moat:object-${uuid}`, 'cybox:Properties': cyboxProperties(d.type, d.value) },
          },
        },
      },
    },
  }
}
