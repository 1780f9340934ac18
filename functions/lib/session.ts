import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { jwtVerify, SignJWT } from 'jose'
import type { AppEnv } from '../env'

export const SESSION_COOKIE = 'moat_session'
export const CSRF_COOKIE = 'moat_csrf'
/** Idle timeout: a session not used for this long is over. Active use slides it forward. */
export const SESSION_IDLE_SECONDS = 30 * 60
/** Absolute timeout: no refresh extends a login past this. */
export const SESSION_MAX_SECONDS = 12 * 60 * 60
/** Re-issue the cookie when it is older than this, so an active user never hits the idle limit. */
const REFRESH_AFTER_SECONDS = 5 * 60

export interface SessionClaims {
  userId: number
  version: number
  csrf: string
  authTime: number
  issuedAt: number
}

const key = (c: Context<AppEnv>) => new TextEncoder().encode(c.env.SESSION_SECRET)

export function randomToken(bytes = 32): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...buf)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function cookieOptions(c: Context<AppEnv>, httpOnly: boolean, maxAge: number) {
  return {
    path: '/',
    httpOnly,
    secure: new URL(c.req.url).protocol === 'https:',
    sameSite: 'Strict' as const,
    maxAge,
  }
}

/** Signs a session and sets both cookies; the CSRF token is bound to the session. */
export async function issueSession(
  c: Context<AppEnv>,
  claims: Omit<SessionClaims, 'issuedAt'>,
): Promise<{ csrf: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000)
  const exp = Math.min(now + SESSION_IDLE_SECONDS, claims.authTime + SESSION_MAX_SECONDS)
  const jwt = await new SignJWT({ ver: claims.version, csrf: claims.csrf, at: claims.authTime })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(claims.userId))
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .setIssuer('moat')
    .sign(key(c))
  setCookie(c, SESSION_COOKIE, jwt, cookieOptions(c, true, exp - now))
  setCookie(c, CSRF_COOKIE, claims.csrf, cookieOptions(c, false, exp - now))
  return { csrf: claims.csrf, expiresAt: new Date(exp * 1000) }
}

export type SessionRead = { ok: true; claims: SessionClaims } | { ok: false; reason: 'none' | 'expired' | 'invalid' }

export async function readSession(c: Context<AppEnv>): Promise<SessionRead> {
  const token = getCookie(c, SESSION_COOKIE)
  if (!token) return { ok: false, reason: 'none' }
  try {
    const { payload } = await jwtVerify(token, key(c), { issuer: 'moat', algorithms: ['HS256'] })
    const claims: SessionClaims = {
      userId: Number(payload.sub),
      version: Number(payload.ver),
      csrf: String(payload.csrf),
      authTime: Number(payload.at),
      issuedAt: Number(payload.iat),
    }
    if (!Number.isInteger(claims.userId) || !claims.csrf) return { ok: false, reason: 'invalid' }
    return { ok: true, claims }
  } catch (err) {
    const code = (err as { code?: string }).code
    return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' }
  }
}

export async function refreshSessionIfDue(c: Context<AppEnv>, claims: SessionClaims, version: number) {
  const now = Math.floor(Date.now() / 1000)
  if (now - claims.issuedAt < REFRESH_AFTER_SECONDS) return
  if (now >= claims.authTime + SESSION_MAX_SECONDS) return
  await issueSession(c, { userId: claims.userId, version, csrf: claims.csrf, authTime: claims.authTime })
}

export function clearSession(c: Context<AppEnv>) {
  const secure = new URL(c.req.url).protocol === 'https:'
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure })
  deleteCookie(c, CSRF_COOKIE, { path: '/', secure })
}

/** Constant-time string comparison for tokens. */
export function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
