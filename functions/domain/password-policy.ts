import { MIN_PASSWORD_LENGTH } from '../../schema/contracts/auth'

// Base words that top every breached-password list; a password built on one of them (with digits
// or symbols around it) is the first thing a guesser tries.
const BREACHED_BASES = [
  'password', 'passw0rd', 'p@ssw0rd', 'qwerty', 'qwertyuiop', 'asdfgh', 'zxcvbn', 'letmein',
  'welcome', 'changeme', 'admin', 'administrator', 'iloveyou', 'monkey', 'dragon', 'football',
  'baseball', 'sunshine', 'princess', 'abc123', 'trustno1', 'secret', 'moat', '123456', '1q2w3e',
]

/** Returns why a new password is too weak, or null. Length is checked by the contract too. */
export function passwordWeakness(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`
  const lower = password.toLowerCase()
  if (new Set(lower).size < 5) return 'uses too few different characters'
  if (username.length >= 3 && lower.includes(username.toLowerCase())) return 'must not contain the username'
  const stripped = lower.replace(/[^a-z@0]/g, '')
  for (const base of BREACHED_BASES) {
    if (lower.startsWith(base) && lower.slice(base.length).replace(/[\d\W_]/g, '') === '') {
      return `is a common password ('${base}' with digits or symbols added)`
    }
    if (stripped === base) return `is a common password ('${base}' with digits or symbols added)`
  }
  if (/^(?:0123456789|1234567890|9876543210)+/.test(lower) || /^(\d)\1+$/.test(lower)) {
    return 'is a digit sequence'
  }
  return null
}
