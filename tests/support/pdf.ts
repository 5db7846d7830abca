/** Reading the portal's own PDFs (server/services/result-pdf.ts) as a reader shows them. */

/** The page's lines: each BT … ET block, its Chinese runs decoded (UCS-2 hex) and its Helvetica runs unescaped, joined. */
export function pdfLines(pdf: Buffer | string): string[] {
  const text = typeof pdf === 'string' ? pdf : pdf.toString('latin1')
  return [...text.matchAll(/BT (.*?) ET/g)].map(([, ops]) => [...ops!.matchAll(/<([0-9A-F]+)> Tj|\(((?:\\.|[^\\)])*)\) Tj/g)]
    .map(([, hex, latin]) => hex !== undefined
      ? String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map(h => Number.parseInt(h, 16)))
      : latin!.replace(/\\(.)/g, '$1'))
    .join(''))
}
