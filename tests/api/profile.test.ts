import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
beforeAll(async () => {
  moat = await startMoat()
})
afterAll(() => moat.close())

// A real 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

const form = (bytes: Uint8Array, name: string, type: string) => {
  const fd = new FormData()
  fd.append('file', new Blob([bytes as BlobPart], { type }), name)
  return fd
}

async function signedIn(name: string) {
  await moat.addUser(name, 'analyst')
  const c = new Client(moat.base)
  await c.login(name, moat.password)
  return c
}

describe('profile', () => {
  it('updates display name, email, role description, language and theme', async () => {
    const c = await signedIn('paula')
    const res = await c.patch('/api/v1/auth/me', {
      displayName: 'Paula P.',
      email: 'Paula@Example.org',
      roleDescription: 'Tier 2 analyst',
      locale: 'he',
      theme: 'dark',
    })
    expect(res.status).toBe(200)
    expect(res.json.user).toMatchObject({ displayName: 'Paula P.', roleDescription: 'Tier 2 analyst', locale: 'he', theme: 'dark' })
    expect((await c.get('/api/v1/auth/me')).json.user.locale).toBe('he')
  })

  it('names the field and the reason for bad profile input, and refuses unknown fields', async () => {
    const c = await signedIn('quinn')
    const bad = await c.patch('/api/v1/auth/me', { email: 'not-an-email', locale: 'fr' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.details.fields.map((f: any) => f.field).sort()).toEqual(['email', 'locale'])
    const escalate = await c.patch('/api/v1/auth/me', { role: 'admin' })
    expect(escalate.status).toBe(400)
    expect(escalate.json.error.details.fields[0].code).toBe('unrecognized_keys')
    expect((await c.get('/api/v1/auth/me')).json.user.role).toBe('analyst')
  })
})

describe('avatar', () => {
  it('stores a PNG and serves it back with its type and nosniff', async () => {
    const c = await signedIn('rita')
    const up = await c.post('/api/v1/auth/me/avatar', form(PNG, 'me.png', 'image/png'))
    expect(up.status).toBe(200)
    expect(up.json.user.hasAvatar).toBe(true)
    const res = await fetch(`${moat.base}/api/v1/users/${up.json.user.id}/avatar`, {
      headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true)
    const removed = await c.del('/api/v1/auth/me/avatar')
    expect(removed.json.user.hasAvatar).toBe(false)
  })

  it('refuses an SVG or HTML file named .png with 415, judged by content', async () => {
    const c = await signedIn('sam')
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    const res = await c.post('/api/v1/auth/me/avatar', form(svg, 'cat.png', 'image/png'))
    expect(res.status).toBe(415)
    expect(res.json.error.details.fields[0]).toMatchObject({ field: 'file', code: 'unsupported_image' })
    expect((await c.get('/api/v1/auth/me')).json.user.hasAvatar).toBe(false)
  })

  it('refuses an image over 1 MiB with 413 and a missing file with 400', async () => {
    const c = await signedIn('tom')
    const big = new Uint8Array(1024 * 1024 + 10)
    big.set(PNG)
    const res = await c.post('/api/v1/auth/me/avatar', form(big, 'big.png', 'image/png'))
    expect(res.status).toBe(413)
    expect(res.json.error.code).toBe('payload_too_large')
    const empty = new FormData()
    empty.append('other', 'x')
    const none = await c.post('/api/v1/auth/me/avatar', empty)
    expect(none.status).toBe(400)
    expect(none.json.error.details.fields[0]).toMatchObject({ field: 'file', code: 'required' })
  })
})
