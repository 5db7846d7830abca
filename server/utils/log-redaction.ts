/** What may reach a log line: ID and mobile numbers masked, and the line kept short. */
import { maskPersonalNumbers } from '../../shared/utils/mask'

/**
 * Masks ID and mobile numbers (maskPersonalNumbers, shared/utils/mask.ts) and keeps a line to `max`
 * characters. The line is folded to NFKC first (full-width `４４０３０５…` to ASCII), which a log
 * reader does not mind; maskPersonalNumbers itself matches such digits without folding the rest.
 */
export function redactForLog(text: string, max = 300): string {
  const masked = maskPersonalNumbers(text.normalize('NFKC'))
  return Array.from(masked).slice(0, max).join('')
}
