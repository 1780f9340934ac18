/**
 * Hunter's Playbook URL templates: an http(s) URL with `{value}` and `{type}` placeholders that the
 * IOC detail fills, URL-encoded, for the IOC on screen. Pure (the UI builds its links with it).
 */
import { isHttpUrl, PLAYBOOK_LIMITS } from './playbook-import'

export const PLACEHOLDERS = ['value', 'type'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

export interface TemplateProblem {
  code: string
  reason: string
}

const SAMPLE: Record<Placeholder, string> = { value: 'evil.example.com', type: 'domain' }

/**
 * Why a template is unsafe or unusable, or null when it is fine: http(s) only, a literal host
 * (a placeholder there would let an indicator choose the site), only `{value}` and `{type}`, no
 * credentials, and no placeholder already percent-encoded (`%7Bvalue%7D` would never be filled).
 */
export function templateProblem(template: string): TemplateProblem | null {
  if (template.length > PLAYBOOK_LIMITS.url) return { code: 'too_long', reason: `is longer than ${PLAYBOOK_LIMITS.url} characters` }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(template)?.[1]?.toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') {
    return { code: 'unsafe_scheme', reason: scheme ? `uses ${scheme}:, only http: and https: are allowed` : 'must start with http:// or https://' }
  }
  if (!/^https?:\/\//i.test(template)) return { code: 'invalid_url', reason: 'must start with http:// or https://' }
  if (/[\s\u0000-\u001f\u007f<>"\\`]/.test(template)) return { code: 'invalid_character', reason: 'contains a space, a control character or one of < > " \\ `' }
  if (/%7b\s*(value|type)\s*%7d/i.test(template)) {
    return { code: 'encoded_placeholder', reason: 'holds a percent-encoded placeholder (%7Bvalue%7D): write {value} or {type}; Moat encodes the value itself' }
  }
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) {
      return { code: 'unknown_placeholder', reason: `has an unknown placeholder {${m[1]}}: use {value} or {type}` }
    }
  }
  const stripped = template.replace(/\{(value|type)\}/g, '')
  if (/[{}]/.test(stripped)) return { code: 'unbalanced_brace', reason: 'has a { or } that is not part of {value} or {type}' }
  const authority = template.slice(template.indexOf('//') + 2).split(/[/?#]/)[0]
  if (/\{(value|type)\}/.test(authority)) return { code: 'placeholder_in_host', reason: 'has a placeholder in the host: the site must be fixed, put {value} in the path or query' }
  if (authority.includes('@')) return { code: 'credentials', reason: 'must not hold a user name or password' }
  if (!authority || !isHttpUrl(fillTemplate(template, SAMPLE.type, SAMPLE.value))) return { code: 'invalid_url', reason: 'is not a valid URL' }
  return null
}

/** The link for one IOC: each placeholder replaced by its URL-encoded value (never raw). */
export function fillTemplate(template: string, type: string, value: string): string {
  return template.replace(/\{(value|type)\}/g, (_m, k: Placeholder) => encodeURIComponent(k === 'value' ? value : type))
}

/** The href to render, or null when the template (or the result) is not a safe http(s) URL. */
export function playbookHref(template: string | null, type: string, value: string): string | null {
  if (!template || templateProblem(template)) return null
  const href = fillTemplate(template, type, value)
  return isHttpUrl(href) ? href : null
}

/** Whether an entry applies to an IOC type (an empty list = every type). */
export function appliesTo(iocTypes: readonly string[], type: string): boolean {
  return iocTypes.length === 0 || iocTypes.includes(type)
}
