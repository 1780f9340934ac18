import * as i18n from '@solid-primitives/i18n'
import { createSignal } from 'solid-js'
import { en } from './en'
import { he } from './he'

export type Locale = 'en' | 'he'

const STORAGE_KEY = 'moat.lang'
const dictionaries = { en: i18n.flatten(en), he: i18n.flatten(he) }

function readStored(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'en' || value === 'he' ? value : null
  } catch {
    return null
  }
}

function detect(): Locale {
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language]
  return preferred.some((tag) => /^(he|iw)\b/i.test(tag)) ? 'he' : 'en'
}

const [locale, setLocaleSignal] = createSignal<Locale>(readStored() ?? detect())

export { locale }

/** Typed translator over the active dictionary: `t('login.title')`, `t('x', { n: 3 })`. */
export const t = i18n.translator(() => dictionaries[locale()], i18n.resolveTemplate)

/** Looks up a key built at run time (e.g. from a server error code); undefined when missing. */
export function tryT(key: string, args?: Record<string, string | number>): string | undefined {
  const value = (dictionaries[locale()] as Record<string, unknown>)[key]
  return typeof value === 'string' ? i18n.resolveTemplate(value, args) : undefined
}

export const dir = () => (locale() === 'he' ? 'rtl' : 'ltr')

/** BCP 47 tag for Intl formatters. */
export const intlLocale = () => (locale() === 'he' ? 'he-IL' : 'en-US')

export function applyLocale(): void {
  const root = document.documentElement
  root.lang = locale()
  root.dir = dir()
}

export function hasStoredLocale(): boolean {
  return readStored() !== null
}

export function setLocale(next: Locale): void {
  setLocaleSignal(next)
  try {
    localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  applyLocale()
}

export function toggleLocale(): void {
  setLocale(locale() === 'he' ? 'en' : 'he')
}
