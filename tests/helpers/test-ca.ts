import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface TestPki {
  caPem: string
  /** Another CA that signed nothing here: trusting it must not help. */
  otherCaPem: string
  key: string
  cert: string
}

/**
 * A private CA and a server certificate for 127.0.0.1 signed by it, made with the system's
 * openssl (P-256 keys, valid for two days): what an admin of a self-signed MISP has.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-pki-'))
  const f = (name: string) => path.join(dir, name)
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  try {
    for (const ca of ['ca', 'other']) {
      ssl('req', '-x509', ...ec, '-keyout', f(`${ca}.key`), '-out', f(`${ca}.pem`), '-days', '2', '-subj', `/CN=Moat test ${ca} CA`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    }
    ssl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=misp.test')
    writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n')
    ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf'))
    return {
      caPem: readFileSync(f('ca.pem'), 'utf8'),
      otherCaPem: readFileSync(f('other.pem'), 'utf8'),
      key: readFileSync(f('server.key'), 'utf8'),
      cert: readFileSync(f('server.pem'), 'utf8'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
