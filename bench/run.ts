// `npm run bench`: every benchmark prints its figures. Nothing here is asserted.
import { benchCustomFeeds } from './custom-feeds'
import { benchFeeds } from './feeds'
import { benchImport } from './import'
import { benchIocs } from './iocs'
import { benchLoad } from './load'
import { benchPassword } from './password'
import { benchPulse } from './pulse'
import { benchStats } from './stats'
import { benchTaxii } from './taxii'

const benches: Record<string, () => Promise<void>> = { password: benchPassword, iocs: benchIocs, feeds: benchFeeds, import: benchImport, taxii: benchTaxii, stats: benchStats, pulse: benchPulse, load: benchLoad, 'custom-feeds': benchCustomFeeds }
const only = process.argv.slice(2)
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue
  console.log(`\n== ${name} ==`)
  await run()
}
