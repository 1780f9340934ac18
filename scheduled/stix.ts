import type { Db } from '../functions/env'
import type { Tlp } from '../functions/domain/stix'
import { getSetting } from '../functions/repos/settings'
import { publishStix, resetPublishGate } from '../functions/services/stix-publish'

/**
 * Publishes pending IOC changes as STIX versions (TAXII 2.1 and 1.1 read them), so a collection
 * is current before any client asks, after bulk imports, and when IOCs expire with no write.
 */
export async function runStix(db: Db, now: Date) {
  const tlp = ((await getSetting(db, 'feeds.taxiiTlp')) || null) as Tlp | null
  // drizzle keeps the D1 binding it wraps; the publisher speaks raw D1 like the feed queries.
  const d1 = (db as Db & { $client: D1Database }).$client
  const result = await publishStix(d1, now, tlp, 45_000)
  resetPublishGate()
  return { ...result }
}
