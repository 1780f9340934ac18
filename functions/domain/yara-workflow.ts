import type { Role } from '../../schema/contracts/common'

/**
 * Who may do what with a YARA file, and which status changes exist. The UI uses the same answers
 * (through the `can` block of each file) only to hide buttons; the routes enforce them.
 *
 *   pending  --approve-->  approved          (admin, or a reviewer who did not upload it)
 *   pending  --reject--->  rejected          (same; a reason is required)
 *   approved --reject--->  rejected          (withdraws it from the feeds)
 *   approved/rejected --content edit--> pending
 */
export type YaraStatus = 'pending' | 'approved' | 'rejected'

export interface Who {
  id: number
  role: Role
}

export interface Owned {
  createdBy: number
  status: YaraStatus
}

export const canUpload = (who: Who) => who.role === 'admin' || who.role === 'analyst'

/** Admins edit any file; analysts their own. */
export const canEdit = (who: Who, file: Owned) => who.role === 'admin' || (who.role === 'analyst' && file.createdBy === who.id)

export const canDelete = canEdit

/** Admins review any file (their own too); reviewers (analysts named in settings) only files of others. */
export function canReview(who: Who, file: Owned, reviewers: number[]): boolean {
  if (who.role === 'admin') return true
  return who.role === 'analyst' && reviewers.includes(who.id) && file.createdBy !== who.id
}

export function canTransition(from: YaraStatus, action: 'approve' | 'reject'): boolean {
  return action === 'approve' ? from === 'pending' : from === 'pending' || from === 'approved'
}

/** Sanitized file name: the last path segment, letters, digits and . _ - only, ending in .yar or .yara. */
export function sanitizeFilename(raw: string): { ok: true; name: string } | { ok: false; reason: string } {
  // A `..` segment is an attempt to climb, never an honest name: refused, not cleaned.
  if (/(^|[\\/])\.\.($|[\\/])/.test(raw.trim())) return { ok: false, reason: 'must be a file name, without .. path segments' }
  const base = (raw.normalize('NFKD').replace(/\p{M}+/gu, '').split(/[\\/]/).pop() ?? '')
  const cleaned = base
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._-]+/, '')
  const m = /^(.*?)\.(yara?)$/i.exec(cleaned)
  if (!m) return { ok: false, reason: 'must end in .yar or .yara' }
  // Never empty: the cleaned name starts with a letter or digit.
  const stem = m[1].replace(/[._-]+$/, '').slice(0, 120)
  return { ok: true, name: `${stem}.${m[2].toLowerCase()}` }
}

/** A file name for pasted rules: the first rule's name. */
export const filenameFor = (firstRule: string | undefined) => `${(firstRule ?? 'rules').slice(0, 120)}.yar`
