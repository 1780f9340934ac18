/**
 * What Moat's TAXII services offer (pure, no dependencies): the TAXII 2.1 API roots and
 * collections and the TAXII 1.1 collections. The feeds screen imports it to list the URLs.
 */
import type { IocType } from './ioc'

export const API_ROOT = 'moat'
/** ZIoCHub's API root: kept so existing client configs keep working. */
export const LEGACY_ROOT = 'ziochub'

export interface CollectionDef {
  /** UUIDv5 of `collection|<alias>` in Moat's namespace (a test recomputes them). */
  id: string
  alias: string
  title: string
  description: string
  /** `kind` values served; null = every kind (the `all` collection, with the identity). */
  kinds: string[] | null
}

const typeCollection = (id: string, type: IocType, what: string): CollectionDef => ({
  id,
  alias: type,
  title: `Moat ${what}`,
  description: `Active and revoked ${what} as STIX 2.1 indicators`,
  kinds: [type],
})

// A `yara` collection (indicators with pattern_type "yara") slots in here with kinds ['yara'].
export const COLLECTIONS: CollectionDef[] = [
  { id: 'c8cc1bab-46d3-5fc7-a164-76854512b041', alias: 'all', title: 'Moat: every indicator', description: 'Every IOC type, plus the Moat identity', kinds: null },
  typeCollection('bfb04424-1196-5f4c-8a65-05ea4551d682', 'ip', 'IP addresses and networks'),
  typeCollection('a291d347-442d-5803-ab87-646642d2442f', 'domain', 'domains'),
  typeCollection('873dfa06-0752-5919-9853-8f287c57dfd0', 'url', 'URLs'),
  typeCollection('ed14a24e-1c23-525c-977c-8c47c5312ada', 'email', 'e-mail addresses'),
  typeCollection('f7338761-57ff-5756-bcd1-03daf55477b1', 'md5', 'MD5 file hashes'),
  typeCollection('682b1504-edad-5df0-b809-834f0f224cd3', 'sha1', 'SHA-1 file hashes'),
  typeCollection('eb7e3eca-9b4f-51e6-b15a-41f533d82a8c', 'sha256', 'SHA-256 file hashes'),
]

/** Collections of an API root. The ZIoCHub root has one, `indicators`, that is `all`. */
export function collectionsOf(root: string): CollectionDef[] | null {
  if (root === API_ROOT) return COLLECTIONS
  if (root === LEGACY_ROOT) return [{ ...COLLECTIONS[0], id: 'indicators', alias: 'indicators', title: 'Indicators (ZIoCHub compatible)' }]
  return null
}

export function findCollection(root: string, id: string): CollectionDef | null {
  return collectionsOf(root)?.find((c) => c.id === id.toLowerCase()) ?? null
}

export interface Taxii1Collection {
  name: string
  description: string
  types: IocType[]
}

const ALL: IocType[] = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256']
export const TAXII1_COLLECTIONS: Taxii1Collection[] = [
  ...ALL.map((t) => ({ name: `moat-${t}`, description: `Moat ${t} indicators (STIX 1.1.1)`, types: [t] })),
  { name: 'moat-hash', description: 'Moat file hashes: MD5, SHA-1 and SHA-256 (STIX 1.1.1)', types: ['md5', 'sha1', 'sha256'] },
  { name: 'moat-all', description: 'Every Moat indicator (STIX 1.1.1)', types: ALL },
]

