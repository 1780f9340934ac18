import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleMispRequest, mispHttp, type MispHttpRequest } from '../../bin/host-misp'
import { startFakeMisp, type FakeMisp } from '../helpers/fake-misp'
import { makeTestPki, type TestPki } from '../helpers/test-ca'

// The launcher's side of MISP requests, against a real HTTPS server whose certificate a private
// CA signed (openssl): verification, a custom CA, verification off, and what fails how.

const KEY = 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90'
let pki: TestPki
let misp: FakeMisp

const req = (patch: Partial<MispHttpRequest> = {}): MispHttpRequest => ({
  url: `${misp.url}/servers/getVersion`,
  method: 'GET',
  apiKey: KEY,
  verifyTls: true,
  timeoutMs: 5000,
  ...patch,
})

beforeAll(async () => {
  pki = makeTestPki()
  misp = await startFakeMisp({ key: KEY, now: 1551000000, tls: { key: pki.key, cert: pki.cert } })
})

afterAll(() => misp?.close())

describe('MISP over HTTPS', () => {
  it('refuses a certificate no trusted CA signed', async () => {
    await expect(mispHttp(req())).rejects.toMatchObject({ code: 'tls', message: expect.stringMatching(/certificate/i) })
    await expect(mispHttp(req({ caPem: pki.otherCaPem }))).rejects.toMatchObject({ code: 'tls' })
  })

  it('trusts the private CA it is given, besides the public roots', async () => {
    const res = await mispHttp(req({ caPem: pki.caPem }))
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body.toString()).version).toBe('2.4.190')
  })

  it('connects without checking when verification is off', async () => {
    expect((await mispHttp(req({ verifyTls: false }))).status).toBe(200)
  })

  it('says when the CA text is not a usable certificate', async () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
    await expect(mispHttp(req({ caPem: broken }))).rejects.toMatchObject({ code: 'tls', message: expect.stringMatching(/CA certificate cannot be used/) })
  })

  it('sends the key raw in Authorization, JSON headers, and the body for POST', async () => {
    const body = JSON.stringify({ returnFormat: 'json', page: 1, limit: 2, type: ['domain'] })
    const res = await mispHttp(req({ url: `${misp.url}/attributes/restSearch`, method: 'POST', body, caPem: pki.caPem }))
    expect(res.status).toBe(200)
    expect(res.resultCount).toMatch(/^\d+$/)
    expect(JSON.parse(res.body.toString()).response.Attribute).toHaveLength(2)
    const last = misp.requests.at(-1)!
    expect(last.headers).toMatchObject({ authorization: KEY, accept: 'application/json', 'content-type': 'application/json' })
    expect(last.body).toEqual(JSON.parse(body))
  })
})

describe('the HOST endpoint', () => {
  const call = (body: unknown) => handleMispRequest(new Request('http://host/v1/misp/request', { method: 'POST', body: JSON.stringify(body) }))

  it('passes the answer through with its status and result count', async () => {
    const res = await call(req({ verifyTls: false, apiKey: 'wrong-key-123456' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-misp-status')).toBe('403')
    expect(((await res.json()) as any).name).toMatch(/^Authentication failed/)
  })

  it('answers transport failures as 502 JSON without the key, and bad requests as 400', async () => {
    const res = await call(req())
    expect(res.status).toBe(502)
    const text = await res.text()
    expect(JSON.parse(text).error.code).toBe('tls')
    expect(text).not.toContain(KEY)
    const bad = await call(req({ url: 'file:///etc/passwd' }))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as any).error.code).toBe('bad_request')
    const header = await call(req({ apiKey: 'key\r\nX-Evil: 1' }))
    expect(header.status).toBe(400)
  })
})
