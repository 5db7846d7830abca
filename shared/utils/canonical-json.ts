/**
 * JSON with every object's keys in sorted order, so that two values that differ only in key order
 * give the same text (a form that only reordered its keys is not a new version; a retried request
 * whose client rebuilt its body is the same request).
 */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`
  return JSON.stringify(v)
}
