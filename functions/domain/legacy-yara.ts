/**
 * YARA rules of the systems Moat migrates from: the `yara_rules` rows (metadata) joined with the
 * files in `YARA/` (approved) and `YARA_pending/` (pending), by migration.md section 3. A row
 * without its file is skipped; a file without a row is an approved (or pending) rule of
 * `legacy:unknown`. Pure.
 */
import type { ReportEntry } from './legacy-iocs'

export interface LegacyYaraRow {
  filename: string
  analyst: string
  ticket: string | null
  comment: string | null
  campaign: string | null
  uploadedAt: string | null
  qualityPoints: number | null
  status: string
}

export interface LegacyYaraRule {
  /** Safe file name (letters, digits, `._-`, ending `.yar`/`.yara`). */
  filename: string
  sha256?: string
  content: string
  status: 'approved' | 'pending'
  analyst: string
  ticket: string | null
  comment: string | null
  campaign: string | null
  uploadedAt: string | null
  qualityPoints: number | null
  /** Problems the structural check found; a rule with any is imported as pending. */
  errors: string[]
}

/** Rule files of one folder: name -> UTF-8 text, or null when the bytes are not text. */
export type YaraFolder = Map<string, string | null>

export const YARA_MAX_BYTES = 1024 * 1024

export function isYaraFileName(name: string): boolean {
  return /\.(yar|yara)$/i.test(name)
}

/** A file name safe to store and serve: base name only, no control or path characters. */
export function safeYaraName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  let safe = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '')
  if (!isYaraFileName(safe)) safe = `${safe || 'rule'}.yar`
  return safe.slice(-255)
}

/**
 * A structural check (the YARA Manager's compiler replaces it when wired): at least one `rule`
 * with a `condition:`, balanced braces outside strings and comments.
 */
export function checkYaraShape(content: string): string[] {
  const errors: string[] = []
  const code = content
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/\/(?:[^/\\\n]|\\.)+\/[a-z]*/g, '//')
  const rules = [...code.matchAll(/\brule\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1])
  if (!rules.length) errors.push('no rule declaration (`rule name { ... }`)')
  let depth = 0
  let line = 1
  for (const ch of code) {
    if (ch === '\n') line++
    if (ch === '{') depth++
    if (ch === '}' && --depth < 0) {
      errors.push(`line ${line}: '}' without a matching '{'`)
      depth = 0
    }
  }
  if (depth > 0) errors.push(`${depth} '{' not closed`)
  const conditions = (code.match(/\bcondition\s*:/g) ?? []).length
  if (rules.length && conditions < rules.length) errors.push(`${rules.length - conditions} rule(s) without a condition`)
  return errors
}

function rule(filename: string, content: string, status: 'approved' | 'pending', meta: Partial<Omit<LegacyYaraRow, 'status' | 'filename'>>): LegacyYaraRule {
  const errors = checkYaraShape(content)
  return {
    filename,
    content,
    status: errors.length ? 'pending' : status,
    analyst: meta.analyst || 'legacy:unknown',
    ticket: meta.ticket ?? null,
    comment: meta.comment ?? null,
    campaign: meta.campaign ?? null,
    uploadedAt: meta.uploadedAt ?? null,
    qualityPoints: meta.qualityPoints ?? null,
    errors,
  }
}

export function mapLegacyYara(rows: LegacyYaraRow[], approved: YaraFolder, pending: YaraFolder): { rules: LegacyYaraRule[]; report: ReportEntry[] } {
  const rules: LegacyYaraRule[] = []
  const report: ReportEntry[] = []
  const used = new Set<string>()
  const names = new Set<string>()
  const add = (r: LegacyYaraRule, where: string) => {
    if (names.has(r.filename.toLowerCase())) {
      report.push({ kind: 'skipped', where, reason: 'duplicate_name', message: `${r.filename}: another rule already has this name` })
      return
    }
    names.add(r.filename.toLowerCase())
    if (r.errors.length) report.push({ kind: 'warning', where, reason: 'invalid_rule', message: `${r.filename}: imported as pending: ${r.errors.join('; ')}` })
    rules.push(r)
  }
  const take = (folder: YaraFolder, dir: string, name: string, where: string): string | null | undefined => {
    if (!folder.has(name)) return undefined
    used.add(`${dir}/${name}`)
    const content = folder.get(name) ?? null
    if (content === null) report.push({ kind: 'skipped', where, reason: 'not_text', message: `${dir}/${name} is not UTF-8 text or larger than ${YARA_MAX_BYTES} bytes` })
    return content
  }
  for (const row of rows) {
    const where = `yara_rules ${row.filename}`
    const wanted = row.status === 'pending' ? 'pending' : 'approved'
    const [first, second] = wanted === 'pending' ? [[pending, 'YARA_pending'], [approved, 'YARA']] as const : [[approved, 'YARA'], [pending, 'YARA_pending']] as const
    let content = take(first[0], first[1], row.filename, where)
    let status: 'approved' | 'pending' = wanted
    if (content === undefined) {
      content = take(second[0], second[1], row.filename, where)
      if (content !== undefined) {
        status = second[1] === 'YARA' ? 'approved' : 'pending'
        report.push({ kind: 'changed', where, reason: 'status_from_folder', message: `${row.filename}: marked ${wanted} but found in ${second[1]}/; imported as ${status}` })
      }
    }
    if (content === undefined) {
      report.push({ kind: 'skipped', where, reason: 'missing_file', message: `${row.filename}: no file in YARA/ or YARA_pending/` })
      continue
    }
    if (content === null) continue
    const filename = safeYaraName(row.filename)
    if (filename !== row.filename) report.push({ kind: 'changed', where, reason: 'renamed', message: `${row.filename} -> ${filename}` })
    add(rule(filename, content, status, row), where)
  }
  for (const [folder, dir, status] of [[approved, 'YARA', 'approved'], [pending, 'YARA_pending', 'pending']] as const) {
    for (const name of [...folder.keys()].sort()) {
      if (used.has(`${dir}/${name}`)) continue
      const where = `${dir}/${name}`
      const content = take(folder, dir, name, where)
      if (content === null || content === undefined) continue
      report.push({ kind: 'info', where, reason: 'orphan_file', message: `${name}: no yara_rules row; imported as ${status}, uploader legacy:unknown` })
      add(rule(safeYaraName(name), content, status, {}), where)
    }
  }
  return { rules, report }
}
