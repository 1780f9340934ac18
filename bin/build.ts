import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { build as esbuild } from 'esbuild'
import { ROOT } from './config'
import { log } from './log'

export const WORKER_BUNDLE = path.join(ROOT, 'dist', 'worker.mjs')
const STAMP = path.join(ROOT, 'dist', '.build-stamp')
/** Present in an offline package (bin/package.ts): the build shipped with it is used as is. */
export const PREBUILT = path.join(ROOT, 'dist', '.prebuilt')
const SOURCES = ['functions', 'scheduled', 'schema', 'web', 'package-lock.json', 'wrangler.toml']

function* files(p: string): Generator<string> {
  if (!existsSync(p)) return
  const st = statSync(p)
  if (st.isFile()) {
    yield p
    return
  }
  for (const name of readdirSync(p).sort()) {
    if (name === 'dist' || name === 'node_modules' || name.startsWith('.')) continue
    yield* files(path.join(p, name))
  }
}

/** A fingerprint of every source file's path, size and mtime: rebuild only when it changes. */
function fingerprint(): string {
  const h = createHash('sha256')
  for (const top of SOURCES) {
    for (const f of files(path.join(ROOT, top))) {
      const st = statSync(f)
      h.update(`${path.relative(ROOT, f)}:${st.size}:${st.mtimeMs}\n`)
    }
  }
  return h.digest('hex')
}

export async function buildWorker() {
  await esbuild({
    entryPoints: [path.join(ROOT, 'functions', 'index.ts')],
    outfile: WORKER_BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['node:*', 'cloudflare:*'],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  })
}

export async function buildWeb() {
  const { build } = await import('vite')
  await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' })
}

/** Builds the worker bundle and the UI; with `ifStale`, only when sources changed since the last build. */
export async function buildAll({ ifStale = false } = {}) {
  // An installed package has no UI sources and a read-only folder: never rebuild there.
  if (ifStale && existsSync(PREBUILT) && existsSync(WORKER_BUNDLE) && existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
    log('info', 'prebuilt package: using its build')
    return
  }
  const print = fingerprint()
  const fresh =
    existsSync(STAMP) &&
    existsSync(WORKER_BUNDLE) &&
    existsSync(path.join(ROOT, 'web', 'dist', 'index.html')) &&
    readFileSync(STAMP, 'utf8') === print
  if (ifStale && fresh) {
    log('info', 'build is up to date')
    return
  }
  const started = Date.now()
  await buildWorker()
  await buildWeb()
  mkdirSync(path.dirname(STAMP), { recursive: true })
  writeFileSync(STAMP, print)
  log('info', 'build finished', { ms: Date.now() - started })
}
