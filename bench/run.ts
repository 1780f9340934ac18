// `npm run bench`: every benchmark prints its figures. Nothing here is asserted.
import { benchIocs } from './iocs'
import { benchPassword } from './password'

const benches: Record<string, () => Promise<void>> = { password: benchPassword, iocs: benchIocs }
const only = process.argv.slice(2)
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue
  console.log(`\n== ${name} ==`)
  await run()
}
