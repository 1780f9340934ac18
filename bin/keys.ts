import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface Keys {
  sessionSecret: string
  /** AES-256-GCM key (32 bytes, base64url) for secrets at rest: MISP key, LDAP bind password. */
  secretsKey: string
}

function write(file: string, keys: Keys) {
  // Write-then-rename: a crash mid-write never leaves a half keys file behind.
  const tmp = `${file}.tmp`
  writeFileSync(tmp, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, file)
}

const newSecretsKey = () => randomBytes(32).toString('base64url')

/**
 * Secrets that must survive restarts live in `<data>/keys.json`, readable by the owner only. Back
 * it up with the database: without it every session ends and encrypted settings cannot be read.
 * A keys file from an older version gains the keys it lacks; existing keys are never replaced.
 */
export function loadOrCreateKeys(dataDir: string): Keys {
  const file = path.join(dataDir, 'keys.json')
  mkdirSync(dataDir, { recursive: true })
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as Partial<Keys>
    if (typeof keys.sessionSecret !== 'string' || keys.sessionSecret.length < 32) {
      throw new Error(`${file} is damaged: sessionSecret missing or too short`)
    }
    if (keys.secretsKey === undefined) {
      const upgraded = { ...keys, secretsKey: newSecretsKey() } as Keys
      write(file, upgraded)
      return upgraded
    }
    if (typeof keys.secretsKey !== 'string' || Buffer.from(keys.secretsKey, 'base64url').length !== 32) {
      throw new Error(`${file} is damaged: secretsKey must be 32 bytes in base64url`)
    }
    return keys as Keys
  }
  const keys: Keys = { sessionSecret: randomBytes(48).toString('base64url'), secretsKey: newSecretsKey() }
  write(file, keys)
  return keys
}
