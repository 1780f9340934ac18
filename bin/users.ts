import { Role } from '../schema/contracts/common'
import { hashPassword } from '../functions/lib/password'
import { oneTimePassword, type Runtime } from './runtime'

/** Creates a local user with a one-time password; returns the password to show once. */
export async function addUser(rt: Runtime, username: string, role: string, displayName?: string) {
  const parsedRole = Role.safeParse(role)
  if (!parsedRole.success) throw new Error(`--role must be one of ${Role.options.join(', ')}`)
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(username)) throw new Error('username: 1-64 letters, digits, . _ @ -')
  const db = await rt.mf.getD1Database('DB')
  const exists = await db.prepare('SELECT id FROM users WHERE username = ? COLLATE NOCASE').bind(username).first()
  if (exists) throw new Error(`user '${username}' already exists (use: moat user reset-password ${username})`)
  const password = oneTimePassword()
  await db.batch([
    db
      .prepare(
        `INSERT INTO users (username, display_name, role, source, password_hash, must_change_password) VALUES (?, ?, ?, 'local', ?, 1)`,
      )
      .bind(username, displayName ?? username, parsedRole.data, await hashPassword(password)),
    db
      .prepare(`INSERT INTO audit_log (action, outcome, actor, target, details) VALUES ('user.create', 'success', 'cli', ?, ?)`)
      .bind(username, JSON.stringify({ role: parsedRole.data })),
  ])
  return password
}

/** New one-time password, unlocked, every existing session ended. */
export async function resetPassword(rt: Runtime, username: string) {
  const db = await rt.mf.getD1Database('DB')
  const user = await db
    .prepare('SELECT id, source FROM users WHERE username = ? COLLATE NOCASE')
    .bind(username)
    .first<{ id: number; source: string }>()
  if (!user) throw new Error(`no user '${username}'`)
  if (user.source !== 'local') throw new Error(`'${username}' is a ${user.source} account without a local password`)
  const password = oneTimePassword()
  await db.batch([
    db
      .prepare(
        `UPDATE users SET password_hash = ?, must_change_password = 1, failed_logins = 0, locked_until = NULL,
         token_version = token_version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?`,
      )
      .bind(await hashPassword(password), user.id),
    db
      .prepare(`INSERT INTO audit_log (action, outcome, actor, target) VALUES ('user.password_reset', 'success', 'cli', ?)`)
      .bind(username),
  ])
  return password
}
