import { statfs } from 'node:fs/promises'
import { createBackupHost } from './host-backups'
import { handleLdapRequest } from './host-ldap'
import { handleMispRequest } from './host-misp'
import { createAuditSink, type ShipRecord, type ShipRequest, type SyslogTarget } from './host-syslog'
import { createYaraHost } from './host-yara'
import { createTlsHost } from './host-tls'
import { handleGeoip } from './geoip-host'
import { log } from './log'

/**
 * The Node side of the `HOST` service binding: capabilities workerd lacks (file system facts,
 * the audit file and UDP syslog; later LDAP, certificates and backups). Reachable only from the
 * worker, never from the network.
 */
export function createHostHandler(dataDir: string, opts: { servingCertPath?: string } = {}) {
  const audit = createAuditSink(dataDir)
  const tls = createTlsHost(dataDir, opts.servingCertPath)
  const yara = createYaraHost()
  const backups = createBackupHost(dataDir)
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    try {
      if (url.pathname.startsWith('/v1/yara/')) return await yara.handle(request, url.pathname)
      if (url.pathname.startsWith('/v1/backups')) return await backups(request, url.pathname)
      if (request.method === 'GET' && url.pathname === '/v1/disk') {
        const st = await statfs(dataDir)
        return Response.json({ freeBytes: st.bavail * st.bsize, totalBytes: st.blocks * st.bsize })
      }
      if (request.method === 'POST' && url.pathname === '/v1/audit/ship') {
        return Response.json(await audit.ship((await request.json()) as ShipRequest))
      }
      if (request.method === 'POST' && url.pathname === '/v1/audit/test') {
        const { target, record } = (await request.json()) as { target: SyslogTarget; record: ShipRecord }
        try {
          await audit.test(target, record)
          return Response.json({ ok: true })
        } catch (err) {
          return Response.json({ ok: false, error: err instanceof Error ? err.message : String(err) }, { status: 502 })
        }
      }
      if (request.method === 'POST' && url.pathname === '/v1/misp/request') return handleMispRequest(request)
      if (request.method === 'POST' && url.pathname.startsWith('/v1/ldap/')) return await handleLdapRequest(request, url.pathname)
      if (url.pathname === '/v1/geoip') return await handleGeoip(request, dataDir)
      if (url.pathname === '/v1/tls') return await tls(request)
      return Response.json({ error: { code: 'not_found', message: `HOST has no ${url.pathname}` } }, { status: 404 })
    } catch (err) {
      log('error', 'host binding failed', { path: url.pathname, error: String(err) })
      return Response.json({ error: { code: 'internal', message: 'host capability failed' } }, { status: 500 })
    }
  }
}
