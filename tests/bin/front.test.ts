import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientAddress, startFront, trustList, type Front } from '../../bin/front'
import { createRuntime, migrate, bootstrapAdmin, type Runtime } from '../../bin/runtime'

// The launcher's front listener (bin/front.ts): clients keep their connections while workerd's one
// thread is busy, and nobody chooses their own source address.

// A worker that blocks its thread on demand, echoes what it was sent, and sets two cookies.
const SCRIPT = `export default { async fetch(req) {
  const u = new URL(req.url)
  if (u.pathname === '/block') { const end = Date.now() + Number(u.searchParams.get('ms')); while (Date.now() < end) {} return new Response('done') }
  if (u.pathname === '/echo') {
    const body = req.body ? await req.arrayBuffer() : new ArrayBuffer(0)
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))].map((b) => b.toString(16).padStart(2, '0')).join('')
    const headers = new Headers({ 'content-type': 'application/json' })
    headers.append('set-cookie', 'a=1; Path=/')
    headers.append('set-cookie', 'b=2; Path=/')
    return new Response(JSON.stringify({ url: req.url, method: req.method, size: body.byteLength, digest, headers: Object.fromEntries(req.headers) }), { headers })
  }
  if (u.pathname === '/etag') return req.headers.get('if-none-match') === '"v1"' ? new Response(null, { status: 304, headers: { etag: '"v1"' } }) : new Response('body', { headers: { etag: '"v1"' } })
  return new Response('x'.repeat(2000))
} }`

let mf: Miniflare
let upstream: URL
let front: Front
let trustingFront: Front

beforeAll(async () => {
  mf = new Miniflare({ modules: true, cf: false, host: '127.0.0.1', port: 0, script: SCRIPT })
  upstream = await mf.ready
  front = await startFront({ host: '127.0.0.1', port: 0, upstream })
  trustingFront = await startFront({ host: '127.0.0.1', port: 0, upstream, trustedProxies: ['127.0.0.1', '10.0.0.0/8'] })
})

afterAll(async () => {
  await front?.close()
  await trustingFront?.close()
  await mf?.dispose()
})

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

function send(base: URL, p: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer; agent?: Agent | false } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path: p, method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (d: Buffer) => parts.push(d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

describe('a worker that blocks its thread for 7 s', () => {
  it('drops kept-alive clients connected to workerd directly, and none connected through the front', async () => {
    const direct = new Agent({ keepAlive: true })
    const fronted = new Agent({ keepAlive: true })
    const errors = { direct: 0, front: 0 }
    const served = { direct: 0, front: 0 }
    const until = Date.now() + 11_000
    const poll = async (base: URL, agent: Agent, key: 'direct' | 'front') => {
      while (Date.now() < until) {
        try {
          const res = await send(base, '/poll', { agent })
          if (res.status === 200) served[key]++
          else errors[key]++
        } catch {
          errors[key]++
        }
      }
    }
    const pollers = [
      ...Array.from({ length: 10 }, () => poll(upstream, direct, 'direct')),
      ...Array.from({ length: 10 }, () => poll(front.url, fronted, 'front')),
    ]
    await new Promise((r) => setTimeout(r, 1500))
    const before = front.retries()
    await send(upstream, '/block?ms=7000', { agent: false })
    await Promise.all(pollers)
    direct.destroy()
    fronted.destroy()
    // The premise (kj's 5 s pipeline timeout): workerd closed the waiting direct connections.
    expect(errors.direct).toBeGreaterThan(0)
    // Through the front every poll was answered; the requests caught on a closed pooled
    // connection were sent again.
    expect(errors.front).toBe(0)
    expect(served.front).toBeGreaterThan(100)
    expect(front.retries()).toBeGreaterThan(before)
  }, 40_000)
})

describe('what the worker is told', () => {
  it('replaces a client-chosen source address and Miniflare control headers', async () => {
    const res = await send(front.url, '/echo?x=1', {
      headers: {
        host: 'moat_box.example.org:8443',
        'cf-connecting-ip': '6.6.6.6',
        'x-real-ip': '6.6.6.7',
        'x-forwarded-for': '6.6.6.8',
        'mf-original-url': 'https://evil.example/echo',
        'mf-route-override': 'other',
        'x-custom': 'kept',
      },
    })
    const seen = JSON.parse(res.body.toString())
    expect(seen.headers['cf-connecting-ip']).toBe('127.0.0.1')
    expect(seen.headers['x-real-ip']).toBeUndefined()
    expect(seen.headers['x-forwarded-for']).toBeUndefined()
    expect(seen.headers['mf-route-override']).toBeUndefined()
    expect(seen.headers['x-custom']).toBe('kept')
    expect(seen.url).toBe('http://moat_box.example.org:8443/echo?x=1')
  })

  it('believes X-Forwarded-For only from a trusted proxy, right to left', async () => {
    const ask = async (xff: string) =>
      JSON.parse((await send(trustingFront.url, '/echo', { headers: { 'x-forwarded-for': xff } })).body.toString()).headers['cf-connecting-ip']
    expect(await ask('198.51.100.9')).toBe('198.51.100.9')
    // A client prepending its own entry does not get to choose: the right-most untrusted hop wins.
    expect(await ask('6.6.6.6, 198.51.100.9, 10.1.2.3')).toBe('198.51.100.9')
    expect(await ask('not-an-address')).toBe('127.0.0.1')
    expect(clientAddress('::ffff:203.0.113.5', '198.51.100.9', trustList(['127.0.0.1']))).toBe('203.0.113.5')
    expect(clientAddress('::1', '2001:db8::7', trustList(['::1']))).toBe('2001:db8::7')
  })

  it('refuses a bad trusted-proxy entry at start', () => {
    expect(() => trustList(['10.0.0.0/40'])).toThrow(/bad prefix/)
    expect(() => trustList(['proxy.local'])).toThrow(/not an IP address/)
  })

  it('refuses a Host header that is not a host name', async () => {
    const res = await send(front.url, '/echo', { headers: { host: 'a b/c' } })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body.toString()).error.code).toBe('bad_request')
  })
})

describe('what the client gets', () => {
  it('passes bodies both ways unchanged, every Set-Cookie, 304 and HEAD', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919) & 255
    // curl sends `Expect: 100-continue` with large uploads; Node answers it, workerd never sees it.
    const res = await send(front.url, '/echo', { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', expect: '100-continue' } })
    const seen = JSON.parse(res.body.toString())
    expect(seen.headers.expect).toBeUndefined()
    const { createHash } = await import('node:crypto')
    expect(seen.size).toBe(body.length)
    expect(seen.digest).toBe(createHash('sha256').update(body).digest('hex'))
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/'])

    expect((await send(front.url, '/etag')).status).toBe(200)
    const notModified = await send(front.url, '/etag', { headers: { 'if-none-match': '"v1"' } })
    expect(notModified.status).toBe(304)
    expect(notModified.body.length).toBe(0)
    // A GET with a body is unusual but must not leave the worker waiting for bytes never sent.
    const getWithBody = await send(front.url, '/echo', { body: Buffer.from('abc'), headers: { 'content-length': '3' } })
    expect(getWithBody.status).toBe(200)
    expect(JSON.parse(getWithBody.body.toString()).size).toBe(3)
    const head = await send(front.url, '/poll', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
  })

  it('answers 503 with Retry-After when workerd is not there', async () => {
    const dead = await startFront({ host: '127.0.0.1', port: 0, upstream: new URL('http://127.0.0.1:9/') })
    try {
      const res = await send(dead.url, '/feed/ip')
      expect(res.status).toBe(503)
      expect(res.headers['retry-after']).toBe('5')
      expect(JSON.parse(res.body.toString()).error.code).toBe('runtime_unavailable')
    } finally {
      await dead.close()
    }
  })
})

describe('Moat behind its front', () => {
  let rt: Runtime
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-front-'))
  beforeAll(async () => {
    rt = await createRuntime({ dataDir: dir, host: '127.0.0.1', port: 0 })
    await migrate(rt)
    await bootstrapAdmin(rt, 'Front-test-pass-1357')
  })
  afterAll(async () => {
    await rt?.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('records the real source address of a failed login, whatever header the client sends', async () => {
    const res = await fetch(new URL('/api/v1/auth/login', rt.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '6.6.6.6', 'x-real-ip': '6.6.6.7' },
      body: JSON.stringify({ username: 'admin', password: 'wrong-password-123' }),
    })
    expect(res.status).toBe(401)
    const db = await rt.mf.getD1Database('DB')
    const row = await db
      .prepare(`SELECT source_ip FROM audit_log WHERE action = 'auth.login' AND outcome = 'failure' ORDER BY id DESC LIMIT 1`)
      .first<{ source_ip: string }>()
    expect(row?.source_ip).toBe('127.0.0.1')
  })
})
