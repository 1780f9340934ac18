import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, startMoat, type TestMoat } from '../helpers/moat'

// "Beyond one box" (README): read nodes behind an HTTP cache. Debian's nginx with proxy_cache in
// front of a running Moat, configured as the README says; every request revalidates with
// If-None-Match, so the cache saves the body transfer but never serves a body older than a write.

const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx'

let moat: TestMoat
let admin: Client
let dir: string
let nginx: ChildProcess
let base: string

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  await new Promise((r) => srv.close(r))
  return port
}

async function get(p: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + p, { headers: { 'accept-encoding': 'identity', ...headers } })
  return { status: res.status, text: await res.text(), cache: res.headers.get('x-cache-status'), etag: res.headers.get('etag'), headers: res.headers }
}

async function addIoc(value: string) {
  const res = await admin.post('/api/v1/iocs', { value, confirm: true })
  expect(res.status, res.text).toBe(201)
}

beforeAll(async () => {
  moat = await startMoat()
  await moat.addUser('boss', 'admin')
  admin = new Client(moat.base)
  await admin.login('boss', moat.password)
  await addIoc('45.9.148.12')

  dir = mkdtempSync(path.join(tmpdir(), 'moat-nginx-'))
  const port = await freePort()
  const upstream = new URL(moat.base).host
  const root = process.getuid?.() === 0
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
${root ? '# Run as root (CI containers): workers would otherwise be nobody, who cannot write the private temp dir.\nuser root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=moat_feeds:1m max_size=64m inactive=1h use_temp_path=off;
  server {
    listen 127.0.0.1:${port};
    location /feed/ {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache moat_feeds;
      proxy_cache_key $scheme$proxy_host$request_uri$http_authorization;
      # Moat sends Cache-Control: no-cache (for devices) and X-Accel-Expires: @1 (for this cache):
      # store the body, revalidate it on every request with If-None-Match.
      proxy_ignore_headers Cache-Control Expires;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`,
  )
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  nginx.stderr!.on('data', (d) => (stderr += d))
  base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      // A 404 (no-store, not cached): the cache stays empty for the tests.
      await fetch(base + '/feed/not-a-feed')
      break
    } catch {
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${stderr}${existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
})

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx.once('exit', r))
    nginx.kill('SIGTERM')
    await exited
  }
  await moat?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('nginx proxy_cache in front of Moat', () => {
  it('serves 200 with the body, then revalidates (304 upstream) and never serves a body older than a write', async () => {
    const path = '/feed/pa/ip'
    const first = await get(path)
    expect(first.status).toBe(200)
    expect(first.text).toBe('45.9.148.12\n')
    expect(first.cache).toBe('MISS')
    // Meant for this cache only: nginx keeps it from clients.
    expect(first.headers.get('x-accel-expires')).toBeNull()

    const second = await get(path)
    expect(second.status).toBe(200)
    expect(second.text).toBe('45.9.148.12\n')
    // Moat answered 304 to nginx's If-None-Match; nginx served its stored body.
    expect(second.cache).toBe('REVALIDATED')
    expect(second.etag).toBe(first.etag)

    const conditional = await get(path, { 'if-none-match': first.etag! })
    expect(conditional.status).toBe(304)
    expect(conditional.cache).toBe('REVALIDATED')

    await addIoc('45.9.148.13')
    const after = await get(path)
    expect(after.status).toBe(200)
    expect(after.text).toBe('45.9.148.12\n45.9.148.13\n')
    expect(after.etag).not.toBe(first.etag)
    expect(after.cache).not.toBe('HIT')

    const again = await get(path)
    expect(again.text).toBe('45.9.148.12\n45.9.148.13\n')
    expect(again.cache).toBe('REVALIDATED')
  })

  it('does the same for a custom feed, including an edit of its definition', async () => {
    const created = await admin.post('/api/v1/custom-feeds', { slug: 'edge', name: 'Edge', format: 'plain', filters: { types: ['ip'] }, policy: { collapse: 'cidr' } })
    expect(created.status, created.text).toBe(201)
    const first = await get('/feed/custom/edge')
    expect(first.text).toBe('45.9.148.12/31\n')
    expect((await get('/feed/custom/edge')).cache).toBe('REVALIDATED')
    await addIoc('45.9.148.14')
    await addIoc('45.9.148.15')
    expect((await get('/feed/custom/edge')).text).toBe('45.9.148.12/30\n')
    const edited = await admin.patch(`/api/v1/custom-feeds/${created.json.feed.id}`, { slug: 'edge', name: 'Edge', format: 'esa', filters: { types: ['email'] } })
    expect(edited.status, edited.text).toBe(200)
    const now = await get('/feed/custom/edge')
    expect(now.text).toBe('')
    expect(now.headers.get('x-moat-empty')).toBe('1')
  })
})
