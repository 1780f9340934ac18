import dgram from 'node:dgram'
import { lookup } from 'node:dns/promises'
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { isIP } from 'node:net'
import path from 'node:path'
import { syslogFrame, type Facility } from '../functions/domain/syslog'

// The Node side of audit delivery (functions/lib/audit-ship.ts sends the records): CEF lines into
// `<data>/audit/cef.log`, rotated every 48 hours to `cef.log.1` (one previous file kept), and the
// same records as RFC 5424 datagrams to a syslog collector over UDP (RFC 5426).
//
// `<data>/audit/state.json` remembers the last record each destination got (id and time), so a
// worker retry never writes a line or sends a datagram twice. A record counts as delivered only
// when both its id and its time are not after the remembered ones: a database restored from a
// backup repeats old ids with old times (skipped), a new database starts ids again with new times
// (delivered).

export const ROTATE_MS = 48 * 3_600_000
/** A collector name that does not resolve in this time counts as unreachable: deliveries queue behind it. */
const LOOKUP_TIMEOUT_MS = 5_000
const APP_NAME = 'moat'

interface Mark {
  lastId: number
  lastAt: string
}

interface State {
  file: Mark
  syslog: Mark
  /** When the current cef.log got its first line. */
  fileStartedAt: string | null
}

export interface ShipRecord {
  id: number
  at: string
  msgId: string
  severity: number
  cef: string
}

export interface SyslogTarget {
  host: string
  port: number
  facility: Facility
}

export interface ShipRequest {
  records: ShipRecord[]
  file: { after: number; upTo: number }
  syslog: { after: number; upTo: number; target: SyslogTarget } | null
}

const NONE: Mark = { lastId: 0, lastAt: '' }

const delivered = (r: ShipRecord, mark: Mark) => r.id <= mark.lastId && r.at <= mark.lastAt

function markOf(records: ShipRecord[], fallback: Mark): Mark {
  const last = records.at(-1)
  return last ? { lastId: last.id, lastAt: last.at } : fallback
}

async function resolve(host: string) {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no DNS answer for ${host} in ${LOOKUP_TIMEOUT_MS / 1000} s`)), LOOKUP_TIMEOUT_MS)
  })
  try {
    return await Promise.race([lookup(host), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Sends each message as one datagram to host:port; resolves the name once. */
export async function sendDatagrams(target: Pick<SyslogTarget, 'host' | 'port'>, messages: string[]): Promise<void> {
  if (!messages.length) return
  const address = isIP(target.host) ? { address: target.host, family: isIP(target.host) } : await resolve(target.host)
  const socket = dgram.createSocket(address.family === 6 ? 'udp6' : 'udp4')
  try {
    for (const message of messages) {
      await new Promise<void>((resolve, reject) =>
        socket.send(Buffer.from(message, 'utf8'), target.port, address.address, (err) => (err ? reject(err) : resolve())),
      )
    }
  } finally {
    socket.close()
  }
}

export function frameFor(record: ShipRecord, facility: Facility): string {
  return syslogFrame({
    facility,
    severity: record.severity,
    timestamp: record.at,
    hostname: hostname(),
    appName: APP_NAME,
    procId: process.pid,
    msgId: record.msgId,
    msg: record.cef,
  })
}

export function createAuditSink(dataDir: string, clock: () => Date = () => new Date()) {
  const dir = path.join(dataDir, 'audit')
  const logFile = path.join(dir, 'cef.log')
  const stateFile = path.join(dir, 'state.json')
  let queue: Promise<unknown> = Promise.resolve()

  function readState(): State {
    if (!existsSync(stateFile)) return { file: NONE, syslog: NONE, fileStartedAt: existsSync(logFile) ? clock().toISOString() : null }
    const raw = JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<State>
    return { file: raw.file ?? NONE, syslog: raw.syslog ?? NONE, fileStartedAt: raw.fileStartedAt ?? null }
  }

  function writeState(state: State) {
    const tmp = `${stateFile}.tmp`
    writeFileSync(tmp, JSON.stringify(state) + '\n', { mode: 0o600 })
    renameSync(tmp, stateFile)
  }

  function rotateIfDue(state: State) {
    if (!state.fileStartedAt || clock().getTime() - Date.parse(state.fileStartedAt) < ROTATE_MS) return
    if (existsSync(logFile)) renameSync(logFile, `${logFile}.1`)
    state.fileStartedAt = null
  }

  async function ship(req: ShipRequest) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const state = readState()
    rotateIfDue(state)
    const forFile = req.records.filter((r) => r.id > req.file.after && r.id <= req.file.upTo && !delivered(r, state.file))
    if (forFile.length) {
      appendFileSync(logFile, forFile.map((r) => r.cef + '\n').join(''), { mode: 0o600 })
      chmodSync(logFile, 0o600)
      state.file = markOf(forFile, state.file)
      state.fileStartedAt ??= clock().toISOString()
    }
    writeState(state)
    const reply: { fileLastId: number; syslogLastId: number | null; syslogError?: string } = {
      fileLastId: Math.max(req.file.after, req.file.upTo),
      syslogLastId: null,
    }
    if (req.syslog) {
      const { after, upTo, target } = req.syslog
      const forSyslog = req.records.filter((r) => r.id > after && r.id <= upTo && !delivered(r, state.syslog))
      try {
        await sendDatagrams(target, forSyslog.map((r) => frameFor(r, target.facility)))
        state.syslog = markOf(forSyslog, state.syslog)
        writeState(state)
        reply.syslogLastId = Math.max(after, upTo)
      } catch (err) {
        reply.syslogError = `${target.host}:${target.port}: ${err instanceof Error ? err.message : String(err)}`
      }
    }
    return reply
  }

  /** One request at a time: two overlapping flushes see each other's state. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn)
    queue = next.catch(() => undefined)
    return next
  }

  return {
    logFile,
    ship: (req: ShipRequest) => serial(() => ship(req)),
    /** One message to a collector, to check the settings; nothing is recorded. */
    test: (target: SyslogTarget, record: ShipRecord) => sendDatagrams(target, [frameFor(record, target.facility)]),
  }
}
