import { normalizeDomain } from './ioc-domain'
import { fail, pass, quote, type Normalized } from './ioc-result'

const EMAIL_ERROR = 'not a valid email address'
// RFC 5322 dot-atom characters; quoted local parts never show up in phishing IOCs.
const LOCAL_CHAR = /[^a-z0-9!#$%&'*+/=?^_`{|}~.-]/

/** Lowercases the whole address (a `mailto:` prefix is dropped) and validates both halves. */
export function normalizeEmail(value: string): Normalized {
  const address = value.replace(/^mailto:/i, '').toLowerCase()
  const at = address.lastIndexOf('@')
  if (at < 0) return fail('invalid_email', `${EMAIL_ERROR}: no '@'`)
  const local = address.slice(0, at)
  if (local === '') return fail('invalid_email', `${EMAIL_ERROR}: nothing before '@'`)
  if (local.length > 64) {
    const message = `${EMAIL_ERROR}: local part is ${local.length} characters (max 64)`
    return fail('invalid_email', message, { part: local })
  }
  const bad = LOCAL_CHAR.exec(local)
  if (bad) {
    return fail('invalid_email', `${EMAIL_ERROR}: local part contains '${bad[0]}'`, { part: local })
  }
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail('invalid_email', `${EMAIL_ERROR}: misplaced '.' in local part ${quote(local)}`, {
      part: local,
    })
  }
  const domain = normalizeDomain(address.slice(at + 1))
  if (!domain.ok) {
    const error = { ...domain.error, message: `email domain: ${domain.error.message}` }
    return { ok: false, error }
  }
  return pass(`${local}@${domain.value}`, domain.warnings)
}
