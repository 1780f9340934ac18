import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { hashPassword } from '../../functions/lib/password'
import { bootstrapAdmin, createRuntime, migrate, type Runtime } from '../../bin/runtime'

export const ADMIN_PASSWORD = 'first-Start-pass-2468'

export interface TestMoat {
  rt: Runtime
  base: string
  db: Awaited<ReturnType<Runtime['mf']['getD1Database']>>
  /** Creates a local user straight in D1 (password already changed unless asked). */
  addUser(username: string, role: 'admin' | 'analyst' | 'viewer', opts?: { mustChange?: boolean }): Promise<number>
  password: string
  close(): Promise<void>
}

/**
 * A real Moat: the bundled worker in workerd with its D1 in a fresh temporary data folder, the
 * real migrations applied and the first admin created, exactly as `moat start` does.
 */
export async function startMoat(dataDir?: string): Promise<TestMoat> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'moat-test-'))
  const rt = await createRuntime({ dataDir: dir, host: '127.0.0.1', port: 0, trustedProxies: ['127.0.0.1'] })
  await migrate(rt)
  await bootstrapAdmin(rt, ADMIN_PASSWORD)
  const db = await rt.mf.getD1Database('DB')
  // One hash per suite: scrypt is deliberately slow.
  const password = 'Analyst-pass-13579-x'
  const hash = await hashPassword(password)
  return {
    rt,
    db,
    password,
    base: rt.url.href.replace(/\/$/, ''),
    async addUser(username, role, opts = {}) {
      const row = await db
        .prepare(
          `INSERT INTO users (username, display_name, role, password_hash, must_change_password) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        )
        .bind(username, username.toUpperCase(), role, hash, opts.mustChange ? 1 : 0)
        .first<{ id: number }>()
      return row!.id
    },
    async close() {
      await rt.dispose()
      if (!dataDir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A browser-like client: keeps cookies, echoes the CSRF cookie on writes. */
export class Client {
  cookies = new Map<string, string>()
  constructor(
    readonly base: string,
    readonly ip = '203.0.113.10',
  ) {}

  get csrf() {
    return this.cookies.get('moat_csrf') ?? ''
  }

  async request(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { 'x-forwarded-for': this.ip, ...headers }
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    if (method !== 'GET' && method !== 'HEAD' && !('x-csrf-token' in h) && this.csrf) h['x-csrf-token'] = this.csrf
    let payload: BodyInit | undefined
    if (body instanceof FormData || typeof body === 'string') payload = body
    else if (body !== undefined) {
      payload = JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
    const res = await fetch(this.base + p, { method, headers: h, body: payload, redirect: 'manual' })
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';')
      const [k, v] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || v === '') this.cookies.delete(k)
      else this.cookies.set(k, v)
    }
    const text = await res.text()
    let json: any
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, json, text }
  }

  get = (p: string, headers?: Record<string, string>) => this.request('GET', p, undefined, headers)
  post = (p: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', p, body, headers)
  patch = (p: string, body?: unknown, headers?: Record<string, string>) => this.request('PATCH', p, body, headers)
  del = (p: string, headers?: Record<string, string>) => this.request('DELETE', p, undefined, headers)

  async login(username: string, password: string) {
    const res = await this.post('/api/v1/auth/login', { username, password })
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`)
    return res
  }
}
