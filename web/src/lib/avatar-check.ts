import { formatBytes, isolate } from '../i18n/format'
import { t } from '../i18n'

export const AVATAR_MAX_BYTES = 1024 * 1024
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif']

/** What is wrong with a picked file, as a message that re-translates; undefined when fine. */
export function checkAvatar(file: File): (() => string) | undefined {
  if (!AVATAR_TYPES.includes(file.type)) return () => t('avatar.badType')
  if (file.size > AVATAR_MAX_BYTES) {
    return () => t('avatar.tooLarge', { max: isolate(formatBytes(AVATAR_MAX_BYTES)) })
  }
  return undefined
}
