import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { pemBlocks, readTls, storeTls, validateUpload, type TlsUpload } from './tls'
import { log } from './log'

/**
 * HOST routes for the server certificate: GET /v1/tls (what is stored and what is being served)
 * and PUT /v1/tls (validate, then store). The private key never leaves this module.
 */
export function createTlsHost(dataDir: string, servingCertPath?: string) {
  let serving: string | null = null
  if (servingCertPath) {
    try {
      serving = new X509Certificate(pemBlocks(readFileSync(servingCertPath, 'utf8'))[0]).fingerprint256
    } catch {
      serving = null
    }
  }
  const status = () => {
    const stored = readTls(dataDir)
    return {
      https: Boolean(servingCertPath),
      servingFingerprint256: serving,
      certificate: stored ? { ...stored.info, source: stored.meta.source, serverName: stored.meta.serverName, updatedAt: stored.meta.updatedAt, updatedBy: stored.meta.updatedBy } : null,
      // A new certificate is read at start: the launcher serves the old one until restarted.
      restartRequired: Boolean(stored) && stored!.info.fingerprint256 !== serving,
    }
  }
  return async (request: Request): Promise<Response> => {
    if (request.method === 'GET') return Response.json(status())
    if (request.method === 'PUT') {
      const body = (await request.json()) as TlsUpload & { actor?: string }
      const checked = validateUpload(body)
      if (!checked.ok) return Response.json({ errors: checked.errors }, { status: 422 })
      storeTls(dataDir, body, 'uploaded', body.actor ?? null)
      log('info', 'TLS certificate stored; restart Moat to serve it', { fingerprint256: checked.leaf.fingerprint256 })
      return Response.json(status())
    }
    return Response.json({ error: { code: 'method_not_allowed', message: 'GET or PUT' } }, { status: 405 })
  }
}
