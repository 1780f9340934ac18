import { X509Certificate } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { rootCertificates } from 'node:tls'

// The Node side of the MISP pull (functions/lib/misp-client.ts asks): one HTTP(S) request to the
// MISP server with the TLS choices workerd's fetch cannot make: verification off, or a private CA
// (added to Node's public roots, so a publicly signed MISP keeps working). The API key travels
// from the worker in the request body and goes out only in the Authorization header: it is never
// logged, and error messages here are Node's (they never contain headers).

export interface MispHttpRequest {
  url: string
  method: 'GET' | 'POST'
  apiKey: string
  /** JSON text, for POST. */
  body?: string
  verifyTls: boolean
  /** PEM certificates to trust besides the public roots. */
  caPem?: string
  /** The whole request: connect, send, and read the answer. */
  timeoutMs: number
  userAgent?: string
}

export interface MispHttpResponse {
  status: number
  contentType: string | null
  resultCount: string | null
  location: string | null
  body: Buffer
}

/** Transport failures, by kind: the worker words them for the admin. */
export class MispHostError extends Error {
  constructor(
    readonly code: 'timeout' | 'connect' | 'dns' | 'tls' | 'too_large' | 'bad_request' | 'network',
    message: string,
  ) {
    super(message)
    this.name = 'MispHostError'
  }
}

/** A page of 5000 attributes is a few MB; anything near this is not a restSearch page. */
export const MAX_BODY_BYTES = 128 * 1024 * 1024
const CONNECT_TIMEOUT_MS = 30_000

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME/i

function classify(err: NodeJS.ErrnoException): MispHostError {
  if (err instanceof MispHostError) return err
  const code = err.code ?? ''
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new MispHostError('connect', `${code}: ${err.message}`)
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new MispHostError('dns', `${code}: ${err.message}`)
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(err.message)) return new MispHostError('tls', `${code ? `${code}: ` : ''}${err.message}`)
  return new MispHostError('network', `${code ? `${code}: ` : ''}${err.message}`)
}

/** Each PEM block of the CA text must be a certificate Node can read; Node would skip a bad one silently. */
function checkCa(pem: string) {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (!blocks.length) throw new MispHostError('tls', 'the CA certificate cannot be used: no PEM certificate in it')
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block)
    } catch (err) {
      throw new MispHostError('tls', `the CA certificate cannot be used: block ${i + 1} is not a certificate (${(err as Error).message})`)
    }
  }
}

export function validateRequest(req: MispHttpRequest): URL {
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    throw new MispHostError('bad_request', 'url is not a valid URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MispHostError('bad_request', 'url must be http or https')
  if (req.method !== 'GET' && req.method !== 'POST') throw new MispHostError('bad_request', 'method must be GET or POST')
  if (typeof req.apiKey !== 'string' || /[\r\n]/.test(req.apiKey)) throw new MispHostError('bad_request', 'apiKey must be one line of text')
  if (!(req.timeoutMs > 0)) throw new MispHostError('bad_request', 'timeoutMs must be positive')
  if (req.verifyTls && req.caPem?.trim()) checkCa(req.caPem)
  return url
}

/** One request to MISP; resolves with any HTTP status, rejects only on transport failure. */
export function mispHttp(req: MispHttpRequest): Promise<MispHttpResponse> {
  let url: URL
  try {
    url = validateRequest(req)
  } catch (err) {
    return Promise.reject(err)
  }
  const secure = url.protocol === 'https:'
  const headers: Record<string, string> = {
    Authorization: req.apiKey,
    Accept: 'application/json',
    'User-Agent': req.userAgent ?? 'Moat',
  }
  const payload = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8')
  if (payload) {
    headers['Content-Type'] = 'application/json'
    headers['Content-Length'] = String(payload.length)
  }
  const tlsOptions = secure
    ? { rejectUnauthorized: req.verifyTls, ...(req.verifyTls && req.caPem?.trim() ? { ca: [...rootCertificates, req.caPem] } : {}) }
    : {}
  return new Promise((resolve, reject) => {
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const done = (err: MispHostError | null, res?: MispHttpResponse) => {
      if (settled) return
      settled = true
      timers.forEach(clearTimeout)
      if (err) reject(err)
      else resolve(res!)
    }
    let request: http.ClientRequest
    try {
      request = (secure ? https : http).request(url, { method: req.method, headers, agent: false, ...tlsOptions })
    } catch (err) {
      // A CA that is not PEM fails here, before any connection.
      return done(new MispHostError('tls', `the CA certificate cannot be used: ${(err as Error).message}`))
    }
    const fail = (err: MispHostError) => {
      done(err)
      request.destroy()
    }
    timers.push(setTimeout(() => fail(new MispHostError('timeout', `no answer within ${req.timeoutMs / 1000} s`)), req.timeoutMs))
    const connectMs = Math.min(CONNECT_TIMEOUT_MS, req.timeoutMs)
    const connectTimer = setTimeout(() => fail(new MispHostError('timeout', `could not connect within ${connectMs / 1000} s`)), connectMs)
    timers.push(connectTimer)
    request.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer))
    })
    request.on('error', (err) => done(classify(err)))
    request.on('response', (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) return fail(new MispHostError('too_large', `the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`))
        chunks.push(chunk)
      })
      res.on('error', (err) => done(classify(err)))
      res.on('end', () =>
        done(null, {
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? null,
          resultCount: (res.headers['x-result-count'] as string | undefined) ?? null,
          location: res.headers.location ?? null,
          body: Buffer.concat(chunks),
        }),
      )
    })
    request.end(payload)
  })
}

/** HOST `POST /v1/misp/request`: the answer's body as is, its status and headers as `x-misp-*`. */
export async function handleMispRequest(request: Request): Promise<Response> {
  let req: MispHttpRequest
  try {
    req = (await request.json()) as MispHttpRequest
  } catch {
    return Response.json({ error: { code: 'bad_request', message: 'the body is not JSON' } }, { status: 400 })
  }
  try {
    const res = await mispHttp(req)
    const headers = new Headers({ 'x-misp-status': String(res.status) })
    if (res.contentType) headers.set('x-misp-content-type', res.contentType)
    if (res.resultCount) headers.set('x-misp-result-count', res.resultCount)
    if (res.location) headers.set('x-misp-location', res.location)
    return new Response(new Uint8Array(res.body), { status: 200, headers })
  } catch (err) {
    const e = err instanceof MispHostError ? err : classify(err as NodeJS.ErrnoException)
    return Response.json({ error: { code: e.code, message: e.message } }, { status: e.code === 'bad_request' ? 400 : 502 })
  }
}
