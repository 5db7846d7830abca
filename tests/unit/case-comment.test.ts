/**
 * A case action's comment is judged alike by the page before sending (commentProblem) and by the
 * server after (the routes' caseCommentSchema, then the services' commentProblem): the clerk's note,
 * the reason of a refusal, of an extension request and of a declined one.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { commentProblem } from '../../shared/utils/case-comment'
import { MAX_COMMENT } from '../../shared/utils/workflow'
import { caseCommentSchema } from '../../server/utils/case-input'

/** The server's verdict: the route's schema first (400 before the service runs), then the service's. */
function serverVerdict(text: string, required: boolean): string | undefined {
  const wire = caseCommentSchema.safeParse(text)
  if (!wire.success) return wire.error.issues[0]!.message
  return commentProblem(text, required)
}

describe('a comment on a case action', () => {
  it('is nothing when blank, and missing only where a reason is required', () => {
    expect(commentProblem('  \n ', false)).toBeUndefined()
    expect(commentProblem(undefined, false)).toBeUndefined()
    expect(commentProblem('  \n ', true)).toBe('validation.required')
    // blanks are trimmed away, not taken for invisible characters (the route used to say so)
    expect(serverVerdict('   ', false)).toBeUndefined()
    expect(serverVerdict('   ', true)).toBe('validation.required')
  })

  it('keeps line breaks but refuses characters that make it read otherwise than it shows', () => {
    expect(commentProblem('材料不全：\n1. 身份证复印件', true)).toBeUndefined()
    expect(commentProblem('退款账户 6222\u202E0001', true)).toBe('validation.controlChars')
    expect(commentProblem('请于\u200B五日内补正', false)).toBe('validation.controlChars')
    expect(commentProblem('响铃\u0007', false)).toBe('validation.controlChars')
  })

  it('counts characters as a person does, not UTF-16 units', () => {
    expect(commentProblem('办'.repeat(MAX_COMMENT), true)).toBeUndefined()
    expect(commentProblem('办'.repeat(MAX_COMMENT + 1), true)).toBe('validation.tooLong')
    // 𠀀 (U+20000) is one character in two UTF-16 units
    expect(commentProblem('𠀀'.repeat(MAX_COMMENT), true)).toBeUndefined()
  })

  it('gets the same verdict from the page as from the server, for any text the page lets a person type', () => {
    const piece = fc.constantFrom('办', '件', 'a', ' ', '\n', '\t', '\u202E', '\u200B', '\u0007', '𠀀', '。')
    // the text areas stop at MAX_COMMENT UTF-16 units (maxlength counts those)
    const typed = fc.array(piece, { maxLength: MAX_COMMENT }).map(parts => parts.join('')).filter(s => s.length <= MAX_COMMENT)
    fc.assert(fc.property(typed, fc.boolean(), (text, required) => {
      expect(commentProblem(text, required)).toBe(serverVerdict(text, required))
    }), { numRuns: 500 })
  })
})
