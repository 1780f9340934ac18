import { createSignal } from 'solid-js'

export type Theme = 'light' | 'dark'
export type ThemeChoice = Theme | 'system'

const STORAGE_KEY = 'moat.theme'
const media = window.matchMedia('(prefers-color-scheme: dark)')

function readStored(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : null
  } catch {
    return null
  }
}

const [choice, setChoice] = createSignal<ThemeChoice>(readStored() ?? 'system')
const [systemDark, setSystemDark] = createSignal(media.matches)

export { choice as themeChoice }

/** The theme in effect: the user's choice, or the system's when there is none. */
export const theme = (): Theme => {
  const value = choice()
  return value === 'system' ? (systemDark() ? 'dark' : 'light') : value
}

export function applyTheme(): void {
  document.documentElement.dataset.theme = theme()
}

media.addEventListener('change', (event) => {
  setSystemDark(event.matches)
  applyTheme()
})

export function hasStoredTheme(): boolean {
  return readStored() !== null
}

/** `system` forgets the stored choice so the page follows prefers-color-scheme again. */
export function setTheme(next: ThemeChoice): void {
  setChoice(next)
  try {
    if (next === 'system') localStorage.removeItem(STORAGE_KEY)
    else localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
  applyTheme()
}

export function toggleTheme(): void {
  setTheme(theme() === 'dark' ? 'light' : 'dark')
}
