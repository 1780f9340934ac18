import { z } from 'zod'

const pem = (what: string) => z.string().trim().min(1, `${what} is required`).max(64 * 1024, `${what} is larger than 64 KiB`)

/** POST /api/v1/admin/tls: PEM texts; `serverName` defaults to the host of feeds.publicUrl. */
export const TlsUploadInput = z
  .object({
    certificate: pem('the certificate'),
    privateKey: pem('the private key'),
    chain: z.string().max(256 * 1024).optional(),
    serverName: z.string().trim().max(253).optional(),
  })
  .strict()
export type TlsUploadInput = z.infer<typeof TlsUploadInput>

export const TlsCertificate = z.object({
  subject: z.string(),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
  serialNumber: z.string(),
  chainLength: z.number(),
  source: z.enum(['uploaded', 'self-signed']),
  serverName: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
})
export type TlsCertificate = z.infer<typeof TlsCertificate>

/** What is stored and what the launcher serves; a new certificate is served after a restart. */
export const TlsStatus = z.object({
  https: z.boolean(),
  servingFingerprint256: z.string().nullable(),
  certificate: TlsCertificate.nullable(),
  restartRequired: z.boolean(),
  /** The host of feeds.publicUrl: the server name used when an upload names none. */
  defaultServerName: z.string().optional(),
})
export type TlsStatus = z.infer<typeof TlsStatus>
