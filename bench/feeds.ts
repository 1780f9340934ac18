// The feed figures of the issue, with 1M active IPs in D1 (`BENCH_FEED_IPS` to change): (a) warm
// `/feed/pa/ip` req/s and p99 at 50 clients next to Debian's nginx serving the identical bytes from
// a file (goal >= 0.5x nginx); (b) the rebuild after one write next to the sqlite3 CLI selecting the
// same lines from the same database file (goal <= 3x); (c) workerd resident memory (goal <= 600 MB).
// Figures only; nothing is asserted. Needs `apt-get install -y wrk nginx sqlite3` for (a) and (b).
// `npm run bench -- feeds` (BENCH_FEED_WRK_SECONDS to change the 15 s load runs).
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Client, startMoat, type TestMoat } from '../tests/helpers/moat'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

function has(cmd: string): Promise<boolean> {
  return new Promise((resolve) => execFile('sh', ['-c', `command -v ${cmd}`], (err) => resolve(!err)))
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout))),
  )
}

/** IPv4 rows generated inside SQLite (a statement per 100k rows), as bench/iocs.ts does. */
async function loadIps(moat: TestMoat, n: number, userId: number) {
  const nowIso = new Date().toISOString()
  const expires = new Date(Date.now() + 90 * 86_400_000).toISOString()
  const chunk = 100_000
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1
    // i -> 11.0.0.0 + i: distinct dotted quads (11.0.0.0 - 26.255.255.255 covers 16M rows).
    await moat.db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2),
         gen AS (SELECT i, 11 + (i >> 24) AS a, (i >> 16) & 255 AS b, (i >> 8) & 255 AS c, i & 255 AS d FROM seq)
         INSERT INTO iocs (type, value, host, ip_start, ip_end, ticket, created_by, created_at, updated_at, expires_at, tags)
         SELECT 'ip', printf('%d.%d.%d.%d', a, b, c, d), NULL,
           printf('00000000000000000000ffff%02x%02x%02x%02x', a, b, c, d),
           printf('00000000000000000000ffff%02x%02x%02x%02x', a, b, c, d),
           printf('BENCH-%d', i % 1000), ?3, ?4, ?4, CASE WHEN i % 3 = 0 THEN NULL ELSE ?5 END, '[]'
         FROM gen`,
      )
      .bind(from, to, userId, nowIso, expires)
      .run()
  }
}

interface WrkResult {
  rps: number
  p99: number
  requests: number
  /** Bytes wrk read per completed request (headers included): checks that whole bodies arrived. */
  perRequest: number
  problems: string
}

const UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** wrk with 2 threads and 50 connections; a generous timeout so slow responses count in the p99. */
async function wrk(url: string, seconds: number, headers: string[] = []): Promise<WrkResult> {
  const args = ['-t2', '-c50', `-d${seconds}s`, '--timeout', '30s', '--latency', ...headers.flatMap((h) => ['-H', h]), url]
  const out = await run('wrk', args)
  const rps = out.match(/Requests\/sec:\s+([\d.]+)/)
  const p99 = out.match(/^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$/m)
  const total = out.match(/(\d+) requests in [\d.]+\w+, ([\d.]+)([KMGT]?B) read/)
  if (!rps || !p99 || !total) throw new Error(`could not read wrk output:\n${out}`)
  const problems = [out.match(/Non-2xx or 3xx responses: \d+/)?.[0], out.match(/Socket errors:.*/)?.[0]].filter(Boolean).join('; ')
  const read = Number(total[2]) * 1024 ** ['B', 'KB', 'MB', 'GB', 'TB'].indexOf(total[3])
  return { rps: Number(rps[1]), p99: Number(p99[1]) * UNIT[p99[2]], requests: Number(total[1]), perRequest: read / Number(total[1]), problems }
}

const wrkLine = (r: WrkResult) => `${r.rps.toFixed(0)} req/s p99 ${ms(r.p99)}${r.problems ? ` (${r.problems})` : ''}`

/** wrk counts a response when it has parsed it whole; this catches a body that came out short. */
function checkBodies(label: string, r: WrkResult, bodyBytes: number) {
  if (r.perRequest < bodyBytes * 0.98) throw new Error(`${label}: wrk read ${mb(r.perRequest)} per response, the body is ${mb(bodyBytes)}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** Debian's nginx as a child process on a loopback port, serving `<root>/<file>`. */
async function startNginx(root: string): Promise<{ port: number; proc: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort()
  const conf = path.join(root, 'nginx.conf')
  writeFileSync(
    conf,
    `daemon off; master_process on; worker_processes 2; pid ${root}/nginx.pid; error_log ${root}/error.log;
events {}
http {
  access_log off; sendfile on;
  client_body_temp_path ${root}/tmp-body; proxy_temp_path ${root}/tmp-proxy; fastcgi_temp_path ${root}/tmp-fastcgi;
  uwsgi_temp_path ${root}/tmp-uwsgi; scgi_temp_path ${root}/tmp-scgi;
  server { listen 127.0.0.1:${port}; root ${root}; location / { default_type text/plain; } }
}
`,
  )
  const proc = spawn('nginx', ['-c', conf, '-p', root, '-e', path.join(root, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill('SIGQUIT')
    const t = setTimeout(() => proc.kill('SIGTERM'), 5000)
    await exited
    clearTimeout(t)
  }
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) break
    try {
      const res = await fetch(`http://127.0.0.1:${port}/nginx.conf`)
      await res.arrayBuffer()
      if (res.ok) return { port, proc, stop }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  await stop()
  const log = existsSync(path.join(root, 'error.log')) ? readFileSync(path.join(root, 'error.log'), 'utf8') : ''
  throw new Error(`nginx did not start: ${stderr}${log}`)
}

/** workerd processes descended from this Node process, with their resident and peak memory. */
function workerdMemory(): { pid: number; rss: number; hwm: number }[] {
  const parent = new Map<number, number>()
  const name = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      name.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close))
      parent.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]))
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number) => {
    for (let p = parent.get(pid), hops = 0; p && hops < 20; p = parent.get(p), hops++) if (p === process.pid) return true
    return false
  }
  const out: { pid: number; rss: number; hwm: number }[] = []
  for (const [pid, comm] of name) {
    if (!comm.includes('workerd') || !descends(pid)) continue
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024
      out.push({ pid, rss: kb('VmRSS'), hwm: kb('VmHWM') })
    } catch {
      // gone meanwhile
    }
  }
  return out
}

function memoryLine(label: string) {
  const procs = workerdMemory()
  if (!procs.length) return `workerd RSS ${label}: no workerd process found under pid ${process.pid}`
  const rss = procs.reduce((a, p) => a + p.rss, 0)
  const hwm = procs.reduce((a, p) => a + p.hwm, 0)
  return `workerd RSS ${label}: ${(rss / 1024 / 1024).toFixed(0)} MB (peak ${(hwm / 1024 / 1024).toFixed(0)} MB; ${procs.length} process${procs.length > 1 ? 'es' : ''}: ${procs.map((p) => p.pid).join(', ')})`
}

function findSqlite(dir: string): string | undefined {
  const found: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.sqlite')) found.push(p)
    }
  }
  if (existsSync(dir)) walk(dir)
  return found.sort((a, b) => statSync(b).size - statSync(a).size)[0]
}

/** The sqlite3 CLI printing the feed's lines to /dev/null; wall time including process start. */
function timeSqlite(file: string, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w')
    const t = performance.now()
    const proc = spawn('sqlite3', ['-readonly', file, sql], { stdio: ['ignore', devnull, 'pipe'] })
    let stderr = ''
    proc.stderr!.on('data', (d) => (stderr += d))
    proc.once('error', (err) => {
      closeSync(devnull)
      reject(err)
    })
    proc.once('exit', (code) => {
      const elapsed = performance.now() - t
      closeSync(devnull)
      if (code === 0 && !stderr) resolve(elapsed)
      else reject(new Error(`sqlite3 exited ${code}: ${stderr}`))
    })
  })
}

const countLines = (body: Uint8Array) => {
  let n = 0
  for (let i = 0; i < body.length; i++) if (body[i] === 10) n++
  return n
}

/**
 * GET without any Accept-Encoding, as PAN-OS polls (fetch() would add `gzip, deflate` and
 * decompress): `wire` is exactly what such a client receives, `body` the decoded text.
 */
function getFeed(url: string): Promise<{ elapsed: number; wire: Buffer; body: Buffer; encoding: string; etag: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now()
    const req = request(url, { agent: false, headers: { 'x-forwarded-for': '198.51.100.7' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('error', reject)
      res.on('end', () => {
        const elapsed = performance.now() - t
        const wire = Buffer.concat(chunks)
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: ${res.statusCode} ${wire.subarray(0, 300)}`))
        const encoding = String(res.headers['content-encoding'] ?? '')
        const body = encoding === 'gzip' ? gunzipSync(wire) : wire
        resolve({ elapsed, wire, body, encoding, etag: String(res.headers.etag ?? '') })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

export async function benchFeeds() {
  const n = Number(process.env.BENCH_FEED_IPS ?? 1_000_000)
  const seconds = Number(process.env.BENCH_FEED_WRK_SECONDS ?? 15)
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-feeds-'))
  const web = mkdtempSync(path.join(tmpdir(), 'moat-bench-nginx-'))
  let moat: TestMoat | undefined
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined
  try {
    const [haveWrk, haveNginx, haveSqlite] = await Promise.all([has('wrk'), has('nginx'), has('sqlite3')])
    const missing = [!haveWrk && 'wrk', !haveNginx && 'nginx', !haveSqlite && 'sqlite3'].filter(Boolean)
    if (missing.length) console.log(`missing ${missing.join(', ')}: the parts that need them are skipped (apt-get install -y wrk nginx sqlite3)`)

    moat = await startMoat(dir)
    const userId = await moat.addUser('feedbench', 'analyst')
    const t0 = performance.now()
    await loadIps(moat, n, userId)
    await moat.db.prepare('UPDATE generation SET value = value + 1 WHERE id = 1').run()
    console.log(`loaded ${n.toLocaleString('en')} active IPv4 IOCs in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const feedUrl = `${moat.base}/feed/pa/ip`
    await (await fetch(`${moat.base}/health`)).arrayBuffer()
    const cold = await getFeed(feedUrl)
    const lines = countLines(cold.body)
    if (lines !== n) throw new Error(`/feed/pa/ip has ${lines} lines, expected ${n}: no figures for a wrong body`)
    console.log(`feed /feed/pa/ip: ${lines.toLocaleString('en')} lines, ${mb(cold.body.byteLength)}; cold build ${ms(cold.elapsed)} (query + format + hash + gzip + transfer)`)
    if (cold.encoding) {
      console.log(
        `WARNING: a request without Accept-Encoding (as PAN-OS sends) got Content-Encoding: ${cold.encoding} (${mb(cold.wire.byteLength)} on the wire). ` +
          `Miniflare's entry worker sets "Accept-Encoding: br, gzip" on every request (the client's own header is in request.cf.clientAcceptEncoding). ` +
          `The load figures below are for those ${cold.encoding} bytes, and nginx serves the same bytes.`,
      )
    }
    const warm = await getFeed(feedUrl)
    if (warm.etag !== cold.etag || !warm.wire.equals(cold.wire)) throw new Error('the warm body differs from the cold one')
    console.log(`single warm GET (cached bytes): ${ms(warm.elapsed)}`)
    console.log(memoryLine('after the first build'))

    // (a) warm load, next to nginx serving the identical bytes from a file.
    if (haveWrk) {
      const m = await wrk(feedUrl, seconds)
      checkBodies('moat', m, cold.wire.byteLength)
      let line = `warm GET: moat ${wrkLine(m)}`
      if (haveNginx) {
        chmodSync(web, 0o755) // nginx workers run as nobody/www-data
        // The identical bytes a PAN-OS-like client receives from Moat.
        writeFileSync(path.join(web, 'ip.txt'), cold.wire, { mode: 0o644 })
        nginx = await startNginx(web)
        const check = await getFeed(`http://127.0.0.1:${nginx.port}/ip.txt`)
        if (!check.wire.equals(cold.wire)) throw new Error('nginx does not serve the identical bytes')
        const x = await wrk(`http://127.0.0.1:${nginx.port}/ip.txt`, seconds)
        checkBodies('nginx', x, cold.wire.byteLength)
        await nginx.stop()
        nginx = undefined
        line += ` | nginx ${wrkLine(x)} | ratio ${(m.rps / x.rps).toFixed(2)} (goal >= 0.5)`
      } else line += ' | nginx not installed'
      console.log(line)
      console.log(`  (wrk -t2 -c50 -d${seconds}s --timeout 30s, no Accept-Encoding; ${mb(m.perRequest)} read per moat response; wrk shares the 2 cores with the server)`)
      console.log(memoryLine('after the load test'))
      const nm = await wrk(feedUrl, seconds, [`If-None-Match: ${cold.etag}`])
      console.log(`conditional GET (If-None-Match, 304): moat ${wrkLine(nm)}`)
    } else console.log('warm GET load skipped: wrk is not installed (apt-get install -y wrk nginx sqlite3)')

    // (b) rebuild after one write, next to the sqlite3 CLI on the same file.
    const c = new Client(moat.base)
    await c.login('feedbench', moat.password)
    const rebuilds: number[] = []
    for (let k = 1; k <= 3; k++) {
      const res = await c.post('/api/v1/iocs', { value: `45.33.${k}.${100 + k}`, confirm: true })
      if (res.status !== 201) throw new Error(`submit ${res.status} ${res.text}`)
      const built = await getFeed(feedUrl)
      if (countLines(built.body) !== n + k) throw new Error(`after ${k} write(s) the feed has ${countLines(built.body)} lines, expected ${n + k}`)
      rebuilds.push(built.elapsed)
    }
    let line = `rebuild after one write: moat ${ms(median(rebuilds))} (median of ${rebuilds.map((x) => x.toFixed(0)).join(', ')} ms)`
    const file = findSqlite(path.join(dir, 'd1'))
    if (haveSqlite && file) {
      const nowIso = new Date().toISOString()
      const sql = `SELECT value FROM iocs WHERE type='ip' AND deleted_at IS NULL AND excluded_at IS NULL AND allowlisted_by IS NULL AND (expires_at IS NULL OR expires_at > '${nowIso}') ORDER BY value, id`
      const cli: number[] = []
      for (let k = 0; k < 3; k++) cli.push(await timeSqlite(file, sql))
      line += ` | sqlite3 CLI ${ms(median(cli))} (median of ${cli.map((x) => x.toFixed(0)).join(', ')} ms) | ratio ${(median(rebuilds) / median(cli)).toFixed(2)} (goal <= 3)`
    } else line += haveSqlite ? ' | sqlite3 CLI: no .sqlite file found under d1/' : ' | sqlite3 CLI not installed'
    console.log(line)

    // (c) memory, after everything above.
    console.log(memoryLine('at the end (goal <= 600 MB)'))
  } finally {
    await nginx?.stop().catch(() => undefined)
    await moat?.close().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
    rmSync(web, { recursive: true, force: true })
  }
}
