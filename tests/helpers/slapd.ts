import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from './server'
import { makeTestPki, type TestPki } from './test-ca'

// A real OpenLDAP server (Debian's slapd) for the LDAP tests: its own config file, an mdb database
// in a temporary folder loaded with slapadd from a fixture LDIF, plain LDAP and LDAPS on random
// loopback ports with a certificate from a private test CA (StartTLS works on the plain port).

/** Debian installs them in /usr/sbin, which a non-root PATH may lack. */
const SLAPD = '/usr/sbin/slapd'
const SLAPADD = '/usr/sbin/slapadd'

export const BASE_DN = 'dc=moat,dc=test'
export const BIND_DN = `cn=moat-reader,ou=services,${BASE_DN}`
export const BIND_PASSWORD = 'Reader-bind-pass-9182'
export const GROUPS = {
  admins: `cn=moat-admins,ou=groups,${BASE_DN}`,
  analysts: `cn=soc-analysts,ou=groups,${BASE_DN}`,
  viewers: `cn=soc-viewers,ou=groups,${BASE_DN}`,
  other: `cn=finance,ou=groups,${BASE_DN}`,
}

/** Directory users: uid → password, display name and the groups they are in. */
export const PEOPLE = {
  alice: { password: 'Alice-dir-pass-1111', cn: 'Alice Admin', groups: ['admins', 'analysts'] },
  bob: { password: 'Bob-dir-pass-2222', cn: 'Bob Analyst', groups: ['analysts'] },
  carol: { password: 'Carol-dir-pass-3333', cn: 'Carol Viewer', groups: ['viewers'] },
  dave: { password: 'Dave-dir-pass-4444', cn: 'Dave Finance', groups: ['other'] },
  /** Shares a username with a local account in the tests: must not take it over. */
  admin: { password: 'Dir-admin-pass-5555', cn: 'Directory admin', groups: ['admins'] },
} as const

const userDn = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`

function fixtureLdif(): string {
  const out: string[] = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: moat\no: Moat test`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=services,${BASE_DN}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ${BIND_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: moat-reader\nuserPassword: ${BIND_PASSWORD}`,
  ]
  for (const [uid, p] of Object.entries(PEOPLE)) {
    const [given, sn] = p.cn.split(' ')
    out.push(
      `dn: ${userDn(uid)}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${p.cn}\ngivenName: ${given}\nsn: ${sn}\ndisplayName: ${p.cn}\nmail: ${uid}@moat.test\nuserPassword: ${p.password}`,
    )
  }
  for (const [key, dn] of Object.entries(GROUPS)) {
    const members = Object.entries(PEOPLE)
      .filter(([, p]) => (p.groups as readonly string[]).includes(key))
      .map(([uid]) => `member: ${userDn(uid)}`)
    const cn = dn.slice(3, dn.indexOf(','))
    out.push(`dn: ${dn}\nobjectClass: groupOfNames\ncn: ${cn}\n${members.join('\n')}`)
  }
  return out.join('\n\n') + '\n'
}

async function waitForPort(port: number, deadline: number, proc: ChildProcess, log: () => string) {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`slapd exited (${proc.exitCode}): ${log()}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`slapd did not listen on ${port}: ${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export interface Slapd {
  /** ldap://127.0.0.1:<port> (StartTLS available). */
  url: string
  /** ldaps://127.0.0.1:<port>. */
  ldapsUrl: string
  pki: TestPki
  stop(): Promise<void>
}

/** Starts slapd with the fixture directory; call stop() in afterAll. */
export async function startSlapd(): Promise<Slapd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-slapd-'))
  const f = (name: string) => path.join(dir, name)
  const pki = makeTestPki()
  writeFileSync(f('ca.pem'), pki.caPem)
  writeFileSync(f('server.pem'), pki.cert)
  writeFileSync(f('server.key'), pki.key, { mode: 0o600 })
  mkdirSync(f('db'))
  const conf = [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    `pidfile ${f('slapd.pid')}`,
    `argsfile ${f('slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `TLSCACertificateFile ${f('ca.pem')}`,
    `TLSCertificateFile ${f('server.pem')}`,
    `TLSCertificateKeyFile ${f('server.key')}`,
    'database mdb',
    `suffix "${BASE_DN}"`,
    `rootdn "cn=root,${BASE_DN}"`,
    'rootpw Root-pass-never-used-0000',
    `directory ${f('db')}`,
    'maxsize 16777216',
    // Passwords: bind only. Entries: readable by bound users only (anonymous search fails).
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n')
  writeFileSync(f('slapd.conf'), conf)
  writeFileSync(f('fixture.ldif'), fixtureLdif())
  execFileSync(SLAPADD, ['-f', f('slapd.conf'), '-l', f('fixture.ldif')], { stdio: 'pipe' })
  const [port, tlsPort] = [await freePort(), await freePort()]
  const url = `ldap://127.0.0.1:${port}`
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`
  let output = ''
  const proc = spawn(SLAPD, ['-f', f('slapd.conf'), '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const deadline = Date.now() + 15_000
  try {
    await waitForPort(port, deadline, proc, () => output)
    await waitForPort(tlsPort, deadline, proc, () => output)
  } catch (err) {
    proc.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  let stopped = false
  return {
    url,
    ldapsUrl,
    pki,
    async stop() {
      if (stopped) return
      stopped = true
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r))
        proc.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
        if (proc.exitCode === null) proc.kill('SIGKILL')
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
