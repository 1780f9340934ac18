import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../bin/config'

// The shipped unit must keep its hardening: a dedicated user, a read-only system with the data
// folder as the only writable path, no privilege gain, a private /tmp.

const UNIT = path.join(ROOT, 'deploy', 'moat.service')

/** `Key=value` lines per [Section]; repeated keys keep every value. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>()
  let current: Map<string, string[]> | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const section = /^\[(.+)\]$/.exec(line)
    if (section) {
      current = new Map()
      sections.set(section[1], current)
      continue
    }
    const eq = line.indexOf('=')
    if (!current || eq < 0) throw new Error(`unparsable line: ${line}`)
    const key = line.slice(0, eq).trim()
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()])
  }
  return sections
}

describe('deploy/moat.service', () => {
  const unit = parseUnit(readFileSync(UNIT, 'utf8'))
  const service = unit.get('Service')!
  const one = (key: string) => service.get(key)?.at(-1)

  it('runs as a dedicated unprivileged user from the installed app', () => {
    expect(one('User')).toBe('moat')
    expect(one('Group')).toBe('moat')
    expect(one('ExecStart')).toMatch(/\/bin\/moat\.mjs start$/)
    expect(one('Environment') && service.get('Environment')).toContain('MOAT_DATA=/var/lib/moat')
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target'])
  })

  it('is hardened: read-only system, only the data folder writable, no new privileges, private /tmp', () => {
    expect(one('NoNewPrivileges')).toBe('yes')
    expect(one('ProtectSystem')).toBe('strict')
    expect(service.get('ReadWritePaths')).toEqual(['/var/lib/moat'])
    expect(one('PrivateTmp')).toBe('yes')
    expect(one('ProtectHome')).toBe('yes')
    expect(one('PrivateDevices')).toBe('yes')
    expect(one('RestrictSUIDSGID')).toBe('yes')
    expect(one('CapabilityBoundingSet')).toBe('CAP_NET_BIND_SERVICE')
    // The allow list, then the deny list; @pkey because V8 calls pkey_alloc (SIGSYS without it:
    // proven under a real systemd by tests/bin/package.test.ts).
    expect(service.get('SystemCallFilter')?.[0].split(/\s+/)).toEqual(['@system-service', '@pkey'])
    expect(service.get('SystemCallFilter')?.[1]).toMatch(/^~@privileged /)
    // Nothing else is writable: no second ReadWritePaths, no StateDirectory outside the data folder.
    expect([...service.keys()].filter((k) => /^(ReadWritePaths|StateDirectory|LogsDirectory|CacheDirectory)$/.test(k))).toEqual(['ReadWritePaths'])
  })

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' })
  it.runIf(analyze.status === 0)('passes systemd-analyze verify', () => {
    const res = spawnSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8' })
    // Warnings (unknown keys, bad values) come on stderr as `moat.service:LINE: ...` with status 0.
    expect(res.stderr + res.stdout).not.toMatch(/moat\.service:\d+:/)
    expect(res.status, res.stderr).toBe(0)
  })
})
