/**
 * Small but genuine sample files for upload tests: each starts with its format's magic bytes.
 */

/** A one-page PDF. */
export const samplePdf = Buffer.from(`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`, 'latin1')

/** A 1×1 transparent PNG. */
export const samplePng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')

/** The start of a JPEG (SOI + JFIF APP0 + EOI): enough for a content check. */
export const sampleJpeg = Buffer.from([
  0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
])

/** HTML pretending to be something else. */
export const sampleHtml = Buffer.from('<!doctype html><script>alert(1)</script>', 'utf8')

/** A multipart body with one part `file` (or another field name), for upload requests. */
export function fileForm(bytes: Uint8Array, name: string, field = 'file', type = 'application/octet-stream'): FormData {
  const form = new FormData()
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), name)
  return form
}
