// Strict readers for what Moat ships: CEF:0 lines and RFC 5424 syslog frames. They throw on
// anything the formats do not allow, so a test that parses output also checks its escaping.

/** CEF:0: seven header fields split on unescaped pipes (escapes \\ and \|), then key=value pairs. */
export function parseCef(line: string) {
  if (/[\r\n]/.test(line)) throw new Error('a CEF line may not contain a raw line break')
  const header: string[] = []
  let i = 0
  let cur = ''
  while (header.length < 7) {
    const ch = line[i++]
    if (ch === undefined) throw new Error(`header ends early: ${line}`)
    if (ch === '\\') {
      const next = line[i++]
      if (next !== '\\' && next !== '|') throw new Error(`bad header escape \\${next}`)
      cur += next
    } else if (ch === '|') {
      header.push(cur)
      cur = ''
    } else cur += ch
  }
  if (header[0] !== 'CEF:0') throw new Error(`not CEF:0: ${header[0]}`)
  const rest = line.slice(i)
  // A key is alphanumeric, at the start or after a space, followed by `=`; an escaped `\=` inside
  // a value never matches because the backslash sits between the word and the `=`.
  const starts = [...rest.matchAll(/(?:^| )([A-Za-z0-9]+)=/g)].map((m) => ({ key: m[1], at: m.index!, valueAt: m.index! + m[0].length }))
  if (rest && (!starts.length || starts[0].at !== 0)) throw new Error(`extension does not start with a key: ${rest}`)
  const ext: Record<string, string> = {}
  starts.forEach((s, n) => {
    const raw = rest.slice(s.valueAt, n + 1 < starts.length ? starts[n + 1].at : rest.length)
    let value = ''
    for (let j = 0; j < raw.length; j++) {
      if (raw[j] === '\\') {
        const next = raw[++j]
        if (next === '\\' || next === '=') value += next
        else if (next === 'n') value += '\n'
        else if (next === 'r') value += '\r'
        else throw new Error(`bad extension escape \\${next}`)
      } else if (raw[j] === '=') throw new Error(`unescaped = in the value of ${s.key}`)
      else value += raw[j]
    }
    if (s.key in ext) throw new Error(`key ${s.key} twice`)
    ext[s.key] = value
  })
  return { header, ext, keys: starts.map((s) => s.key) }
}

const PRINT = '[\\x21-\\x7e]'
const FRAME = new RegExp(
  `^<(\\d{1,3})>1 (-|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?:Z|[+-]\\d{2}:\\d{2})) (${PRINT}{1,255}) (${PRINT}{1,48}) (${PRINT}{1,128}) (${PRINT}{1,32}) (-|\\[[^\\]]*\\]) ([\\s\\S]*)$`,
)

/** RFC 5424 (section 6): `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`. */
export function parseSyslog(frame: string) {
  const m = FRAME.exec(frame)
  if (!m) throw new Error(`not an RFC 5424 frame: ${frame.slice(0, 200)}`)
  const pri = Number(m[1])
  if (pri > 191) throw new Error(`PRI ${pri} out of range`)
  const msg = m[8].startsWith('\ufeff') ? m[8].slice(1) : m[8]
  return { pri, facility: pri >> 3, severity: pri & 7, timestamp: m[2], hostname: m[3], appName: m[4], procId: m[5], msgId: m[6], sd: m[7], msg }
}
