// Vite's import.meta.glob (used for the bundled flag SVGs), without pulling in all of vite/client.
interface ImportMeta {
  glob(pattern: string, options?: { query?: string; import?: string; eager?: boolean }): Record<string, unknown>
}

declare module '*?url' {
  const url: string
  export default url
}
