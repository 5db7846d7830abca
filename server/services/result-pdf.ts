/**
 * The e-licence as a PDF and its QR code. No PDF library is installed, so this writes a small,
 * valid PDF 1.4 by hand: one A4 page, bilingual (Chinese first), and the QR code drawn as filled
 * rectangles from the modules `qrcode.create` computes (result-qr.ts), so a phone can scan it straight from the paper.
 *
 * Chinese text is set in STSong-Light with the UniGB-UCS2-H encoding: one of the Chinese fonts
 * every PDF reader is required to supply itself (Adobe's "Asian font packs"; pdf.js, PDFium and
 * poppler substitute a system font), so no font file is needed offline or embedded. A ToUnicode map
 * lets readers copy the text and screen readers read it. English runs keep the standard Helvetica.
 */
import en from '../../i18n/locales/en/result.json'
import zh from '../../i18n/locales/zh/result.json'
import { dayText } from '../../shared/utils/date-format'
import { isWinAnsiText, winAnsiByte } from '../../shared/utils/win-ansi'
import { qrMatrix } from './result-qr'

export interface PdfContent {
  code: string
  number: string
  caseNo: string
  serviceCode: string
  serviceName: string
  serviceNameEn: string
  /** the licence's own name (e.g. 营业执照) where the item names one */
  resultName: string | null
  /** its English title, where the item gives one */
  resultNameEn: string | null
  departmentName: string
  departmentNameEn: string
  /** the person's or organisation's name: the licence is the holder's document */
  holderName: string
  holderIdNumberMasked: string
  /** an organisation's licence carries its unified social credit code where a person's has the ID number */
  holderKind: 'person' | 'organization'
  issuedDate: string
  validUntil: string | null
  status: 'valid' | 'revoked' | 'expired'
  /** revoked because a newer licence replaced it: the status is printed as such */
  superseded?: boolean
  verifyUrl: string
}

/** A Helvetica string: each character as its WinAnsi byte (else '?'), the three syntax characters escaped. */
function pdfText(s: string): string {
  return Array.from(s, ch => String.fromCharCode(winAnsiByte(ch) ?? 0x3F)).join('').replace(/[\\()]/g, m => `\\${m}`)
}

/** U+3013 (〓), the mark Chinese typesetting puts where a character cannot be set. */
const GETA = 0x3013

/** Middle dots of minority and foreign names (阿依古丽·买买提): STSong's map has only the katakana one. */
const MIDDLE_DOTS = new Set([0x00B7, 0x2022, 0x2027, 0xFF65])

/**
 * The UCS-2 code to set `cp` with in STSong-Light (UniGB-UCS2-H maps the Adobe-GB1 characters:
 * ASCII, the Chinese ideographs, CJK and full-width punctuation, the common quotation marks and
 * dashes), or 〓 for anything else: Hangul, most accented Latin letters, a character beyond the Basic
 * Multilingual Plane (𠮷), which would otherwise print as nothing at all or as another glyph.
 */
function cjkCode(cp: number): number {
  if (MIDDLE_DOTS.has(cp)) return 0x30FB
  const covered = (cp >= 0x20 && cp <= 0x7E) || (cp >= 0x3000 && cp <= 0x303F) || cp === 0x30FB
    || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xFF01 && cp <= 0xFF5E)
    || cp === 0x2014 || cp === 0x2026 || (cp >= 0x2018 && cp <= 0x201D)
  return covered ? cp : GETA
}

/** Text for the Chinese font: UCS-2 big-endian in a hex string (cjkCode). */
function cjkHex(s: string): string {
  return `<${Array.from(s, ch => cjkCode(ch.codePointAt(0)!).toString(16).toUpperCase().padStart(4, '0')).join('')}>`
}

/** Width of a Chinese-font run in points: ASCII half an em (the font's /W), everything else a full em. */
function cjkWidth(s: string, size: number): number {
  let ems = 0
  for (const ch of s) ems += ch.codePointAt(0)! < 0x7F ? 0.5 : 1
  return ems * size
}

/**
 * An upper bound of a Helvetica run's width: 0.61 em a character, wider than every lower-case
 * letter and digit (W and M are wider, and rare enough in a line for the margin to take them).
 */
const latinWidth = (s: string, size: number): number => Array.from(s).length * 0.61 * size

/**
 * Helvetica's advance widths (thousandths of an em) of the printable ASCII characters, 0x20 to 0x7E,
 * from Adobe's core font metrics (0x27 and 0x60 as WinAnsi has them: quotesingle and grave).
 */
const HELVETICA_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]

interface Run { font: 'F1' | 'F2' | 'F3', text: string }
/** One line of text; `indent` (points from the margin) for the continuation of a wrapped one. */
interface Line { size: number, runs: Run[], gap?: number, indent?: number }

const cjk = (text: string): Run => ({ font: 'F3', text })
const latin = (text: string, bold = false): Run => ({ font: bold ? 'F2' : 'F1', text })
const widthOf = (run: Run, size: number) => (run.font === 'F3' ? cjkWidth(run.text, size) : latinWidth(run.text, size))

/**
 * Where the next run of a line starts after `run`: its exact width for the Chinese font and for
 * plain ASCII in regular Helvetica (a label such as "Holder: "), else the upper bound, which may
 * leave a little space before what follows but never sets it over the run.
 */
function advanceOf(run: Run, size: number): number {
  if (run.font !== 'F1' || !/^[\x20-\x7E]*$/.test(run.text)) return widthOf(run, size)
  let thousandths = 0
  for (let i = 0; i < run.text.length; i++) thousandths += HELVETICA_ASCII[run.text.charCodeAt(i) - 0x20]!
  // to a thousandth of a point, as a PDF number is best written (no 38.510999999999996)
  return Math.round(thousandths * size) / 1000
}

/**
 * A name as entered (a person's, an organisation's, an item's): in the Chinese font, unless it is
 * written in Latin letters the Chinese font lacks (José Müller) and Helvetica has.
 */
function nameRun(text: string): Run {
  const cjkSets = Array.from(text).every(ch => cjkCode(ch.codePointAt(0)!) !== GETA)
  return !cjkSets && isWinAnsiText(text) ? latin(text) : cjk(text)
}

/**
 * A field as "中文标签：值  English label: value" on one line (Chinese first); `value` is one for
 * both halves (a number, a code), or one per language (a day, a status).
 */
function field(zhLabel: string, enLabel: string, value: string | { zh: string, en: string }): Line {
  const [zhValue, enValue] = typeof value === 'string' ? [null, value] : [value.zh, value.en]
  return { size: 11, runs: [cjk(zhValue === null ? `${zhLabel}  ` : `${zhLabel}：${zhValue}  `), latin(`${enLabel}: ${enValue}`)] }
}

/** A day in both languages: 2026年3月2日 and 2 March 2026. */
const day = (iso: string) => ({ zh: dayText(iso, 'zh'), en: dayText(iso, 'en') })

function contentLines(c: PdfContent): Line[] {
  const [f, fEn] = [zh.result.fields, en.result.fields]
  const organization = c.holderKind === 'organization'
  const lines: (Line | null)[] = [
    { size: 18, runs: [cjk(zh.result.certificate.issuer)] },
    { size: 14, runs: [latin(en.result.certificate.issuer, true)] },
    { size: 16, runs: [cjk(`${zh.result.certificate.heading}  `), latin(en.result.certificate.heading, true)], gap: 16 },
    c.resultName ? { size: 14, runs: [cjk(`${f.resultName}：`), nameRun(c.resultName)] } : null,
    c.resultName && c.resultNameEn ? { size: 14, runs: [latin(`${fEn.resultName}: ${c.resultNameEn}`)] } : null,
    field(f.number, fEn.number, c.number),
    field(f.code, fEn.code, c.code),
    { size: 11, runs: [cjk(`${f.service}：`), nameRun(c.serviceName)] },
    { size: 11, runs: [latin(`${fEn.service}: ${c.serviceCode} ${c.serviceNameEn}`)] },
    { size: 11, runs: [cjk(`${f.department}：`), nameRun(c.departmentName)] },
    { size: 11, runs: [latin(`${fEn.department}: ${c.departmentNameEn}`)] },
    field(f.caseNo, fEn.caseNo, c.caseNo),
    { size: 11, runs: [cjk(`${organization ? f.holderOrganization : f.holder}：`), nameRun(c.holderName)] },
    // the name as written, in the Chinese font where it is Chinese: it has no English form
    { size: 11, runs: [latin(`${organization ? fEn.holderOrganization : fEn.holder}: `), nameRun(c.holderName)] },
    field(organization ? f.uscc : f.idNumber, organization ? fEn.uscc : fEn.idNumber, c.holderIdNumberMasked),
    field(f.issuedAt, fEn.issuedAt, day(c.issuedDate)),
    field(f.validUntil, fEn.validUntil, c.validUntil ? day(c.validUntil) : { zh: f.noExpiry, en: fEn.noExpiry }),
    field(zh.result.certificate.statusWhenPrinted, en.result.certificate.statusWhenPrinted, c.superseded && c.status === 'revoked'
      ? { zh: zh.result.superseded.status, en: en.result.superseded.status }
      : { zh: zh.result.status[c.status], en: en.result.status[c.status] }),
    { size: 11, runs: [cjk(zh.result.certificate.qrHint)] },
    { size: 11, runs: [latin(en.result.certificate.qrHint)] },
    { size: 10, runs: [latin(c.verifyUrl)] },
  ]
  return lines.filter((l): l is Line => l !== null).flatMap(wrapped)
}

const LEFT = 56
/** The text column: A4's 595 points less a margin of 56 on each side. */
const COLUMN = 595 - 2 * LEFT

/**
 * The first characters of `text` that fit in `width` for `font`, breaking Latin text after a space
 * where one is near (Chinese breaks between any two characters), and the rest.
 */
function fitting(font: Run['font'], text: string, size: number, width: number): [string, string] {
  const chars = Array.from(text)
  let n = 0
  while (n < chars.length && widthOf({ font, text: chars.slice(0, n + 1).join('') }, size) <= width) n++
  if (n === chars.length) return [text, '']
  const space = chars.lastIndexOf(' ', n)
  if (font !== 'F3' && space > n / 2) n = space + 1
  return [chars.slice(0, Math.max(n, 1)).join('').trimEnd(), chars.slice(Math.max(n, 1)).join('')]
}

/**
 * A line whose last run (a long item name, a 100-character organisation) would run past the
 * right margin, as that line and continuation lines indented to where the run started.
 */
function wrapped(line: Line): Line[] {
  const head = line.runs.slice(0, -1)
  const last = line.runs.at(-1)!
  const start = (line.indent ?? 0) + head.reduce((x, r) => x + advanceOf(r, line.size), 0)
  const [first, rest] = fitting(last.font, last.text, line.size, COLUMN - start)
  if (!rest) return [line]
  return [{ ...line, runs: [...head, { font: last.font, text: first }], gap: 4 }, ...wrapped({ size: line.size, runs: [{ font: last.font, text: rest }], gap: line.gap, indent: start })]
}

/** The text operators of the page, and the height left under them for the QR code. */
function textBlock(c: PdfContent): { ops: string, bottom: number } {
  let y = 790
  const ops = contentLines(c).map(({ size, runs, gap, indent }) => {
    // each run starts where the previous one ended (Td moves from the previous run's start, advanceOf)
    let dx = 0
    const parts = runs.map((run, i) => {
      const text = run.font === 'F3' ? cjkHex(run.text) : `(${pdfText(run.text)})`
      const op = `/${run.font} ${size} Tf ${i === 0 ? `${LEFT + (indent ?? 0)} ${y}` : `${dx} 0`} Td ${text} Tj`
      dx = advanceOf(run, size)
      return op
    })
    y -= size + (gap ?? 10)
    return `BT ${parts.join(' ')} ET`
  }).join('\n')
  return { ops, bottom: y }
}

/**
 * The Chinese font: STSong-Light, not embedded (see the top of this file). The ToUnicode map is
 * the identity on UCS-2, in ranges of 256 codes as a bfrange may not cross a first byte.
 */
function cjkFontObjects(first: number): string[] {
  const ranges = Array.from({ length: 256 }, (_, hi) => {
    const h = hi.toString(16).toUpperCase().padStart(2, '0')
    return `<${h}00> <${h}FF> <${h}00>`
  })
  const blocks: string[] = []
  for (let i = 0; i < ranges.length; i += 100) {
    const block = ranges.slice(i, i + 100)
    blocks.push(`${block.length} beginbfrange\n${block.join('\n')}\nendbfrange`)
  }
  const cmap = `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n`
    + `/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${blocks.join('\n')}\n`
    + `endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n`
  return [
    `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [${first + 1} 0 R] /ToUnicode ${first + 3} 0 R >>`,
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor ${first + 2} 0 R /DW 1000 /W [1 95 500] >>`,
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
    `<< /Length ${cmap.length} >>\nstream\n${cmap}endstream`,
  ]
}

/** The QR code: one `re` per dark run, filled once; y grows upwards in PDF, so rows are flipped. */
function qrDrawing(url: string, left: number, top: number, side: number): string {
  const { size, runs } = qrMatrix(url)
  const unit = side / size
  const f = (n: number) => Number(n.toFixed(3)).toString()
  const rects = runs.map(([r, c, len]) => `${f(left + c * unit)} ${f(top - (r + 1) * unit)} ${f(len * unit)} ${f(unit)} re`)
  return `q 1 1 1 rg ${left} ${top - side} ${side} ${side} re f 0 0 0 rg\n${rects.join('\n')}\nf Q`
}

/** A one-page A4 PDF of the e-licence with its verification QR code. */
export function renderResultPdf(c: PdfContent, createdAt = new Date()): Buffer {
  const { ops, bottom } = textBlock(c)
  const content = `${ops}\n${qrDrawing(c.verifyUrl, LEFT, bottom, 170)}\n`
  const stamp = createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R /F3 8 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
    `<< /Title ${cjkHex(`\uFEFF${zh.result.certificate.heading} ${c.number}`)} /Producer (Shenzhen online government services portal) /CreationDate (D:${stamp}Z) >>`,
    ...cjkFontObjects(8),
  ]
  // a binary comment on line 2 tells transfer tools the file is binary
  let out = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'))
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(out, 'latin1')
  // each cross-reference entry is exactly 20 bytes, as the PDF specification requires
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  out += offsets.map(o => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
