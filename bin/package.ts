// `npm run package`: one tar.gz that installs Moat on a machine with no registry access — the
// built worker and UI, the launcher and the sources it loads, and the production node_modules
// exactly as installed here (native parts included: the workerd binary, better-sqlite3, esbuild).
// Build it on the same OS, CPU architecture and Node major version as the target.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { buildAll, PREBUILT } from './build'
import { packageVersion, ROOT } from './config'
import { log } from './log'

/** What the app needs at run time besides node_modules (no tests, benches, UI sources). */
const APP_FILES = ['bin', 'functions', 'scheduled', 'schema', 'dist', 'web/dist', 'deploy', 'wrangler.toml', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md']

/** Production packages as npm resolved them (`npm ls --omit=dev --all`), relative to ROOT. */
export function productionModules(): string[] {
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const dirs = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== ROOT)
    .map((l) => path.relative(ROOT, l))
    .filter((rel) => rel.startsWith('node_modules' + path.sep) && existsSync(path.join(ROOT, rel)))
  // A nested package is inside its parent's folder already: list each tree once.
  const set = new Set(dirs)
  return [...set].filter((d) => !d.split(path.sep + 'node_modules' + path.sep).slice(0, -1).some((_, i, parts) => set.has(parts.slice(0, i + 1).join(path.sep + 'node_modules' + path.sep))))
}

export async function buildPackage(outDir: string, opts: { fast?: boolean } = {}): Promise<string> {
  await buildAll({ ifStale: true })
  const version = packageVersion()
  const name = `moat-${version}-${process.platform}-${process.arch}-node${process.versions.node.split('.')[0]}`
  mkdirSync(outDir, { recursive: true })
  const archive = path.join(outDir, `${name}.tar.gz`)
  // Marks the copy as prebuilt: `moat start` never rebuilds in the (read-only) install folder.
  writeFileSync(PREBUILT, `${new Date().toISOString()} ${version} abi=${process.versions.modules} arch=${process.arch}\n`)
  const staging = mkdtempSync(path.join(tmpdir(), 'moat-package-'))
  try {
    const list = path.join(staging, 'files.txt')
    const modules = productionModules()
    if (!modules.some((m) => m.endsWith(path.join('node_modules', 'workerd')))) throw new Error('workerd is not among the production modules')
    const entries = [...APP_FILES.filter((f) => existsSync(path.join(ROOT, f))), ...modules]
    writeFileSync(list, entries.join('\n') + '\n')
    // The install script sits at the top of the archive, next to the app folder it installs.
    const installer = path.join(staging, 'install.sh')
    execFileSync('cp', [path.join(ROOT, 'deploy', 'install.sh'), installer])
    // One transform for all members (GNU tar applies --transform globally): app files go under
    // <name>/app/, the installer to <name>/install.sh.
    const tops = [...new Set(entries.map((e) => e.split(path.sep)[0]))].map((t) => t.replace(/[.]/g, '\\.')).join('\\|')
    execFileSync(
      'tar',
      [
        // --fast (tests): gzip -1, twice as quick, a somewhat larger file.
        ...(opts.fast ? ['-I', 'gzip -1', '-cf', archive] : ['-czf', archive]),
        '--owner=0', '--group=0', '--numeric-owner',
        '--transform', `s,^\\(${tops}\\),${name}/app/\\1,;s,^install\\.sh$,${name}/install.sh,`,
        '-C', staging, 'install.sh',
        '-C', ROOT, '-T', list,
      ],
      { stdio: 'inherit' },
    )
  } finally {
    rmSync(staging, { recursive: true, force: true })
    rmSync(PREBUILT, { force: true })
  }
  log('info', 'package written', { archive, bytes: statSync(archive).size })
  return archive
}

export async function runPackageCommand(args: string[]) {
  const { values } = parseArgs({ args, options: { out: { type: 'string', default: path.join(ROOT, 'artifacts') }, fast: { type: 'boolean' } } })
  await buildPackage(path.resolve(values.out!), { fast: values.fast })
}
