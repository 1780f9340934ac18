import { createSignal } from 'solid-js'
import type { Me, ProfileInput } from '../../../schema/contracts/auth'
import * as api from '../api/client'
import { ApiFailure } from '../api/client'
import { hasStoredLocale, setLocale } from '../i18n'
import { hasStoredTheme, setTheme } from '../lib/theme'

/** undefined: not asked yet; null: nobody signed in. */
const [user, setUser] = createSignal<Me | null | undefined>(undefined)
/** True after an explicit sign-out, so the guard goes to /login without a `next`. */
const [signedOut, setSignedOut] = createSignal(false)
// Changes whenever the avatar does, so its URL is never served from a stale cache.
const [avatarVersion, setAvatarVersion] = createSignal(Date.now().toString(36))

export { user, signedOut }

export const avatarSrc = (me: Me) => api.avatarUrl(me.id, avatarVersion())

let pending: Promise<Me | null> | undefined

/** Asks the server who is signed in (once; concurrent callers share the answer). */
export function loadSession(): Promise<Me | null> {
  pending ??= api
    .me()
    .then(({ user: me }) => {
      setUser(me)
      return me
    })
    .catch((err: unknown) => {
      if (err instanceof ApiFailure && err.status === 401) {
        setUser(null)
        return null
      }
      throw err
    })
    .finally(() => {
      pending = undefined
    })
  return pending
}

/** Applies profile preferences, except where this browser already has an explicit choice. */
function adoptPreferences(me: Me): void {
  if (!hasStoredLocale()) setLocale(me.locale)
  if (!hasStoredTheme() && me.theme !== 'system') setTheme(me.theme)
}

export async function signIn(username: string, password: string): Promise<Me> {
  const result = await api.login(username, password)
  const me = { ...result.user, mustChangePassword: result.mustChangePassword }
  setSignedOut(false)
  setUser(me)
  adoptPreferences(me)
  return me
}

export async function signOut(): Promise<void> {
  try {
    await api.logout()
  } catch {
    // The session may already be gone; signing out locally is what matters.
  }
  setSignedOut(true)
  setUser(null)
}

/** The session ended on the server (a 401 somewhere). */
export function sessionLost(): void {
  setSignedOut(false)
  setUser(null)
}

/** The server says the password must change first (a 403 somewhere). */
export function passwordChangeRequired(): void {
  const me = user()
  if (me && !me.mustChangePassword) setUser({ ...me, mustChangePassword: true })
}

export async function changePassword(current: string, next: string): Promise<Me> {
  const { user: me } = await api.changePassword(current, next)
  setUser(me)
  return me
}

/** Saves the profile and applies its language and theme here too. */
export async function saveProfile(patch: ProfileInput): Promise<Me> {
  const { user: me } = await api.updateProfile(patch)
  setUser(me)
  if (patch.locale) setLocale(patch.locale)
  if (patch.theme) setTheme(patch.theme)
  return me
}

export async function uploadAvatar(file: File): Promise<Me> {
  const { user: me } = await api.uploadAvatar(file)
  setAvatarVersion(Date.now().toString(36))
  setUser(me)
  return me
}

export async function removeAvatar(): Promise<Me> {
  const { user: me } = await api.deleteAvatar()
  setAvatarVersion(Date.now().toString(36))
  setUser(me)
  return me
}
