/**
 * A comment or reason on a case's action, judged the same way by the case pages before they send
 * it and by the services after (the route's caseCommentSchema has refused hidden characters
 * already; here they are judged again for the pages, in the same order).
 */
import { hiddenCharsIn } from './validators'
import { MAX_COMMENT } from './workflow'

/**
 * The message key of what is wrong with `text` as it will be kept (trimmed: blank is no comment),
 * or undefined: hidden characters, then more than MAX_COMMENT characters, then missing when
 * `required` (a reason the applicant must be given).
 */
export function commentProblem(text: string | null | undefined, required: boolean): string | undefined {
  const kept = text?.trim() ?? ''
  if (!kept) return required ? 'validation.required' : undefined
  if (hiddenCharsIn(kept, true)) return 'validation.controlChars'
  return Array.from(kept).length > MAX_COMMENT ? 'validation.tooLong' : undefined
}
