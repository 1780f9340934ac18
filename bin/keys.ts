import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface Keys {
  sessionSecret: string
}

/**
 * Secrets that must survive restarts live in `<data>/keys.json`, readable by the owner only. Back
 * it up with the database: without it every session ends (and, later, encrypted settings are lost).
 */
export function loadOrCreateKeys(dataDir: string): Keys {
  const file = path.join(dataDir, 'keys.json')
  mkdirSync(dataDir, { recursive: true })
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as Keys
    if (typeof keys.sessionSecret !== 'string' || keys.sessionSecret.length < 32) {
      throw new Error(`${file} is damaged: sessionSecret missing or too short`)
    }
    return keys
  }
  const keys: Keys = { sessionSecret: randomBytes(48).toString('base64url') }
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return keys
}
