import { Show } from 'solid-js'
import { intlLocale } from '../i18n'

// Every flag SVG of the flag-icons package (MIT), bundled by Vite as a file: no CDN.
const FLAGS = import.meta.glob('../../../node_modules/flag-icons/flags/4x3/*.svg', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>

const byCode = new Map(
  Object.entries(FLAGS).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1, -4), url]),
)

/** The country's name in the UI language ("Germany" / "גרמניה"), or the code itself. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([intlLocale()], { type: 'region' }).of(code.toUpperCase()) ?? code
  } catch {
    return code
  }
}

export function flagUrl(code: string): string | undefined {
  return byCode.get(code.toLowerCase())
}

/** A small flag with the country's name as its accessible label. */
export function Flag(props: { code: string | null | undefined; size?: number }) {
  return (
    <Show when={props.code && flagUrl(props.code)}>
      {(url) => (
        <img
          class="flag"
          src={url()}
          alt={countryName(props.code!)}
          title={countryName(props.code!)}
          width={Math.round((props.size ?? 18) * 4 / 3)}
          height={props.size ?? 18}
          loading="lazy"
        />
      )}
    </Show>
  )
}
