import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'

// The server certificate: uploaded by an admin (validated here, on the Node side, because workerd
// has no X509Certificate), or generated self-signed when asked. Stored as files in <data>/tls:
// the launcher needs them before the worker exists. The key file is 0600 in a 0700 folder and no
// API ever returns it.

export interface TlsFiles {
  dir: string
  cert: string
  key: string
  meta: string
}

export interface TlsMeta {
  source: 'uploaded' | 'self-signed'
  serverName: string
  updatedAt: string
  updatedBy: string | null
}

export interface CertInfo {
  subject: string
  issuer: string
  subjectAltNames: string[]
  validFrom: string
  validTo: string
  fingerprint256: string
  serialNumber: string
  chainLength: number
}

export interface FieldError {
  field: 'certificate' | 'privateKey' | 'chain' | 'serverName'
  reason: string
  code: string
  /** Values for the UI's translated message (dates, names). */
  params?: Record<string, string | number>
}

export const tlsFiles = (dataDir: string): TlsFiles => {
  const dir = path.join(dataDir, 'tls')
  return { dir, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), meta: path.join(dir, 'meta.json') }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** Splits a PEM text into its certificate blocks (a chain file may hold several). */
export function pemBlocks(text: string): string[] {
  return text.match(PEM_CERT) ?? []
}

const iso = (d: string) => new Date(d).toISOString()

export function describeCert(cert: X509Certificate, chainLength = 0): CertInfo {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    subjectAltNames: (cert.subjectAltName ?? '').split(/,\s*/).filter(Boolean),
    validFrom: iso(cert.validFrom),
    validTo: iso(cert.validTo),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    chainLength,
  }
}

export interface TlsUpload {
  certificate: string
  privateKey: string
  chain?: string
  serverName: string
}

type Checked = { ok: true; leaf: X509Certificate; chain: X509Certificate[]; key: KeyObject } | { ok: false; errors: FieldError[] }

/** Validates an upload: parseable PEMs, key matches, valid now, issued for the server name, chain links. */
export function validateUpload(input: TlsUpload, now = new Date()): Checked {
  const errors: FieldError[] = []
  const certBlocks = pemBlocks(input.certificate)
  let leaf: X509Certificate | undefined
  if (certBlocks.length === 0) errors.push({ field: 'certificate', code: 'invalid_pem', reason: 'is not a PEM certificate (-----BEGIN CERTIFICATE-----)' })
  else {
    try {
      leaf = new X509Certificate(certBlocks[0])
    } catch (err) {
      errors.push({ field: 'certificate', code: 'invalid_pem', reason: `cannot be read: ${(err as Error).message}` })
    }
  }
  let key: KeyObject | undefined
  if (/ENCRYPTED/.test(input.privateKey)) {
    errors.push({ field: 'privateKey', code: 'encrypted_key', reason: 'is encrypted with a passphrase; upload the key without one' })
  } else {
    try {
      key = createPrivateKey(input.privateKey)
    } catch {
      errors.push({ field: 'privateKey', code: 'invalid_pem', reason: 'is not a PEM private key (PKCS#8, PKCS#1 or SEC1)' })
    }
  }
  // Extra certificates pasted after the leaf count as chain too.
  const chainBlocks = [...certBlocks.slice(1), ...pemBlocks(input.chain ?? '')]
  if (input.chain?.trim() && pemBlocks(input.chain).length === 0) {
    errors.push({ field: 'chain', code: 'invalid_pem', reason: 'holds no PEM certificate' })
  }
  const chain: X509Certificate[] = []
  for (const [i, block] of chainBlocks.entries()) {
    try {
      chain.push(new X509Certificate(block))
    } catch (err) {
      errors.push({ field: 'chain', code: 'invalid_pem', reason: `certificate ${i + 1} cannot be read: ${(err as Error).message}` })
    }
  }
  const name = input.serverName.trim().toLowerCase()
  if (!name) errors.push({ field: 'serverName', code: 'required', reason: 'is required: the host name clients use to reach Moat' })
  if (leaf) {
    if (key && !leaf.checkPrivateKey(key)) {
      errors.push({ field: 'privateKey', code: 'key_mismatch', reason: 'does not match the certificate (a different key pair)' })
    }
    const from = new Date(leaf.validFrom)
    const to = new Date(leaf.validTo)
    if (to <= now) errors.push({ field: 'certificate', code: 'expired', reason: `expired on ${to.toISOString()}`, params: { date: to.toISOString() } })
    else if (from > now) errors.push({ field: 'certificate', code: 'not_yet_valid', reason: `is not valid before ${from.toISOString()}`, params: { date: from.toISOString() } })
    if (name) {
      let matches = false
      try {
        matches = isIP(name) ? leaf.checkIP(name) !== undefined : leaf.checkHost(name) !== undefined
      } catch {
        // A name node:crypto cannot even compare (control characters...) matches nothing.
      }
      if (!/^[a-z0-9.:*-]+$/.test(name)) {
        errors.push({ field: 'serverName', code: 'invalid', reason: 'is not a host name or IP address' })
      } else if (!matches) {
        const names = describeCert(leaf).subjectAltNames.join(', ') || leaf.subject.replace(/\n/g, ', ')
        errors.push({ field: 'certificate', code: 'hostname_mismatch', reason: `is not issued for ${name} (it names ${names})`, params: { name, names } })
      }
    }
    // Each certificate must be issued (and signed) by the next one.
    const path = [leaf, ...chain]
    for (let i = 0; i + 1 < path.length && errors.every((e) => e.field !== 'chain'); i++) {
      if (!path[i].checkIssued(path[i + 1]) || !path[i].verify(path[i + 1].publicKey)) {
        errors.push({ field: 'chain', code: 'chain_broken', reason: `certificate ${i + 1} of the chain did not issue the one before it`, params: { index: i + 1 } })
      }
    }
  }
  if (errors.length || !leaf || !key) return { ok: false, errors }
  return { ok: true, leaf, chain, key }
}

function writeAtomic(file: string, text: string, mode: number) {
  const tmp = `${file}.tmp`
  writeFileSync(tmp, text, { mode })
  chmodSync(tmp, mode)
  renameSync(tmp, file)
}

/** Stores a validated certificate (leaf + chain) and key; takes effect at the next start. */
export function storeTls(dataDir: string, input: TlsUpload, source: TlsMeta['source'], updatedBy: string | null): CertInfo {
  const checked = validateUpload(input)
  if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.field}: ${e.reason}`).join('; '))
  const files = tlsFiles(dataDir)
  mkdirSync(files.dir, { recursive: true, mode: 0o700 })
  chmodSync(files.dir, 0o700)
  const certPem = [checked.leaf, ...checked.chain].map((c) => c.toString().trim()).join('\n') + '\n'
  const keyPem = checked.key.export({ type: 'pkcs8', format: 'pem' }).toString()
  writeAtomic(files.key, keyPem, 0o600)
  writeAtomic(files.cert, certPem, 0o644)
  const meta: TlsMeta = { source, serverName: input.serverName.trim().toLowerCase(), updatedAt: new Date().toISOString(), updatedBy }
  writeAtomic(files.meta, JSON.stringify(meta, null, 2) + '\n', 0o644)
  return describeCert(checked.leaf, checked.chain.length)
}

/** The stored certificate, or null. */
export function readTls(dataDir: string): { meta: TlsMeta; info: CertInfo; files: TlsFiles } | null {
  const files = tlsFiles(dataDir)
  if (!existsSync(files.cert) || !existsSync(files.key)) return null
  const blocks = pemBlocks(readFileSync(files.cert, 'utf8'))
  if (!blocks.length) return null
  const meta = existsSync(files.meta)
    ? (JSON.parse(readFileSync(files.meta, 'utf8')) as TlsMeta)
    : { source: 'uploaded' as const, serverName: '', updatedAt: '', updatedBy: null }
  return { meta, info: describeCert(new X509Certificate(blocks[0]), blocks.length - 1), files }
}
