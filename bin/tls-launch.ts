import { createServer, type Server } from 'node:http'
import { isIP } from 'node:net'
import { hostname } from 'node:os'
import type { LaunchOptions } from './config'
import { log } from './log'
import { readTls, storeTls } from './tls'

export interface TlsChoice {
  opts: LaunchOptions
  serverName: string | null
}

/**
 * Decides what `moat start` serves: MOAT_TLS_KEY/CERT files when set, else the certificate stored
 * in <data>/tls (uploaded in Admin, or self-signed earlier), else — when asked with
 * `--self-signed` / MOAT_TLS_SELF_SIGNED=1 — a new self-signed one; else plain HTTP. `--https`
 * (MOAT_HTTPS=1) makes a missing certificate an error instead of a silent HTTP start.
 */
export async function chooseTls(opts: LaunchOptions, want: { https: boolean; selfSigned: boolean }): Promise<TlsChoice> {
  if (opts.httpsKeyPath && opts.httpsCertPath) return { opts, serverName: process.env.MOAT_SERVER_NAME ?? null }
  let stored = readTls(opts.dataDir)
  if (!stored && want.selfSigned) {
    const serverName = (process.env.MOAT_SERVER_NAME || hostname()).toLowerCase()
    const pem = await generateSelfSigned(serverName, opts.host)
    storeTls(opts.dataDir, { certificate: pem.cert, privateKey: pem.key, serverName }, 'self-signed', null)
    log('warn', 'generated a self-signed certificate; upload a real one in Admin > TLS', { serverName })
    stored = readTls(opts.dataDir)
  }
  if (!stored) {
    if (want.https) throw new Error('HTTPS was asked for but no certificate is configured: upload one in Admin > TLS, set MOAT_TLS_KEY and MOAT_TLS_CERT, or start with --self-signed')
    return { opts, serverName: null }
  }
  return {
    opts: { ...opts, httpsKeyPath: stored.files.key, httpsCertPath: stored.files.cert },
    serverName: stored.meta.serverName || null,
  }
}

/** A self-signed certificate for `serverName` (+ localhost and the listen address), valid 825 days. */
export async function generateSelfSigned(serverName: string, listenHost: string): Promise<{ cert: string; key: string }> {
  const selfsigned = await import('selfsigned')
  const alt: { type: 2 | 7; value?: string; ip?: string }[] = []
  const addName = (n: string) => (isIP(n) ? alt.push({ type: 7, ip: n }) : alt.push({ type: 2, value: n }))
  for (const n of new Set([serverName, 'localhost', '127.0.0.1', ...(isIP(listenHost) && listenHost !== '0.0.0.0' && listenHost !== '::' ? [listenHost] : [])])) addName(n)
  const pems = await selfsigned.generate([{ name: 'commonName', value: serverName }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 825 * 86_400_000),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: alt },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

/**
 * The plain-HTTP listener next to HTTPS: every request gets a 301 to the same path and query on
 * HTTPS. The target host is the configured server name when there is one (no open redirect to
 * whatever Host a client sent), else the Host header's name.
 */
export function startRedirect(host: string, port: number, httpsPort: number, serverName: string | null): Promise<Server> {
  const server = createServer((req, res) => {
    const given = (req.headers.host ?? '').replace(/:\d+$/, '')
    const name = serverName || given || 'localhost'
    const hostPart = isIP(name) === 6 ? `[${name}]` : name
    const location = `https://${hostPart}${httpsPort === 443 ? '' : `:${httpsPort}`}${req.url?.startsWith('/') ? req.url : '/'}`
    res.writeHead(301, { location, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`Moat is served over HTTPS: ${location}\n`)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(server))
  })
}
