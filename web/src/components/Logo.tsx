import { createUniqueId } from 'solid-js'

/** Moat's mark: a shield (the keep) above two waves (the moat). */
export function Logo(props: { size?: number }) {
  const id = `moat-logo-${createUniqueId()}`
  return (
    <svg
      class="logo"
      width={props.size ?? 32}
      height={props.size ?? 32}
      viewBox="0 0 32 32"
      aria-hidden="true"
    >
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#38bdf8" />
          <stop offset="1" stop-color="#6366f1" />
        </linearGradient>
      </defs>
      <path
        d="M16 2.5 4.5 6.8v8.1c0 7 4.8 12.6 11.5 14.6 6.7-2 11.5-7.6 11.5-14.6V6.8z"
        fill={`url(#${id})`}
      />
      <path
        d="M9 17.2c1.2-1 2.3-1 3.5 0s2.3 1 3.5 0 2.3-1 3.5 0 2.3 1 3.5 0M9 21.2c1.2-1 2.3-1 3.5 0s2.3 1 3.5 0 2.3-1 3.5 0 2.3 1 3.5 0"
        fill="none"
        stroke="#fff"
        stroke-width="1.8"
        stroke-linecap="round"
      />
      <path d="M12 13.5V9.5h2v1.5h4V9.5h2v4z" fill="#fff" />
    </svg>
  )
}

export function Brand() {
  return (
    <span class="brand">
      <Logo />
      <span class="brand-name">Moat</span>
    </span>
  )
}
