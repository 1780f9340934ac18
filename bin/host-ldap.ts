import { X509Certificate } from 'node:crypto'
import { rootCertificates } from 'node:tls'
import { Client, type Entry } from 'ldapts'
import { escapeFilterValue, normalizeDn, userFilter } from '../functions/domain/ldap'

// The Node side of LDAP / Active Directory sign-in (functions/lib/ldap-client.ts asks through the
// HOST binding): workerd has no LDAP client. One short connection per request: bind with the
// service account, find the user with the configured filter (the username escaped per RFC 4515),
// read group membership, then bind as the user. Passwords arrive in the request body and go only
// to the directory: never logged, never echoed (error messages here are the directory's or Node's).

export interface LdapConn {
  url: string
  startTls: boolean
  caPem: string
  bindDn: string
  bindPassword: string
  searchBase: string
  searchFilter: string
  timeoutMs: number
}

export type LdapFailure = 'connect' | 'tls' | 'timeout' | 'bind_failed' | 'not_found' | 'ambiguous' | 'invalid_credentials' | 'search_failed' | 'bad_request'

export class LdapHostError extends Error {
  constructor(
    readonly code: LdapFailure,
    message: string,
  ) {
    super(message)
    this.name = 'LdapHostError'
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME|EPROTO/i

function classify(err: unknown, during: 'connect' | 'bind' | 'search' | 'starttls'): LdapHostError {
  if (err instanceof LdapHostError) return err
  const e = err as NodeJS.ErrnoException & { code?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = e instanceof Error ? e.message : String(err)
  const ldapCode = typeof e?.code === 'number' ? (e.code as number) : undefined
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new LdapHostError('connect', `${code}: ${message}`)
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(message)) return new LdapHostError('tls', `${code ? `${code}: ` : ''}${message}`)
  if (/timeout|timed out/i.test(message)) return new LdapHostError('timeout', message)
  if (ldapCode === 49 || /InvalidCredentials/i.test(e?.name ?? '')) return new LdapHostError(during === 'bind' ? 'bind_failed' : 'invalid_credentials', 'invalid credentials (LDAP result 49)')
  if (/connection|socket|closed/i.test(message)) return new LdapHostError('connect', message)
  if (during === 'bind') return new LdapHostError('bind_failed', message)
  return new LdapHostError(during === 'starttls' ? 'tls' : 'search_failed', message)
}

function checkCa(pem: string) {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (!blocks.length) throw new LdapHostError('tls', 'the CA certificate cannot be used: no PEM certificate in it')
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block)
    } catch (err) {
      throw new LdapHostError('tls', `the CA certificate cannot be used: block ${i + 1} is not a certificate (${(err as Error).message})`)
    }
  }
}

function validate(conn: LdapConn): URL {
  let url: URL
  try {
    url = new URL(conn.url)
  } catch {
    throw new LdapHostError('bad_request', 'url is not a valid ldap:// or ldaps:// address')
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') throw new LdapHostError('bad_request', 'url must be ldap:// or ldaps://')
  if (url.protocol === 'ldaps:' && conn.startTls) throw new LdapHostError('bad_request', 'StartTLS is for ldap:// addresses; ldaps:// is already encrypted')
  if (!conn.searchBase) throw new LdapHostError('bad_request', 'searchBase is required')
  if (!conn.searchFilter.includes('{username}')) throw new LdapHostError('bad_request', 'searchFilter must contain {username}')
  if (conn.caPem.trim()) checkCa(conn.caPem)
  return url
}

function tlsOptions(conn: LdapConn, url: URL) {
  const ip = /^[\d.]+$|:/.test(url.hostname)
  return {
    // The name the certificate must carry (StartTLS upgrades a socket, so Node needs it spelled out).
    host: url.hostname.replace(/^\[|\]$/g, ''),
    // The configured CA beside the public roots (a publicly signed directory keeps working).
    ...(conn.caPem.trim() ? { ca: [...rootCertificates, conn.caPem] } : {}),
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2' as const,
    servername: ip ? undefined : url.hostname,
  }
}

const first = (v: Entry[string] | undefined): string => {
  if (v === undefined) return ''
  const one = Array.isArray(v) ? v[0] : v
  return one === undefined ? '' : Buffer.isBuffer(one) ? one.toString('utf8') : String(one)
}
const all = (v: Entry[string] | undefined): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)))

interface Step {
  step: 'connect' | 'starttls' | 'bind' | 'search' | 'groups' | 'userBind'
  ok: boolean
  ms: number
  message: string
  code?: string
}

/** One session with the directory; `trace` records each step for "test connection". */
class Session {
  readonly steps: Step[] = []
  private client: Client
  private url: URL

  constructor(private conn: LdapConn) {
    this.url = validate(conn)
    const secure = this.url.protocol === 'ldaps:'
    this.client = new Client({
      url: conn.url,
      timeout: conn.timeoutMs,
      connectTimeout: conn.timeoutMs,
      ...(secure ? { tlsOptions: tlsOptions(conn, this.url) } : {}),
      strictDN: false,
    })
  }

  private async run<T>(step: Step['step'], during: 'connect' | 'bind' | 'search' | 'starttls', fn: () => Promise<T>, ok: (r: T) => string): Promise<T> {
    const started = Date.now()
    try {
      const r = await fn()
      this.steps.push({ step, ok: true, ms: Date.now() - started, message: ok(r) })
      return r
    } catch (err) {
      const e = classify(err, during)
      this.steps.push({ step, ok: false, ms: Date.now() - started, message: e.message, code: e.code })
      throw e
    }
  }

  async open() {
    // ldapts connects lazily; StartTLS (or the first bind) opens the socket.
    if (this.conn.startTls) {
      await this.run('starttls', 'starttls', () => this.client.startTLS(tlsOptions(this.conn, this.url)), () => 'TLS established')
    }
    const who = this.conn.bindDn || 'anonymous'
    await this.run(
      'bind',
      'bind',
      async () => {
        if (this.conn.bindDn) await this.client.bind(this.conn.bindDn, this.conn.bindPassword)
        else await this.client.bind('', '')
      },
      () => `bound as ${who}`,
    )
  }

  async findUser(username: string) {
    const filter = userFilter(this.conn.searchFilter, username)
    return this.run(
      'search',
      'search',
      async () => {
        let entries: Entry[]
        try {
          ;({ searchEntries: entries } = await this.client.search(this.conn.searchBase, {
            scope: 'sub',
            filter,
            sizeLimit: 2,
            attributes: ['dn', 'cn', 'displayName', 'mail', 'memberOf'],
          }))
        } catch (err) {
          if ((err as { code?: unknown }).code === 4) throw new LdapHostError('ambiguous', `more than one entry matches ${filter}`)
          if ((err as { code?: unknown }).code === 32) throw new LdapHostError('search_failed', `the search base ${this.conn.searchBase} does not exist`)
          throw err
        }
        if (entries.length === 0) throw new LdapHostError('not_found', `no entry matches ${filter} under ${this.conn.searchBase}`)
        if (entries.length > 1) throw new LdapHostError('ambiguous', `more than one entry matches ${filter}`)
        return entries[0]
      },
      (e) => `found ${e.dn}`,
    )
  }

  /** The configured group DNs the user is in: memberOf on the entry (AD), else member/uniqueMember on the group. */
  async groupsOf(entry: Entry, groupDns: string[]) {
    return this.run(
      'groups',
      'search',
      async () => {
        const memberOf = new Set(all(entry.memberOf).map(normalizeDn))
        const found: string[] = []
        const escaped = escapeFilterValue(entry.dn)
        for (const dn of groupDns) {
          if (memberOf.has(normalizeDn(dn))) {
            found.push(dn)
            continue
          }
          try {
            const { searchEntries } = await this.client.search(dn, {
              scope: 'base',
              filter: `(|(member=${escaped})(uniqueMember=${escaped}))`,
              attributes: ['dn'],
            })
            if (searchEntries.length) found.push(dn)
          } catch (err) {
            // A mapped group that does not exist (32) is simply not a membership.
            if ((err as { code?: unknown }).code !== 32) throw err
          }
        }
        return found
      },
      (found) => (found.length ? `member of ${found.join('; ')}` : 'in none of the mapped groups'),
    )
  }

  async userBind(dn: string, password: string) {
    // An empty password would be an "unauthenticated bind", which directories accept: never a login.
    if (!password) throw new LdapHostError('invalid_credentials', 'an empty password is never accepted')
    await this.run(
      'userBind',
      'search',
      async () => {
        try {
          await this.client.bind(dn, password)
        } catch (err) {
          if ((err as { code?: unknown }).code === 49) throw new LdapHostError('invalid_credentials', 'the directory refused the password (LDAP result 49)')
          throw err
        }
      },
      () => `bound as ${dn}`,
    )
  }

  async close() {
    try {
      await this.client.unbind()
    } catch {
      // already closed
    }
  }
}

export interface LdapLoginRequest {
  conn: LdapConn
  username: string
  password: string
  groupDns: string[]
}

export type LdapLoginResult =
  | { ok: true; dn: string; displayName: string; email: string; groups: string[] }
  | { ok: false; code: LdapFailure; message: string }

export async function ldapLogin(req: LdapLoginRequest): Promise<LdapLoginResult> {
  let session: Session | undefined
  try {
    if (!req.password) return { ok: false, code: 'invalid_credentials', message: 'an empty password is never accepted' }
    session = new Session(req.conn)
    await session.open()
    const entry = await session.findUser(req.username)
    const groups = await session.groupsOf(entry, req.groupDns)
    await session.userBind(entry.dn, req.password)
    return { ok: true, dn: entry.dn, displayName: first(entry.displayName) || first(entry.cn), email: first(entry.mail), groups }
  } catch (err) {
    const e = classify(err, 'search')
    return { ok: false, code: e.code, message: e.message }
  } finally {
    await session?.close()
  }
}

export interface LdapTestRequest {
  conn: LdapConn
  username: string
  password?: string
  groupDns: string[]
}

export async function ldapTest(req: LdapTestRequest) {
  let session: Session | undefined
  const result = { ok: false, steps: [] as Step[], dn: null as string | null, groups: [] as string[] }
  try {
    session = new Session(req.conn)
    try {
      await session.open()
      result.steps = session.steps
      const entry = await session.findUser(req.username)
      result.dn = entry.dn
      result.groups = await session.groupsOf(entry, req.groupDns)
      if (req.password) await session.userBind(entry.dn, req.password)
      result.ok = true
    } catch {
      // the failed step is in session.steps
    }
    result.steps = session.steps
    // "connect" is implied by the first step that reached the server (for ldaps://, the TLS handshake is part of it).
    const early = session.steps[0]?.code
    const ldaps = req.conn.url.startsWith('ldaps:')
    const reached = session.steps.length > 0 && early !== 'connect' && early !== 'timeout' && !(ldaps && early === 'tls')
    result.steps = [{ step: 'connect', ok: reached, ms: 0, message: reached ? `connected to ${req.conn.url}` : session.steps[0]?.message ?? 'not attempted', ...(reached ? {} : { code: session.steps[0]?.code }) }, ...session.steps.filter((s) => reached || s !== session!.steps[0])]
  } catch (err) {
    const e = classify(err, 'connect')
    result.steps = [{ step: 'connect', ok: false, ms: 0, message: e.message, code: e.code }]
  } finally {
    await session?.close()
  }
  return result
}

/** HOST `POST /v1/ldap/login` and `POST /v1/ldap/test`. */
export async function handleLdapRequest(request: Request, pathname: string): Promise<Response> {
  let body: LdapLoginRequest & LdapTestRequest
  try {
    body = (await request.json()) as LdapLoginRequest & LdapTestRequest
  } catch {
    return Response.json({ error: { code: 'bad_request', message: 'the body is not JSON' } }, { status: 400 })
  }
  if (!body?.conn || typeof body.username !== 'string' || !Array.isArray(body.groupDns)) {
    return Response.json({ error: { code: 'bad_request', message: 'conn, username and groupDns are required' } }, { status: 400 })
  }
  if (pathname === '/v1/ldap/login') return Response.json(await ldapLogin(body))
  if (pathname === '/v1/ldap/test') return Response.json(await ldapTest(body))
  return Response.json({ error: { code: 'not_found', message: `HOST has no ${pathname}` } }, { status: 404 })
}
