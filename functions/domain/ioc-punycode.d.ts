// punycode ships no types. We import its file path, not the bare name, so bundlers (esbuild for
// workerd, Vite for the UI) take the npm package instead of Node's deprecated `punycode` builtin.
declare module 'punycode/punycode.js' {
  const punycode: {
    toASCII(domain: string): string
    toUnicode(domain: string): string
  }
  export default punycode
}
