// Talks to MISP through the launcher (HOST `POST /v1/misp/request`, bin/host-misp.ts): workerd's
// fetch cannot turn TLS verification off or trust a private CA, Node can. This module pages,
// retries and words failures; it never puts the API key in a message or a log line.
import { bodySnippet, MispShapeError, readAttributes, type MispAttribute } from '../domain/misp'
import type { Bindings } from '../env'

export interface MispConnection {
  url: string
  apiKey: string
  verifyTls: boolean
  caPem: string
  timeoutMs: number
}

export type MispErrorCode =
  | 'auth'
  | 'http'
  | 'tls'
  | 'timeout'
  | 'connect'
  | 'dns'
  | 'network'
  | 'too_large'
  | 'bad_response'
  | 'no_host'
  | 'too_many'

export class MispError extends Error {
  constructor(
    readonly code: MispErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'MispError'
  }
}

/** Attempts per page, and the waits between them (specs/misp.md: failed pages retry with backoff). */
export const PAGE_ATTEMPTS = 3
export const RETRY_DELAYS_MS = [1000, 3000]
/** One pull reads at most this many attributes: narrow the window or the filters beyond it. */
export const MAX_ATTRIBUTES_PER_PULL = 200_000

const redact = (text: string, key: string) => (key.length >= 4 ? text.split(key).join('••••') : text)

function retryable(err: unknown) {
  if (!(err instanceof MispError)) return false
  if (err.code === 'http') return (err.status ?? 0) >= 500 || err.status === 429
  return err.code === 'timeout' || err.code === 'connect' || err.code === 'network'
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** MISP's reason for a refused key: `{"name": "Authentication failed ...", "message": ...}`, or the body. */
function authReason(text: string): string {
  try {
    const j = JSON.parse(text) as { name?: unknown; message?: unknown }
    const said = typeof j.name === 'string' ? j.name : typeof j.message === 'string' ? j.message : ''
    if (said) return bodySnippet(said)
  } catch {
    // HTML or plain text
  }
  return bodySnippet(text)
}

/** One request; any transport failure or non-2xx status is a MispError. */
export async function mispRequest(env: Bindings, conn: MispConnection, method: 'GET' | 'POST', path: string, body?: unknown) {
  if (!env.HOST) throw new MispError('no_host', 'This deployment has no launcher to reach MISP from')
  const res = await env.HOST.fetch('http://host/v1/misp/request', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url: conn.url + path,
      method,
      apiKey: conn.apiKey,
      body: body === undefined ? undefined : JSON.stringify(body),
      verifyTls: conn.verifyTls,
      caPem: conn.caPem || undefined,
      timeoutMs: conn.timeoutMs,
      userAgent: `Moat/${env.MOAT_VERSION ?? 'dev'}`,
    }),
  })
  if (res.status !== 200) {
    const reply = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } }
    const code = (reply.error?.code ?? 'network') as MispErrorCode
    throw new MispError(code === ('bad_request' as string) ? 'network' : code, redact(reply.error?.message ?? `launcher answered ${res.status}`, conn.apiKey))
  }
  const status = Number(res.headers.get('x-misp-status'))
  const text = await res.text()
  if (status === 401 || status === 403) {
    throw new MispError('auth', redact(`MISP refused the API key (${status}): ${authReason(text)}`, conn.apiKey), status)
  }
  if (status >= 300 && status < 400) {
    const to = res.headers.get('x-misp-location')
    throw new MispError('http', redact(`MISP redirected (${status})${to ? ` to ${bodySnippet(to)}` : ''}: check the URL`, conn.apiKey), status)
  }
  if (status < 200 || status >= 300) {
    throw new MispError('http', redact(`MISP answered ${status}: ${bodySnippet(text) || '(empty body)'}`, conn.apiKey), status)
  }
  return { text, resultCount: res.headers.get('x-misp-result-count') }
}

async function withRetry<T>(fn: () => Promise<T>, delays = RETRY_DELAYS_MS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (attempt >= PAGE_ATTEMPTS || !retryable(err)) throw err
      await sleep(delays[Math.min(attempt - 1, delays.length - 1)])
    }
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new MispError('bad_response', `${what} is not JSON: ${bodySnippet(text) || '(empty body)'}`)
  }
}

/** `GET /servers/getVersion`: proves the URL, the TLS setup and the key in one call. */
export async function mispVersion(env: Bindings, conn: MispConnection): Promise<string> {
  const { text } = await mispRequest(env, conn, 'GET', '/servers/getVersion')
  const body = parseJson(text, 'The answer to /servers/getVersion') as { version?: unknown }
  if (typeof body?.version !== 'string') throw new MispError('bad_response', 'The answer to /servers/getVersion has no version: is this a MISP server?')
  return body.version
}

/**
 * Every page of `POST /attributes/restSearch`: `page` from 1, `limit` rows each, until a page
 * holds fewer than `limit` (X-Result-Count is not trusted for paging). Each page is retried on
 * timeouts, connection failures and 5xx/429. `onPage` sees each page as it arrives.
 */
export async function restSearchPages(
  env: Bindings,
  conn: MispConnection,
  bodyFor: (page: number) => Record<string, unknown>,
  limit: number,
  onPage?: (page: number, count: number) => Promise<void>,
): Promise<{ attributes: MispAttribute[]; pages: number }> {
  const attributes: MispAttribute[] = []
  for (let page = 1; ; page++) {
    const { text } = await withRetry(() => mispRequest(env, conn, 'POST', '/attributes/restSearch', bodyFor(page)))
    let rows: MispAttribute[]
    try {
      rows = readAttributes(parseJson(text, `Page ${page}`))
    } catch (err) {
      if (err instanceof MispShapeError) throw new MispError('bad_response', `Page ${page}: ${err.message}`)
      throw err
    }
    attributes.push(...rows)
    if (attributes.length > MAX_ATTRIBUTES_PER_PULL) {
      throw new MispError('too_many', `More than ${MAX_ATTRIBUTES_PER_PULL} attributes in one pull: narrow the window (last days), the types or the tags`)
    }
    await onPage?.(page, rows.length)
    if (rows.length < limit) return { attributes, pages: page }
  }
}
