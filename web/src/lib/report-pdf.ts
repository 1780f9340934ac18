// The Intelligence Report as a real PDF (selectable text, not a screenshot), built in the browser
// with jsPDF (MIT). Latin text uses the built-in Helvetica; Hebrew letters use Noto Sans Hebrew
// (OFL, bundled), switched glyph run by glyph run, in visual order (lib/bidi.ts).
import type { jsPDF as JsPdf } from 'jspdf'
import hebrewRegularUrl from '../../../node_modules/@embedpdf/fonts-hebrew/fonts/NotoSansHebrew-Regular.ttf?url'
import hebrewBoldUrl from '../../../node_modules/@embedpdf/fonts-hebrew/fonts/NotoSansHebrew-Bold.ttf?url'
import { hasHebrew, visualOrder } from './bidi'

export interface PdfSection {
  title: string
  /** Column headers (first column is the label). */
  head?: string[]
  rows: string[][]
  note?: string
}

export interface PdfReport {
  rtl: boolean
  title: string
  subtitle: string
  footer: (page: number, pages: number) => string
  sections: PdfSection[]
  filename: string
}

const PAGE_W = 210
const PAGE_H = 297
const MARGIN = 16
const HEB_CHAR = /[\u0590-\u05FF\uFB1D-\uFB4F ]/

async function fontBase64(url: string): Promise<string> {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Emoji and other symbols neither font has are left out of the PDF. */
const printable = (s: string) => s.replace(/\u2212/g, '-').replace(/[\u{1F000}-\u{1FFFF}\u{2600}-\u{27BF}\u{FE0F}\u{200D}\u2068\u2069\u200E\u200F]/gu, '').trim()

class Writer {
  y = MARGIN
  constructor(
    readonly doc: JsPdf,
    readonly rtl: boolean,
  ) {}

  /** Visual-order segments of one line, each with the font that has its glyphs. */
  private segments(text: string, bold: boolean) {
    const visual = visualOrder(printable(text), this.rtl)
    const out: { text: string; font: string; style: string }[] = []
    for (const ch of visual) {
      const heb = HEB_CHAR.test(ch) && (ch !== ' ' || (out.length > 0 && out[out.length - 1].font === 'NotoHebrew'))
      const font = heb ? 'NotoHebrew' : 'helvetica'
      const last = out[out.length - 1]
      if (last && last.font === font) last.text += ch
      else out.push({ text: ch, font, style: bold ? 'bold' : 'normal' })
    }
    return out
  }

  width(text: string, size: number, bold = false) {
    this.doc.setFontSize(size)
    return this.segments(text, bold).reduce((w, s) => {
      this.doc.setFont(s.font, s.style)
      return w + this.doc.getTextWidth(s.text)
    }, 0)
  }

  /** Draws one line; `at` is the start edge (right in Hebrew) unless align is 'end'. */
  text(text: string, x: number, y: number, opts: { size?: number; bold?: boolean; align?: 'start' | 'end'; maxWidth?: number } = {}) {
    const size = opts.size ?? 10
    let line = printable(text)
    if (opts.maxWidth) while (line.length > 1 && this.width(line, size, opts.bold) > opts.maxWidth) line = `${line.slice(0, -2)}…`
    const w = this.width(line, size, opts.bold)
    const toRight = (opts.align ?? 'start') === 'start' ? this.rtl : !this.rtl
    let cx = toRight ? x - w : x
    this.doc.setFontSize(size)
    for (const s of this.segments(line, !!opts.bold)) {
      this.doc.setFont(s.font, s.style)
      this.doc.text(s.text, cx, y)
      cx += this.doc.getTextWidth(s.text)
    }
  }

  /** x of the start edge, or of a column's start edge, mirrored in Hebrew. */
  edge(offset = 0) {
    return this.rtl ? PAGE_W - MARGIN - offset : MARGIN + offset
  }

  ensure(space: number) {
    if (this.y + space > PAGE_H - MARGIN - 8) {
      this.doc.addPage()
      this.y = MARGIN
    }
  }

  section(s: PdfSection) {
    this.ensure(16)
    this.y += 4
    this.text(s.title, this.edge(), this.y, { size: 12.5, bold: true })
    this.y += 2
    this.doc.setDrawColor(200)
    this.doc.line(MARGIN, this.y, PAGE_W - MARGIN, this.y)
    this.y += 5
    const cols = Math.max(s.head?.length ?? 0, ...s.rows.map((r) => r.length), 1)
    const labelW = cols > 1 ? (PAGE_W - 2 * MARGIN) * (cols > 3 ? 0.4 : 0.55) : PAGE_W - 2 * MARGIN
    const colW = cols > 1 ? (PAGE_W - 2 * MARGIN - labelW) / (cols - 1) : 0
    const row = (cells: string[], bold: boolean) => {
      this.ensure(6)
      cells.forEach((cell, i) => {
        if (i === 0) this.text(cell, this.edge(), this.y, { size: 9.5, bold, maxWidth: labelW - 2 })
        else this.text(cell, this.edge(labelW + colW * i), this.y, { size: 9.5, bold, align: 'end', maxWidth: colW - 2 })
      })
      this.y += 5.2
    }
    if (s.head) row(s.head, true)
    for (const r of s.rows) row(r, false)
    if (s.note) {
      this.ensure(6)
      this.text(s.note, this.edge(), this.y, { size: 8.5, maxWidth: PAGE_W - 2 * MARGIN })
      this.y += 5
    }
  }
}

/** Builds the PDF and starts the download. */
export async function exportReportPdf(report: PdfReport): Promise<void> {
  const { jsPDF } = await import('jspdf')
  const doc = new jsPDF({ unit: 'mm', format: 'a4', compress: true })
  doc.setProperties({ title: printable(report.title), creator: 'Moat' })
  const needsHebrew = report.rtl || [report.title, report.subtitle, ...report.sections.flatMap((s) => [s.title, ...(s.head ?? []), ...s.rows.flat()])].some(hasHebrew)
  if (needsHebrew) {
    const [regular, bold] = await Promise.all([fontBase64(hebrewRegularUrl), fontBase64(hebrewBoldUrl)])
    doc.addFileToVFS('NotoSansHebrew-Regular.ttf', regular)
    doc.addFont('NotoSansHebrew-Regular.ttf', 'NotoHebrew', 'normal')
    doc.addFileToVFS('NotoSansHebrew-Bold.ttf', bold)
    doc.addFont('NotoSansHebrew-Bold.ttf', 'NotoHebrew', 'bold')
  }
  const w = new Writer(doc, report.rtl)
  w.y = MARGIN + 4
  w.text(report.title, w.edge(), w.y, { size: 18, bold: true })
  w.y += 7
  w.text(report.subtitle, w.edge(), w.y, { size: 9.5 })
  w.y += 4
  for (const s of report.sections) w.section(s)
  const pages = doc.getNumberOfPages()
  for (let p = 1; p <= pages; p++) {
    doc.setPage(p)
    doc.setTextColor(120)
    w.text(report.footer(p, pages), PAGE_W / 2 + (report.rtl ? 40 : -40), PAGE_H - 8, { size: 8 })
    doc.setTextColor(0)
  }
  doc.save(report.filename)
}
