// Bulk import figures (issue 4): the time to stage and commit ~100k mixed, partly defanged lines
// (a generated TXT file plus every real file in ../shared/data/iocs, each uploaded as an analyst
// would), next to the sqlite3 CLI `.import`ing the same clean rows into the same schema (the
// migrated D1 file: same indexes, FTS triggers). Goal: Moat within 4x of the raw import.
// Figures only; nothing is asserted. Needs `apt-get install -y sqlite3` for the comparison.
// `npm run bench -- import` (BENCH_IMPORT_LINES to change the 100k total).
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client, startMoat } from '../tests/helpers/moat'

const IOCS = path.resolve('../shared/data/iocs')
const TOTAL = Number(process.env.BENCH_IMPORT_LINES ?? 100_000)
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout),
    )
    if (input !== undefined) child.stdin!.end(input)
  })
}

function realFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) return realFiles(p)
    return name.startsWith('LICENSE') ? [] : [p]
  })
}

/** Mixed indicators, about a third defanged, with a few comment and directive lines. */
function generated(lines: number): string {
  const out: string[] = ['# ticket: BENCH-IMPORT', '# ttl: 3m']
  const hex = (i: number, len: number) => (i.toString(16).padStart(8, '0').repeat(Math.ceil(len / 8)) + 'abcdef0123456789').slice(0, len)
  for (let i = 0; out.length < lines; i++) {
    const defang = i % 3 === 0
    const dot = defang ? '[.]' : '.'
    switch (i % 6) {
      case 0:
        out.push(`${23 + (i >> 16) % 200}${dot}${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`)
        break
      case 1:
        out.push(`host-${i}${dot}bench-domain${i % 97}.top`)
        break
      case 2:
        out.push(`${defang ? 'hxxp' : 'http'}://dl-${i}.bench-url${dot}xyz/payload/${i}.bin`)
        break
      case 3:
        out.push(`phish-${i}@bench-mail${i % 31}${dot}top`)
        break
      case 4:
        out.push(hex(i * 2654435761, 64))
        break
      default:
        out.push(i % 12 === 5 ? `# batch ${i}` : hex(i * 40503, 40))
    }
  }
  return out.join('\n') + '\n'
}

export async function benchImport() {
  const files = realFiles(IOCS).map((p) => ({ name: path.basename(p), body: readFileSync(p) }))
  const realLines = files.reduce((n, f) => n + f.body.toString('utf8').split('\n').length, 0)
  const gen = generated(Math.max(1000, TOTAL - realLines))
  const uploads = [{ name: 'generated.txt', body: Buffer.from(gen) }, ...files]
  const lines = uploads.reduce((n, f) => n + f.body.toString('utf8').split('\n').length, 0)
  console.log(`${uploads.length} files, ${lines} lines (${files.length} real files with ${realLines} lines + a generated list), ${(uploads.reduce((n, f) => n + f.body.length, 0) / 1024 / 1024).toFixed(1)} MB`)

  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-import-'))
  const moat = await startMoat(dir)
  const d1File = () => {
    const d1 = path.join(dir, 'd1', 'miniflare-D1DatabaseObject')
    return path.join(d1, readdirSync(d1).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')!)
  }
  // The same schema for sqlite3: the migrated database file before any IOC is written.
  const schemaCopy = path.join(dir, 'sqlite3-target.sqlite')
  copyFileSync(d1File(), schemaCopy)
  for (const ext of ['-wal', '-shm']) {
    try {
      copyFileSync(d1File() + ext, schemaCopy + ext)
    } catch {
      // no WAL yet: everything is in the main file
    }
  }
  try {
    await moat.addUser('bench', 'admin')
    const client = new Client(moat.base)
    await client.login('bench', moat.password)
    let stageMs = 0
    let commitMs = 0
    let rows = 0
    let created = 0
    const batchIds: number[] = []
    for (const f of uploads) {
      const form = new FormData()
      form.append('file', new File([f.body], f.name))
      let t = performance.now()
      const staged = await client.post('/api/v1/imports', form)
      stageMs += performance.now() - t
      if (staged.status !== 201) {
        console.log(`  ${f.name}: ${staged.status} ${staged.json?.error?.message ?? ''}`)
        continue
      }
      rows += staged.json.counts.total
      await client.post(`/api/v1/imports/${staged.json.id}/select`, { statuses: ['warning'], selected: true })
      t = performance.now()
      const done = await client.post(`/api/v1/imports/${staged.json.id}/commit`, {})
      commitMs += performance.now() - t
      created += done.json.created
      batchIds.push(staged.json.id)
    }
    const moatMs = stageMs + commitMs
    console.log(`moat: ${rows} staged rows, ${created} IOCs created`)
    console.log(`  stage (upload, parse, refang, classify): ${s(stageMs)}  (${Math.round(rows / (stageMs / 1000))} rows/s)`)
    console.log(`  commit (one transaction per batch):       ${s(commitMs)}  (${Math.round(created / (commitMs / 1000))} rows/s)`)
    console.log(`  total:                                    ${s(moatMs)}`)

    const hasSqlite = await run('sh', ['-c', 'command -v sqlite3']).then(() => true, () => false)
    if (!hasSqlite) return console.log('sqlite3 not installed: `apt-get install -y sqlite3` for the raw import comparison')
    // The clean rows exactly as Moat stored them, as CSV.
    const clean = await moat.db
      .prepare(`SELECT type, value, host, ip_start, ip_end, expires_at, ticket, comment, tags, source, created_at FROM iocs WHERE import_batch_id IS NOT NULL ORDER BY id`)
      .raw<unknown[]>()
    const csvCell = (v: unknown) => (v === null ? '' : `"${String(v).replace(/"/g, '""')}"`)
    const csv = path.join(dir, 'clean.csv')
    writeFileSync(csv, ['type,value,host,ip_start,ip_end,expires_at,ticket,comment,tags,source,created_at', ...clean.map((r) => r.map(csvCell).join(','))].join('\n') + '\n')
    const script = `.timer on
INSERT INTO users (username, display_name, role) VALUES ('raw', 'Raw', 'admin');
.import --csv ${csv} raw_rows
INSERT INTO iocs (type, value, host, ip_start, ip_end, expires_at, ticket, comment, tags, source, created_by, created_at, updated_at)
  SELECT type, value, nullif(host, ''), nullif(ip_start, ''), nullif(ip_end, ''), nullif(expires_at, ''), ticket, comment, tags, source,
    (SELECT id FROM users WHERE username = 'raw'), created_at, created_at FROM raw_rows;
SELECT count(*) FROM iocs;
`
    const t = performance.now()
    const out = await run('sqlite3', [schemaCopy], script)
    const rawMs = performance.now() - t
    const count = out.trim().split('\n').find((l) => /^\d+$/.test(l.trim()))
    console.log(`sqlite3 CLI: .import of the same ${clean.length} clean rows + INSERT into the same schema: ${s(rawMs)} (${count} rows)`)
    console.log(`ratio moat / sqlite3: ${(moatMs / rawMs).toFixed(2)}x (goal <= 4x); commit alone ${(commitMs / rawMs).toFixed(2)}x`)
  } finally {
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
