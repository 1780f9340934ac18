import type { CompileReport } from '../domain/yara-analysis'
import type { Bindings } from '../env'
import { ApiError } from './errors'
import { logEvent } from './log'

/**
 * The worker's way to YARA-X: it runs on the launcher's Node side behind the `HOST` binding
 * (bin/host-yara.ts), because workerd forbids the code generation YARA-X needs for valid rules.
 */

export interface EngineSource {
  content: string
  /** Keeps rule names of different files apart when several are compiled together. */
  namespace?: string
}

export interface CompileOutcome {
  results: CompileReport[]
  /** True when every source compiled and the set was built into scannable rules. */
  built: boolean
  buildError?: string
}

/** One match as YARA-X reports it. */
export interface EngineMatch {
  identifier: string
  namespace: string
  isPrivate: boolean
  tags: string[]
  patterns: { identifier: string; matches: { offset: number; length: number }[] }[]
}

const unavailable = (why: string) =>
  new ApiError(503, 'yara_engine_unavailable', `The YARA engine is not available: ${why}`, undefined, { 'Retry-After': '10' })

async function call<T>(env: Bindings, path: string, init: RequestInit): Promise<T> {
  if (!env.HOST) throw unavailable('this deployment has no HOST binding')
  let res: Response
  try {
    res = await env.HOST.fetch(`http://host/v1/yara/${path}`, { method: 'POST', ...init })
  } catch (err) {
    logEvent('error', 'yara engine call failed', { path, error: String(err) })
    throw unavailable('the launcher did not answer')
  }
  const body = (await res.json().catch(() => null)) as ({ error?: { code?: string; message?: string } } & T) | null
  if (res.ok && body) return body
  const code = body?.error?.code ?? 'yara_engine_error'
  const message = body?.error?.message ?? `HTTP ${res.status}`
  if (code === 'yara_timeout') throw new ApiError(422, code, `The YARA engine gave up: ${message}`)
  if (res.status === 413) throw new ApiError(413, 'payload_too_large', message)
  logEvent('error', 'yara engine refused', { path, status: res.status, code, message })
  throw unavailable(message)
}

export function compileSources(env: Bindings, sources: EngineSource[]): Promise<CompileOutcome> {
  return call(env, 'compile', { body: JSON.stringify({ sources }), headers: { 'content-type': 'application/json' } })
}

export function scanSample(env: Bindings, sources: EngineSource[], sample: Uint8Array): Promise<{ matches: EngineMatch[]; skipped: number[] }> {
  const form = new FormData()
  form.set('sources', JSON.stringify(sources))
  form.set('sample', new Blob([sample as BlobPart]), 'sample')
  return call(env, 'scan', { body: form })
}
