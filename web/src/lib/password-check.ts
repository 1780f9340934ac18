import { MIN_PASSWORD_LENGTH } from '../../../schema/contracts/auth'
import { t } from '../i18n'

/** Messages are functions so they re-translate when the language changes. */
export type PasswordProblems = Partial<Record<'current' | 'new' | 'confirm', () => string>>

/** The checks the browser can make before asking the server (which checks strength too). */
export function checkPasswordChange(
  current: string,
  next: string,
  confirm: string,
): PasswordProblems {
  const problems: PasswordProblems = {}
  if (!current) problems.current = () => t('changePassword.required')
  if (!next) problems.new = () => t('changePassword.required')
  else if (next.length < MIN_PASSWORD_LENGTH) {
    problems.new = () => t('changePassword.tooShort', { min: MIN_PASSWORD_LENGTH })
  } else if (next === current) problems.new = () => t('changePassword.sameAsCurrent')
  if (!confirm) problems.confirm = () => t('changePassword.required')
  else if (confirm !== next) problems.confirm = () => t('changePassword.mismatch')
  return problems
}
