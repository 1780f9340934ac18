import { Hono, type Context } from 'hono'
import { TlsStatus, TlsUploadInput } from '../../schema/contracts/tls'
import type { FieldIssue } from '../../schema/contracts/common'
import type { AppEnv } from '../env'
import { auditAction } from '../lib/audit'
import { requireAuth, requireRole } from '../lib/auth'
import { ApiError, fieldError } from '../lib/errors'
import { zv } from '../lib/validate'
import { getSetting } from '../repos/settings'

// The server certificate. Parsing and checking X.509 needs node:crypto, which workerd lacks, so
// both routes go to the launcher's Node side (HOST /v1/tls), which also keeps the key file.

function host(c: Context<AppEnv>): Fetcher {
  if (!c.env.HOST) throw new ApiError(503, 'host_unavailable', 'This deployment has no launcher to keep a certificate (HOST binding)')
  return c.env.HOST
}

/** The configured name: feeds.publicUrl's host, the name devices and browsers use. */
async function defaultServerName(c: Context<AppEnv>): Promise<string> {
  const publicUrl = await getSetting(c.var.db, 'feeds.publicUrl')
  try {
    return publicUrl ? new URL(publicUrl).hostname.replace(/^\[|\]$/g, '') : ''
  } catch {
    return ''
  }
}

export const adminTlsRoutes = new Hono<AppEnv>()
  .use('/*', requireAuth, requireRole('admin'))
  .get('/', async (c) => {
    const res = await host(c).fetch('http://host/v1/tls')
    const status = TlsStatus.parse(await res.json())
    return c.json({ ...status, defaultServerName: await defaultServerName(c) })
  })
  .post('/', zv('json', TlsUploadInput), async (c) => {
    const input = c.req.valid('json')
    const serverName = input.serverName || (await defaultServerName(c))
    if (!serverName) throw fieldError(422, 'serverName', 'is required: set it here or set the public URL (feeds.publicUrl)', 'required')
    const res = await host(c).fetch('http://host/v1/tls', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...input, serverName, actor: c.var.user.username }),
    })
    if (res.status === 422) {
      const { errors } = (await res.json()) as { errors: FieldIssue[] }
      const summary = errors.map((e) => `${e.field}: ${e.reason}`).join('; ')
      throw new ApiError(422, 'validation_failed', summary, { fields: errors })
    }
    if (!res.ok) throw new ApiError(502, 'host_failed', 'The launcher could not store the certificate')
    const status = TlsStatus.parse(await res.json())
    await auditAction(c, 'tls.update', serverName, {
      fingerprint256: status.certificate?.fingerprint256,
      validTo: status.certificate?.validTo,
    })
    return c.json({ ...status, defaultServerName: await defaultServerName(c) })
  })
