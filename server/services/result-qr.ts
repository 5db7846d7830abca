/**
 * The QR code of an e-licence's verification address, by the `qrcode` library: as runs of dark
 * modules (the PDF draws them, the result page too) and as a standalone SVG to download.
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
