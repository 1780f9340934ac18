import { describe, expect, it } from 'vitest'
import { canEdit, canReview, canTransition, canUpload, filenameFor, sanitizeFilename } from '../../functions/domain/yara-workflow'

describe('sanitizeFilename', () => {
  it('keeps the last path segment and only safe characters', () => {
    expect(sanitizeFilename('rules/linux/passwd.yar')).toEqual({ ok: true, name: 'passwd.yar' })
    expect(sanitizeFilename('C:\\rules\\Win32.Trojan.Emotet.YARA')).toEqual({ ok: true, name: 'Win32.Trojan.Emotet.yara' })
    expect(sanitizeFilename('Évil  name$(rm -rf).yar')).toEqual({ ok: true, name: 'Evil_name_rm_-rf_.yar'.replace('_-rf_', '_-rf') })
    expect(sanitizeFilename('.hidden.yar')).toEqual({ ok: true, name: 'hidden.yar' })
  })

  it('refuses names that climb with .. segments', () => {
    const refused = { ok: false, reason: 'must be a file name, without .. path segments' }
    for (const name of ['../../etc/passwd.yar', '..\\evil.yar', 'rules/../../x.yar', '..', ' ../x.yara']) expect(sanitizeFilename(name), name).toEqual(refused)
    expect(sanitizeFilename('a..b.yar')).toEqual({ ok: true, name: 'a..b.yar' })
  })

  it('refuses other extensions and empty names', () => {
    expect(sanitizeFilename('rules.txt')).toEqual({ ok: false, reason: 'must end in .yar or .yara' })
    expect(sanitizeFilename('rules.yar.exe')).toMatchObject({ ok: false })
    expect(sanitizeFilename('...yar')).toMatchObject({ ok: false })
    expect(sanitizeFilename('/.yara')).toEqual({ ok: false, reason: 'must end in .yar or .yara' })
    expect(sanitizeFilename('a-_.yar')).toEqual({ ok: true, name: 'a.yar' })
  })

  it('names pasted rules after their first rule', () => {
    expect(filenameFor('Win32_Loader')).toBe('Win32_Loader.yar')
    expect(filenameFor(undefined)).toBe('rules.yar')
  })
})

describe('permissions and transitions', () => {
  const admin = { id: 1, role: 'admin' as const }
  const ana = { id: 2, role: 'analyst' as const }
  const rev = { id: 3, role: 'analyst' as const }
  const vic = { id: 4, role: 'viewer' as const }
  const anasFile = { createdBy: 2, status: 'pending' as const }
  const adminsFile = { createdBy: 1, status: 'pending' as const }

  it('lets analysts and admins upload, viewers not', () => {
    expect([admin, ana, vic].map(canUpload)).toEqual([true, true, false])
  })

  it('lets uploaders and admins edit', () => {
    expect([admin, ana, rev, vic].map((w) => canEdit(w, anasFile))).toEqual([true, true, false, false])
  })

  it('lets admins and named reviewers review, never the uploader (unless admin)', () => {
    expect(canReview(admin, adminsFile, [])).toBe(true)
    expect(canReview(rev, anasFile, [])).toBe(false)
    expect(canReview(rev, anasFile, [3])).toBe(true)
    expect(canReview(ana, anasFile, [2])).toBe(false)
    expect(canReview(vic, anasFile, [4])).toBe(false)
  })

  it('approves only pending files; rejects pending and approved ones', () => {
    expect(canTransition('pending', 'approve')).toBe(true)
    expect(canTransition('approved', 'approve')).toBe(false)
    expect(canTransition('rejected', 'approve')).toBe(false)
    expect(canTransition('approved', 'reject')).toBe(true)
    expect(canTransition('rejected', 'reject')).toBe(false)
  })
})
