// The YARA-X engine in a worker thread of the launcher (plain JS: it runs without the TypeScript
// loader). bin/host-yara.ts sends one message per job and restarts the thread when a job traps or
// runs too long, so a bad rule can never poison the engine for the next caller.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parentPort } from 'node:worker_threads'
import init, { Compiler } from '@virustotal/yara-x'

const require = createRequire(import.meta.url)
const wasmPath = require.resolve('@virustotal/yara-x/package.json').replace(/package\.json$/, 'pkg/yara_x_js_bg.wasm')
await init({ module_or_path: readFileSync(wasmPath) })

/** Adds each source (in its own namespace when given) and records the errors and warnings it caused. */
function addAll(compiler, sources) {
  return sources.map((source) => {
    if (source.namespace) compiler.newNamespace(source.namespace)
    const errorsBefore = compiler.errors.length
    const warningsBefore = compiler.warnings.length
    try {
      compiler.addSource(source.content)
    } catch {
      // The messages are in compiler.errors.
    }
    return { errors: compiler.errors.slice(errorsBefore), warnings: compiler.warnings.slice(warningsBefore) }
  })
}

/** A fresh compiler per job; a source set without errors is also built (code generation runs there). */
function compile({ sources }) {
  const compiler = new Compiler()
  const results = addAll(compiler, sources)
  if (results.some((r) => r.errors.length)) {
    compiler.free()
    return { results, built: false }
  }
  try {
    compiler.build().free()
    return { results, built: true }
  } catch (err) {
    return { results, built: false, buildError: String(err?.message ?? err) }
  }
}

function build(sources) {
  const compiler = new Compiler()
  const results = addAll(compiler, sources)
  if (results.some((r) => r.errors.length)) {
    compiler.free()
    return { results, rules: null }
  }
  return { results, rules: compiler.build() }
}

/** Scans one sample with every source that compiles; sources that fail are skipped and named. */
function scan({ sources, sample, timeoutMs, maxMatches }) {
  let attempt = build(sources)
  const skipped = []
  if (!attempt.rules) {
    attempt.results.forEach((r, i) => r.errors.length && skipped.push(i))
    attempt = build(sources.filter((_, i) => !skipped.includes(i)))
    if (!attempt.rules) throw new Error('the rule set does not compile')
  }
  const rules = attempt.rules
  try {
    const scanner = rules.scanner()
    scanner.setTimeoutMs(timeoutMs)
    scanner.setMaxMatchesPerPattern(maxMatches)
    try {
      const result = scanner.scan(new Uint8Array(sample))
      return { skipped, matches: result.matches }
    } finally {
      scanner.free()
    }
  } finally {
    rules.free()
  }
}

parentPort.on('message', (job) => {
  const started = Date.now()
  try {
    const result = job.op === 'scan' ? scan(job) : compile(job)
    parentPort.postMessage({ id: job.id, ok: true, result: { ...result, ms: Date.now() - started } })
  } catch (err) {
    parentPort.postMessage({ id: job.id, ok: false, error: String(err?.message ?? err), trapped: err instanceof WebAssembly.RuntimeError })
  }
})
parentPort.postMessage({ ready: true })
