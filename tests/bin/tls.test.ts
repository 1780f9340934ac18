import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseTls, generateSelfSigned } from '../../bin/tls-launch'
import { tlsFiles, validateUpload } from '../../bin/tls'
import { Client } from '../helpers/moat'
import { freePort, startServer, type Server } from '../helpers/server'
import { makeTestPki, type TestPki } from '../helpers/test-ca'

// Upload a certificate in Admin, restart, and Moat serves HTTPS with it: trusted through the test
// CA, HSTS on the responses, and the plain-HTTP port answering 301 to the same path on HTTPS.

const FIRST = 'first-Start-pass-2468'
const PASSWORD = 'Tls-test-pass-8642'
const dataDir = mkdtempSync(path.join(tmpdir(), 'moat-tls-'))
let pki: TestPki
let server: Server | undefined

afterAll(async () => {
  if (server?.proc.exitCode === null) await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(url: string, opts: { ca?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { ca: opts.ca, headers: opts.headers }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const otherKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

describe('TLS certificate upload and HTTPS serving', () => {
  let admin: Client
  beforeAll(async () => {
    pki = makeTestPki()
    server = await startServer(dataDir, { MOAT_ADMIN_PASSWORD: FIRST })
    admin = new Client(server.base)
    await admin.login('admin', FIRST)
    expect((await admin.post('/api/v1/auth/password', { current: FIRST, new: PASSWORD })).status).toBe(200)
  })

  it('refuses a key that does not match, naming the field', async () => {
    const res = await admin.post('/api/v1/admin/tls', { certificate: pki.cert, privateKey: otherKey(), serverName: '127.0.0.1' })
    expect(res.status).toBe(422)
    expect(res.json.error.details.fields).toEqual([expect.objectContaining({ field: 'privateKey', code: 'key_mismatch' })])
  })

  it('refuses an expired certificate and one for another host name', async () => {
    const selfsigned = await import('selfsigned')
    const old = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      notBeforeDate: new Date('2024-01-01T00:00:00Z'),
      notAfterDate: new Date('2024-02-01T00:00:00Z'),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    })
    const expired = await admin.post('/api/v1/admin/tls', { certificate: old.cert, privateKey: old.private, serverName: '127.0.0.1' })
    expect(expired.status).toBe(422)
    expect(expired.json.error.details.fields).toEqual([
      expect.objectContaining({ field: 'certificate', code: 'expired', params: { date: '2024-02-01T00:00:00.000Z' } }),
    ])

    const wrongName = await admin.post('/api/v1/admin/tls', { certificate: pki.cert, privateKey: pki.key, serverName: 'moat.example.org' })
    expect(wrongName.status).toBe(422)
    expect(wrongName.json.error.details.fields[0]).toMatchObject({ field: 'certificate', code: 'hostname_mismatch' })
    expect(wrongName.json.error.message).toContain('not issued for moat.example.org')

    const noName = await admin.post('/api/v1/admin/tls', { certificate: pki.cert, privateKey: pki.key })
    expect(noName.status).toBe(422)
    expect(noName.json.error.details.fields[0]).toMatchObject({ field: 'serverName', code: 'required' })

    const badName = await admin.post('/api/v1/admin/tls', { certificate: pki.cert, privateKey: pki.key, serverName: 'moat example!' })
    expect(badName.status).toBe(422)
    expect(badName.json.error.details.fields).toEqual([expect.objectContaining({ field: 'serverName', code: 'invalid' })])

    const garbage = await admin.post('/api/v1/admin/tls', { certificate: 'hello', privateKey: pki.key, serverName: '127.0.0.1', chain: 'nope' })
    expect(garbage.status).toBe(422)
    expect(garbage.json.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['certificate', 'chain'])
  })

  it('needs a signed-in admin', async () => {
    const anonymous = new Client(server!.base)
    expect((await anonymous.get('/api/v1/admin/tls')).status).toBe(401)
    expect((await anonymous.post('/api/v1/admin/tls', { certificate: pki.cert, privateKey: pki.key })).status).toBe(401)
  })

  it('stores a valid certificate with its chain, never returns the key, and asks for a restart', async () => {
    const res = await admin.post('/api/v1/admin/tls', { certificate: pki.cert, privateKey: pki.key, chain: pki.caPem, serverName: '127.0.0.1' })
    expect(res.status, res.text).toBe(200)
    const leaf = new X509Certificate(pki.cert)
    expect(res.json).toMatchObject({
      https: false,
      restartRequired: true,
      certificate: { subject: 'CN=misp.test', subjectAltNames: ['IP Address:127.0.0.1'], fingerprint256: leaf.fingerprint256, chainLength: 1, source: 'uploaded', serverName: '127.0.0.1', updatedBy: 'admin' },
    })
    const shown = await admin.get('/api/v1/admin/tls')
    expect(shown.json.certificate.fingerprint256).toBe(leaf.fingerprint256)
    for (const body of [res.text, shown.text]) expect(body).not.toMatch(/PRIVATE KEY/)
    expect(statSync(tlsFiles(dataDir).key).mode & 0o777).toBe(0o600)
    expect(statSync(tlsFiles(dataDir).dir).mode & 0o777).toBe(0o700)
    const audit = await admin.get('/api/v1/audit?action=tls.update')
    expect(audit.text).toContain('tls.update')
  })

  it('serves HTTPS with it after a restart, with HSTS, and redirects HTTP to HTTPS keeping path and query', async () => {
    await server!.stop()
    const httpPort = await freePort()
    server = await startServer(dataDir, { MOAT_HTTP_PORT: String(httpPort) })
    const https = server.base.replace('http://', 'https://')

    const health = await get(`${https}/health`, { ca: pki.caPem })
    expect(health.status).toBe(200)
    expect(JSON.parse(health.body).status).toBe('ok')
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    const page = await get(`${https}/`, { ca: pki.caPem })
    expect(page.status).toBe(200)
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    // A client that trusts another CA refuses the connection.
    await expect(get(`${https}/health`, { ca: pki.otherCaPem })).rejects.toThrow()

    const redirected = await get(`http://127.0.0.1:${httpPort}/feed/ip?n=5&s=2`)
    expect(redirected.status).toBe(301)
    expect(redirected.headers.location).toBe(`${https}/feed/ip?n=5&s=2`)

    // Node's fetch cannot be given a CA per request: check the session over node:https instead.
    const status = await new Promise<Reply>((resolve, reject) => {
      const req = httpsRequest(`${https}/api/v1/auth/login`, { method: 'POST', ca: pki.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
        let body = ''
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
      })
      req.on('error', reject)
      req.end(JSON.stringify({ username: 'admin', password: PASSWORD }))
    })
    expect(status.status).toBe(200)
    const cookies = status.headers['set-cookie'] as string[]
    expect(cookies.find((x) => x.startsWith('moat_session='))).toMatch(/;\s*Secure/i)
    const session = cookies.map((x) => x.split(';')[0]).join('; ')
    const tls = await get(`${https}/api/v1/admin/tls`, { ca: pki.caPem, headers: { cookie: session } })
    expect(JSON.parse(tls.body)).toMatchObject({ https: true, restartRequired: false, servingFingerprint256: new X509Certificate(pki.cert).fingerprint256 })
  })
})

describe('self-signed fallback', () => {
  it('is generated on the first HTTPS start when asked, kept afterwards, and --https without any certificate refuses to start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moat-selfsigned-'))
    try {
      const base = { dataDir: dir, host: '127.0.0.1', port: 0 }
      await expect(chooseTls(base, { https: true, selfSigned: false })).rejects.toThrow(/no certificate is configured/)
      expect((await chooseTls(base, { https: false, selfSigned: false })).opts.httpsCertPath).toBeUndefined()
      process.env.MOAT_SERVER_NAME = 'moat.lab.internal'
      const first = await chooseTls(base, { https: true, selfSigned: true })
      delete process.env.MOAT_SERVER_NAME
      expect(first.opts.httpsCertPath).toBe(tlsFiles(dir).cert)
      expect(first.serverName).toBe('moat.lab.internal')
      const fp = new X509Certificate(readFileSync(tlsFiles(dir).cert)).fingerprint256
      const again = await chooseTls(base, { https: true, selfSigned: true })
      expect(new X509Certificate(readFileSync(again.opts.httpsCertPath!)).fingerprint256).toBe(fp)
      expect(JSON.parse(readFileSync(tlsFiles(dir).meta, 'utf8'))).toMatchObject({ source: 'self-signed' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('generates a certificate that passes the same checks for the server name and localhost', async () => {
    const { cert, key } = await generateSelfSigned('moat.lab.internal', '127.0.0.1')
    expect(validateUpload({ certificate: cert, privateKey: key, serverName: 'moat.lab.internal' }).ok).toBe(true)
    expect(validateUpload({ certificate: cert, privateKey: key, serverName: '127.0.0.1' }).ok).toBe(true)
    const x = new X509Certificate(cert)
    expect(x.subject).toBe('CN=moat.lab.internal')
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 800 * 86_400_000)
  })
})
