// Measures scrypt cost inside workerd (nodejs_compat), the runtime that hashes Moat's passwords,
// for several work factors, plus a real login round trip. Prints figures; asserts nothing.
import { Miniflare } from 'miniflare'
import { bootstrapAdmin, createRuntime, migrate } from '../bin/runtime'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const script = `
import { scrypt } from 'node:crypto'
export default {
  async fetch(req) {
    const n = Number(new URL(req.url).searchParams.get('n'))
    const t = performance.now()
    try {
      await new Promise((res, rej) => scrypt('Blue-harbour-lantern-42', 'salt-salt-salt-1', 32, { N: n, r: 8, p: 1, maxmem: 256 * n * 8 + 1048576 }, (e, k) => e ? rej(e) : res(k)))
    } catch (e) { return new Response('error: ' + e.message) }
    return new Response(String(performance.now() - t))
  }
}`

export async function benchPassword() {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    cf: false,
  })
  console.log('scrypt in workerd (r=8, p=1), median of 3 (workerd timers are coarse; wall time shown):')
  for (const exp of [14, 15, 16, 17, 18, 19]) {
    const times: number[] = []
    let note = ''
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      const body = await (await mf.dispatchFetch(`http://bench/?n=${2 ** exp}`)).text()
      if (body.startsWith('error')) note = body
      times.push(performance.now() - t)
    }
    times.sort((a, b) => a - b)
    console.log(`  N=2^${exp}: ${note || `${times[1].toFixed(0)} ms`}`)
  }
  await mf.dispose()

  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-'))
  const rt = await createRuntime({ dataDir: dir, host: '127.0.0.1', port: 0 })
  await migrate(rt)
  await bootstrapAdmin(rt, 'bench-Password-97531')
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    const res = await fetch(new URL('/api/v1/auth/login', rt.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i}` },
      body: JSON.stringify({ username: 'admin', password: 'bench-Password-97531' }),
    })
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  console.log(`login round trip (scrypt N=2^17 verify + session): median ${times[2].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[4].toFixed(0)} ms`)
  await rt.dispose()
  rmSync(dir, { recursive: true, force: true })
}
