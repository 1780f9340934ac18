// Load (issue 10): 200 concurrent feed pollers (each revalidates with the ETag it last saw, so the
// answers mix 200 and 304) plus 5 analysts submitting IOCs as fast as they can, for 60 s, against a
// 1M-IOC database. Prints requests served by status, errors (anything but 200/304 on a feed, 201 on
// a write, or a failed connection: the goal is 0), feed and write latency percentiles, and checks
// afterwards that every acknowledged write is in the database. Figures only; nothing is asserted.
// `npm run bench -- load` (BENCH_LOAD_IOCS, BENCH_LOAD_SECONDS, BENCH_LOAD_POLLERS to change).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { Client, startMoat } from '../tests/helpers/moat'
import { loadIocs } from './iocs'

const IOCS = Number(process.env.BENCH_LOAD_IOCS ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60)
const POLLERS = Number(process.env.BENCH_LOAD_POLLERS ?? 200)
const WRITERS = Number(process.env.BENCH_LOAD_WRITERS ?? 5)
const FEEDS = ['/feed/pa/ip', '/feed/pa/domain', '/feed/pa/url', '/feed/hash', '/feed/cp/all', '/feed/esa/email', '/feed/cp/network/ip']

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`

export async function benchLoad() {
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-load-'))
  const moat = await startMoat(dir)
  const agent = new Agent({ keepAlive: true, maxSockets: POLLERS + 10 })
  const base = new URL(moat.base)
  /** One GET on a kept-alive connection: status, headers and the body's size. */
  const get = (p: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; size: number }>((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path: p, agent, headers }, (res) => {
        let size = 0
        res.on('data', (d: Buffer) => (size += d.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, size }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
  try {
    const adminId = await moat.addUser('bench', 'admin')
    let t = performance.now()
    await loadIocs(moat, IOCS, adminId)
    console.log(`${IOCS} IOCs loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    const writers: Client[] = []
    for (let w = 0; w < WRITERS; w++) {
      await moat.addUser(`writer${w}`, 'analyst')
      const c = new Client(moat.base, `198.51.100.${w + 1}`)
      await c.login(`writer${w}`, moat.password)
      writers.push(c)
    }
    // Warm every feed once (the first build at 1M rows is measured by `npm run bench -- feeds`).
    t = performance.now()
    for (const f of FEEDS) await (await fetch(moat.base + f)).arrayBuffer()
    console.log(`feeds warmed in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    const until = Date.now() + SECONDS * 1000
    const feedLatency: Record<'200' | '304', number[]> = { '200': [], '304': [] }
    const statuses = new Map<string, number>()
    const errors: string[] = []
    let bytes = 0
    const count = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1)

    const poller = async (i: number) => {
      const etags = new Map<string, string>()
      for (let n = 0; Date.now() < until; n++) {
        const feed = FEEDS[(i + n) % FEEDS.length]
        const etag = etags.get(feed)
        const started = performance.now()
        try {
          const res = await get(feed, { 'accept-encoding': 'gzip', ...(etag ? { 'if-none-match': etag } : {}) })
          const took = performance.now() - started
          count(`feed ${res.status}`)
          if (res.status === 200 || res.status === 304) {
            feedLatency[String(res.status) as '200' | '304'].push(took)
            bytes += res.size
            const tag = res.headers.etag
            if (typeof tag === 'string') etags.set(feed, tag)
          } else errors.push(`${feed}: ${res.status}`)
        } catch (err) {
          count('feed error')
          errors.push(`${feed} @${((Date.now() - until) / 1000 + SECONDS).toFixed(1)}s: ${(err as Error).message}`)
        }
      }
    }

    const acknowledged: string[] = []
    const writeLatency: number[] = []
    const writer = async (w: number) => {
      for (let n = 0; Date.now() < until; n++) {
        const value = `load-${w}-${n}.bench-writes.top`
        const started = performance.now()
        try {
          const res = await writers[w].post('/api/v1/iocs', { value, ticket: 'LOAD' })
          writeLatency.push(performance.now() - started)
          count(`write ${res.status}`)
          if (res.status === 201) acknowledged.push(value)
          else errors.push(`write ${value}: ${res.status} ${res.json?.error?.code ?? ''}`)
        } catch (err) {
          count('write error')
          errors.push(`write @${((Date.now() - until) / 1000 + SECONDS).toFixed(1)}s: ${(err as Error).message}`)
        }
      }
    }

    console.log(`running ${POLLERS} pollers + ${WRITERS} writers for ${SECONDS} s ...`)
    t = performance.now()
    // How long a trivial request (a static asset, new connection) waits behind the load: it shows
    // how busy workerd's one thread is, which is what made kept-alive connections drop (bin/front.ts).
    const probeLatency: number[] = []
    const probe = async () => {
      while (Date.now() < until) {
        const started = performance.now()
        try {
          await new Promise<void>((resolve, reject) => {
            const req = request({ host: base.hostname, port: base.port, path: '/favicon.svg', agent: false }, (res) => {
              res.resume()
              res.on('end', resolve)
            })
            req.on('error', reject)
            req.end()
          })
          probeLatency.push(performance.now() - started)
        } catch (err) {
          count('probe error')
          errors.push(`probe: ${(err as Error).message}`)
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    await Promise.all([...Array.from({ length: POLLERS }, (_, i) => poller(i)), ...Array.from({ length: WRITERS }, (_, w) => writer(w)), probe()])
    const elapsed = (performance.now() - t) / 1000
    const feedRequests = feedLatency['200'].length + feedLatency['304'].length
    console.log(`feed requests served: ${feedRequests} (${(feedRequests / elapsed).toFixed(0)}/s), ${(bytes / 1024 / 1024).toFixed(0)} MB sent`)
    for (const [k, v] of [...statuses].sort()) console.log(`  ${k}: ${v}`)
    console.log(`  feed 200 latency p50 ${ms(pct(feedLatency['200'], 50))}, p99 ${ms(pct(feedLatency['200'], 99))}; 304 p50 ${ms(pct(feedLatency['304'], 50))}, p99 ${ms(pct(feedLatency['304'], 99))}`)
    console.log(`writes acknowledged: ${acknowledged.length} (${(acknowledged.length / elapsed).toFixed(1)}/s), latency p50 ${ms(pct(writeLatency, 50))}, p99 ${ms(pct(writeLatency, 99))}`)
    console.log(`static asset while loaded: p50 ${ms(pct(probeLatency, 50))}, p99 ${ms(pct(probeLatency, 99))}, max ${ms(Math.max(0, ...probeLatency))} (n=${probeLatency.length})`)
    console.log(`GET/HEAD re-sent by the front after workerd closed a pooled connection: ${moat.rt.front.retries()}`)
    console.log(`errors: ${errors.length}${errors.length ? ` (first: ${errors.slice(0, 12).join('; ')})` : ''}`)
    // Every acknowledged write is there, live.
    let present = 0
    for (let i = 0; i < acknowledged.length; i += 500) {
      const part = acknowledged.slice(i, i + 500)
      const row = await moat.db
        .prepare(`SELECT count(*) AS n FROM iocs WHERE type = 'domain' AND deleted_at IS NULL AND value IN (SELECT value FROM json_each(?))`)
        .bind(JSON.stringify(part))
        .first<{ n: number }>()
      present += row!.n
    }
    console.log(`acknowledged writes present afterwards: ${present} of ${acknowledged.length} (missing: ${acknowledged.length - present})`)
    const integrity = await moat.db.prepare('PRAGMA quick_check').first<Record<string, string>>()
    console.log(`PRAGMA quick_check: ${Object.values(integrity ?? {})[0]}`)
  } finally {
    agent.destroy()
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
