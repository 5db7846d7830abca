/**
 * The e-licence as a PDF and its QR code. No PDF library is installed, so this writes a small,
 * valid PDF 1.4 by hand: one A4 page, the standard Helvetica fonts (ASCII text only: the
 * printable HTML page carries the Chinese text), and the QR code drawn as filled rectangles from
 * the modules `qrcode.create` computes, so a phone can scan it straight from the paper.
 */
import QRCode from 'qrcode'

/** Modules of quiet zone around the symbol, as ISO/IEC 18004 asks for. */
const QUIET = 4

export interface QrMatrix {
  /** modules per side, quiet zone included */
  size: number
  /** one SVG path of unit squares (horizontal runs merged), in module units */
  path: string
  /** the dark runs: [row, column, length], quiet zone included */
  runs: [number, number, number][]
}

/** The QR code of `text` (error correction M) as runs of dark modules. */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = modules.size
  const runs: [number, number, number][] = []
  for (let row = 0; row < n; row++) {
    let col = 0
    while (col < n) {
      if (!modules.data[row * n + col]) {
        col++
        continue
      }
      const start = col
      while (col < n && modules.data[row * n + col]) col++
      runs.push([row + QUIET, start + QUIET, col - start])
    }
  }
  const path = runs.map(([r, c, len]) => `M${c} ${r}h${len}v1h-${len}z`).join('')
  return { size: n + 2 * QUIET, path, runs }
}

/** A standalone SVG document of the QR code, black on white, `px` pixels wide. */
export function qrSvg(text: string, px = 240): string {
  const { size, path } = qrMatrix(text)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img">`
    + `<title>${escapeXml(text)}</title><rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>\n`
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export interface PdfContent {
  code: string
  number: string
  caseNo: string
  serviceCode: string
  serviceNameEn: string
  holderIdNumberMasked: string
  /** an organisation's licence carries its unified social credit code where a person's has the ID number */
  holderKind: 'person' | 'organization'
  issuedDate: string
  validUntil: string | null
  status: string
  verifyUrl: string
}

/** PDF strings are bytes: keep printable ASCII and escape the three characters the syntax uses. */
function pdfText(s: string): string {
  return s.replace(/[^\x20-\x7E]/g, '?').replace(/[\\()]/g, m => `\\${m}`)
}

function textLines(c: PdfContent): string {
  const lines: [string, number, string][] = [
    ['F2', 18, 'Shenzhen Online Government Services'],
    ['F2', 14, 'Electronic Result (E-Licence)'],
    ['F1', 11, `Certificate number: ${c.number}`],
    ['F1', 11, `Verification code: ${c.code}`],
    ['F1', 11, `Service: ${c.serviceCode} ${c.serviceNameEn}`],
    ['F1', 11, `Case number: ${c.caseNo}`],
    ['F1', 11, `${c.holderKind === 'organization' ? 'Holder unified social credit code' : 'Holder ID number'}: ${c.holderIdNumberMasked}`],
    ['F1', 11, `Issued on: ${c.issuedDate}`],
    ['F1', 11, `Valid until: ${c.validUntil ?? 'no expiry'}`],
    ['F1', 11, `Status when printed: ${c.status}`],
    ['F1', 11, 'Verify the authenticity and current status at:'],
    ['F1', 10, c.verifyUrl],
  ]
  let y = 780
  return lines.map(([font, size, text]) => {
    const op = `BT /${font} ${size} Tf 56 ${y} Td (${pdfText(text)}) Tj ET`
    y -= size + 12
    return op
  }).join('\n')
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
  const content = `${textLines(c)}\n${qrDrawing(c.verifyUrl, 56, 470, 170)}\n`
  const stamp = createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
    `<< /Title (${pdfText(`E-licence ${c.number}`)}) /Producer (Shenzhen online government services portal) /CreationDate (D:${stamp}Z) >>`,
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
