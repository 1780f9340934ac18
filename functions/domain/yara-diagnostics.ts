/** A compile or lint finding, at its line and column in the stored content. */
export interface YaraDiagnostic {
  severity: 'error' | 'warning'
  source: 'compiler' | 'lint'
  code: string
  message: string
  line: number | null
  column: number | null
  /** The rule the finding belongs to, when known. */
  rule?: string
  /** Values for a translated message (lint findings). */
  params?: Record<string, string | number>
  /** The compiler's full report (source excerpt, notes, help). */
  detail?: string
}

/**
 * Reads one YARA-X report, e.g.
 *
 *     error[E025]: unknown pattern `$b`
 *      --> line:9:16
 *       |
 *     9 |         $a and $b
 *       |                ^^ this pattern is not declared in the `strings` section
 *
 * into code E025, line 9, column 16 and the message "unknown pattern `$b`: this pattern is not
 * declared in the `strings` section" (title, then the label under the primary `^^^` marker).
 */
export function parseCompilerReport(report: string): YaraDiagnostic {
  const lines = report.split('\n')
  const head = /^(error|warning)(?:\[([^\]]+)\])?:\s*(.*)$/.exec(lines[0] ?? '')
  const at = /-->\s*line:(\d+):(\d+)/.exec(report)
  let label = ''
  for (const l of lines) {
    const m = /^\s*\d*\s*\|\s*\^+\s*(.*)$/.exec(l)
    if (m) {
      label = m[1].trim()
      break
    }
  }
  const note = lines.find((l) => /^\s*=\s*note:/.test(l))?.replace(/^\s*=\s*note:\s*/, '')
  const title = head?.[3]?.trim() || lines[0]?.trim() || 'compile error'
  return {
    severity: head?.[1] === 'warning' ? 'warning' : 'error',
    source: 'compiler',
    code: head?.[2] ?? (head?.[1] === 'warning' ? 'warning' : 'error'),
    message: [title, label || note].filter(Boolean).join(': '),
    line: at ? Number(at[1]) : null,
    column: at ? Number(at[2]) : null,
    detail: report,
  }
}

/** Orders findings by position: errors before warnings on the same line. */
export function byPosition(a: YaraDiagnostic, b: YaraDiagnostic): number {
  return (
    (a.line ?? Infinity) - (b.line ?? Infinity) ||
    (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
    (a.column ?? 0) - (b.column ?? 0)
  )
}
