import { readFileSync } from 'node:fs'
import { Agent, createServer as createHttpServer, request, type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { BlockList, isIP, type AddressInfo } from 'node:net'
import { pipeline } from 'node:stream'
import { log } from './log'

/**
 * The listener clients talk to: a small Node HTTP(S) server in the launcher that hands every
 * request to workerd on a loopback port. It exists for two reasons found by the load and attack
 * tests (issue 10):
 *
 * 1. workerd runs every isolate, D1 included, on one thread, and its HTTP server closes a
 *    kept-alive connection when the next request has not been read 5 s after the previous answer
 *    (kj's pipeline timeout). When the thread is busy for longer than that (a feed rebuild over a
 *    million rows while writers keep invalidating it), every waiting poller's connection was
 *    dropped at once: `socket hang up` / `ECONNRESET` on the firewall side. Clients now keep their
 *    connections with Node, whose timers are not stalled by the worker. GET and HEAD share a pool
 *    of upstream connections and are sent again once, on a new connection, when workerd closed
 *    theirs (the request never reached the worker); a request with a body gets a connection of
 *    its own. `tests/bin/front.test.ts` shows both behaviours with a worker that blocks for 7 s.
 * 2. Miniflare's entry keeps a client's own `CF-Connecting-IP` header, so anyone could choose the
 *    source address that audit records, login throttling and feed consumer tracking see. The front
 *    removes it (and every `MF-*` control header) and sets the socket's address, or the
 *    `X-Forwarded-For` client when the connection comes from a configured trusted proxy.
 *
 * TLS is terminated here (the certificate from Admin > TLS or MOAT_TLS_*); the worker sees an
 * https:// URL, so cookies stay Secure.
 */
export interface FrontOptions {
  host: string
  port: number
  upstream: URL
  tls?: { keyPath: string; certPath: string }
  /** Addresses or CIDRs whose X-Forwarded-For is believed (a reverse proxy such as nginx). */
  trustedProxies?: string[]
}

export interface Front {
  url: URL
  server: Server
  /** GET/HEAD requests sent again after workerd closed their pooled connection. */
  retries(): number
  close(): Promise<void>
}

// Hop-by-hop headers (RFC 9110 section 7.6.1) and the ones a client must not choose.
const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  // Node has already answered `100 Continue` to the client.
  'expect',
  'host',
  'cf-connecting-ip',
  'x-real-ip',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
])
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade'])
const HOST_HEADER = /^[A-Za-z0-9._-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

/** Parses MOAT_TRUSTED_PROXIES-style lists (`127.0.0.1, 10.0.0.0/8, ::1`); a bad entry is an error. */
export function trustList(entries: string[]): BlockList {
  const list = new BlockList()
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    const [addr, bits] = raw.split('/')
    const family = isIP(addr)
    if (!family) throw new Error(`MOAT_TRUSTED_PROXIES: '${raw}' is not an IP address or CIDR`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(addr, type)
    else {
      const prefix = Number(bits)
      if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`MOAT_TRUSTED_PROXIES: '${raw}' has a bad prefix`)
      list.addSubnet(addr, prefix, type)
    }
  }
  return list
}

const plain = (addr: string) => (addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr)
const trusted = (list: BlockList, addr: string) => list.check(addr, isIP(addr) === 6 ? 'ipv6' : 'ipv4')

/**
 * The client's address: the socket peer, or, when the peer is a trusted proxy, the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, list: BlockList): string {
  let addr = plain(peer)
  if (!forwardedFor || !isIP(addr) || !trusted(list, addr)) return addr
  const hops = forwardedFor.split(',').map((h) => plain(h.trim()))
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i])) break
    addr = hops[i]
    if (!trusted(list, addr)) break
  }
  return addr
}

function fail(res: ServerResponse, status: number, code: string, message: string) {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const body = JSON.stringify({ error: { code, message } })
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(status === 503 ? { 'retry-after': '5' } : {}),
  })
  res.end(body)
}

export async function startFront(opts: FrontOptions): Promise<Front> {
  const list = trustList(opts.trustedProxies ?? [])
  const scheme = opts.tls ? 'https' : 'http'
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 64 })
  let retried = 0
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? `${opts.host}:${opts.port}`
    if (!HOST_HEADER.test(host) || !req.url?.startsWith('/')) return fail(res, 400, 'bad_request', 'The Host header or request target is not valid')
    const headers: [string, string][] = []
    const raw = req.rawHeaders
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase()
      if (DROP_REQUEST.has(name) || name.startsWith('mf-')) continue
      headers.push([raw[i], raw[i + 1]])
    }
    const xff = req.headers['x-forwarded-for']
    headers.push(
      ['Host', host],
      ['CF-Connecting-IP', clientAddress(req.socket.remoteAddress ?? '', Array.isArray(xff) ? xff.join(',') : xff, list)],
      // Read by Miniflare's entry worker: the URL the worker sees, with the client's scheme.
      ['MF-Original-URL', `${scheme}://${host}${req.url}`],
    )
    // GET and HEAD without a body reuse pooled connections; when workerd has closed a pooled one
    // meanwhile (its 5 s pipeline timeout after a busy stretch), the request never reached the
    // worker and is sent again once on a new connection. Anything with a body (a GET too) gets a
    // connection of its own and its body passed on.
    const bodyless = !req.headers['transfer-encoding'] && (req.headers['content-length'] ?? '0') === '0'
    const pooled = (req.method === 'GET' || req.method === 'HEAD') && bodyless
    let clientGone = false
    let current: ClientRequest | null = null
    res.on('close', () => {
      if (res.writableFinished) return
      clientGone = true
      current?.destroy()
    })
    const send = (attempt: number) => {
      const up = request(
        {
          host: opts.upstream.hostname,
          port: opts.upstream.port,
          method: req.method,
          path: req.url,
          headers: pooled ? headers.flat() : [...headers, ['Connection', 'close']].flat(),
          agent: pooled && attempt === 0 ? agent : false,
        },
        (upRes) => {
          const out: string[] = []
          const rh = upRes.rawHeaders
          for (let i = 0; i < rh.length; i += 2) if (!DROP_RESPONSE.has(rh[i].toLowerCase())) out.push(rh[i], rh[i + 1])
          res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, out)
          pipeline(upRes, res, () => undefined)
        },
      )
      current = up
      up.on('error', (err) => {
        if (clientGone) return
        if (pooled && attempt === 0 && up.reusedSocket && !res.headersSent) {
          retried++
          send(1)
          return
        }
        if (!res.headersSent) log('warn', 'runtime did not answer', { error: err.message, method: req.method })
        fail(res, 503, 'runtime_unavailable', 'Moat is not answering right now; try again shortly')
      })
      if (pooled) up.end()
      else pipeline(req, up, () => undefined)
    }
    send(0)
  }
  const server: Server = opts.tls
    ? (createHttpsServer({ key: readFileSync(opts.tls.keyPath), cert: readFileSync(opts.tls.certPath) }, handle) as unknown as Server)
    : createHttpServer(handle)
  // Pollers keep their connections between polls; firewalls poll every minute or so.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 70_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const hostPart = isIP(opts.host) === 6 ? `[${opts.host}]` : opts.host
  return {
    url: new URL(`${scheme}://${hostPart}:${port}/`),
    server,
    retries: () => retried,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        agent.destroy()
      }),
  }
}
