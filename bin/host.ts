import { statfs } from 'node:fs/promises'
import { log } from './log'

/**
 * The Node side of the `HOST` service binding: capabilities workerd lacks (file system facts now;
 * LDAP, UDP syslog, certificates and backups later). Reachable only from the worker, never from
 * the network.
 */
export function createHostHandler(dataDir: string) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    try {
      if (request.method === 'GET' && url.pathname === '/v1/disk') {
        const st = await statfs(dataDir)
        return Response.json({ freeBytes: st.bavail * st.bsize, totalBytes: st.blocks * st.bsize })
      }
      return Response.json({ error: { code: 'not_found', message: `HOST has no ${url.pathname}` } }, { status: 404 })
    } catch (err) {
      log('error', 'host binding failed', { path: url.pathname, error: String(err) })
      return Response.json({ error: { code: 'internal', message: 'host capability failed' } }, { status: 500 })
    }
  }
}
