import { Worker } from 'node:worker_threads'
import { log } from './log'

/**
 * YARA-X (the official WASM build) on the Node side of the `HOST` binding. Inside workerd it
 * cannot compile valid rules (it generates code at run time, which workerd forbids), so the worker
 * sends sources here. The engine runs in a worker thread: a job that traps or overruns its time
 * ends that thread and the next job starts a fresh one.
 *
 *   POST /v1/yara/compile  {"sources":[{"content":"..."}]}
 *     -> {"results":[{"errors":["error[E025]: ..."],"warnings":[...]}],"built":true,"ms":12}
 *   POST /v1/yara/scan     multipart: sources (JSON array of {namespace, content}), sample (file)
 *     -> {"matches":[...yara-x scan matches...],"skipped":[indexes],"ms":40}
 */

const COMPILE_TIMEOUT_MS = 60_000
const SCAN_TIMEOUT_MS = 30_000
const MAX_SOURCES = 20_000
const MAX_SAMPLE_BYTES = 32 * 1024 * 1024

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

class Engine {
  private worker: Worker | null = null
  private ready: Promise<void> | null = null
  private pending = new Map<number, Pending>()
  private nextId = 1

  private start(): Promise<void> {
    const worker = new Worker(new URL('./yara-worker.mjs', import.meta.url))
    // An idle engine must not keep the launcher (or a test run) alive; a busy one must.
    worker.unref()
    this.worker = worker
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (msg: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string; trapped?: boolean }) => {
        if (msg.ready) return resolve()
        const job = msg.id === undefined ? undefined : this.pending.get(msg.id)
        if (!job) return
        this.settle(msg.id!)
        clearTimeout(job.timer)
        if (msg.ok) job.resolve(msg.result)
        else {
          job.reject(new EngineError(msg.trapped ? 500 : 422, msg.trapped ? 'yara_engine_trap' : 'yara_engine_error', msg.error ?? 'engine error'))
          if (msg.trapped) this.restart('trap')
        }
      }
      worker.on('message', onMessage)
      worker.on('error', (err) => {
        log('error', 'yara engine failed', { error: String(err) })
        reject(err)
        this.fail(worker, new EngineError(500, 'yara_engine_failed', 'the YARA engine stopped'))
      })
      worker.on('exit', () => this.fail(worker, new EngineError(500, 'yara_engine_failed', 'the YARA engine stopped')))
    })
    return this.ready
  }

  /** Rejects every job of a worker that is gone and forgets it. */
  private fail(worker: Worker, err: EngineError) {
    if (this.worker !== worker) return
    this.worker = null
    this.ready = null
    for (const [id, job] of this.pending) {
      clearTimeout(job.timer)
      job.reject(err)
      this.pending.delete(id)
    }
  }

  private settle(id: number) {
    this.pending.delete(id)
    if (!this.pending.size) this.worker?.unref()
  }

  private restart(reason: string) {
    const worker = this.worker
    if (!worker) return
    log('warn', 'restarting the YARA engine', { reason })
    this.fail(worker, new EngineError(503, 'yara_engine_restarted', `the YARA engine was restarted (${reason})`))
    void worker.terminate()
  }

  async run<T>(job: Record<string, unknown>, timeoutMs: number, transfer: ArrayBuffer[] = []): Promise<T> {
    if (!this.worker) await this.start()
    else await this.ready
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id)
        reject(new EngineError(422, 'yara_timeout', `the YARA engine did not finish within ${timeoutMs / 1000} s`))
        this.restart('timeout')
      }, timeoutMs)
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer })
      this.worker!.ref()
      this.worker!.postMessage({ ...job, id }, transfer)
    })
  }

  async close() {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }
}

interface Source {
  namespace?: string
  content: string
}

function readSources(raw: unknown): Source[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SOURCES) {
    throw new EngineError(400, 'bad_request', `sources must be an array of 1 to ${MAX_SOURCES} items`)
  }
  return raw.map((s, i) => {
    if (typeof s?.content !== 'string') throw new EngineError(400, 'bad_request', `sources[${i}].content must be a string`)
    if (s.namespace !== undefined && (typeof s.namespace !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(s.namespace))) {
      throw new EngineError(400, 'bad_request', `sources[${i}].namespace must be an identifier`)
    }
    return { content: s.content, ...(s.namespace ? { namespace: s.namespace } : {}) }
  })
}

const json = (body: unknown, status = 200) => Response.json(body, { status })

/** The HOST routes under /v1/yara/; the caller hands over every request whose path starts there. */
export function createYaraHost() {
  const engine = new Engine()
  async function handle(request: Request, pathname: string): Promise<Response> {
    try {
      if (request.method === 'POST' && pathname === '/v1/yara/compile') {
        const body = (await request.json().catch(() => null)) as { sources?: unknown } | null
        const sources = readSources(body?.sources)
        return json(await engine.run({ op: 'compile', sources }, COMPILE_TIMEOUT_MS))
      }
      if (request.method === 'POST' && pathname === '/v1/yara/scan') {
        const form = await request.formData().catch(() => null)
        const sample = form?.get('sample')
        if (!form || !(sample instanceof Blob)) throw new EngineError(400, 'bad_request', 'send multipart fields sources and sample')
        if (sample.size > MAX_SAMPLE_BYTES) throw new EngineError(413, 'payload_too_large', `the sample is larger than ${MAX_SAMPLE_BYTES} bytes`)
        let parsed: unknown
        try {
          parsed = JSON.parse(String(form.get('sources') ?? ''))
        } catch {
          throw new EngineError(400, 'bad_request', 'sources must be JSON')
        }
        const sources = readSources(parsed)
        const bytes = await sample.arrayBuffer()
        const result = await engine.run({ op: 'scan', sources, sample: bytes, timeoutMs: SCAN_TIMEOUT_MS - 5_000, maxMatches: 100 }, SCAN_TIMEOUT_MS, [bytes])
        return json(result)
      }
      return json({ error: { code: 'not_found', message: `HOST has no ${request.method} ${pathname}` } }, 404)
    } catch (err) {
      if (err instanceof EngineError) return json({ error: { code: err.code, message: err.message } }, err.status)
      throw err
    }
  }
  return { handle, close: () => engine.close() }
}
