/**
 * What every route of a case reads the same way: the case number of its address, and the comment
 * or reason an action carries (the applicant reads it, in their messages and by SMS).
 */
import { z } from 'zod'
import { parseCaseNo } from '../../shared/utils/case-number'
import { hiddenCharsIn } from '../../shared/utils/validators'
import { MAX_COMMENT } from '../../shared/utils/workflow'

/** `/api/cases/:caseNo/...`: a case number of the portal's shape (parseCaseNo), else 400. */
export const caseNoParam = z.string().refine(s => parseCaseNo(s) !== null)

export const CaseParams = z.object({ caseNo: caseNoParam })

/**
 * A comment as sent: line breaks yes, control characters and characters that make it read
 * otherwise than it shows (a reversed account number) no. Judged trimmed, as the services keep it
 * and as the pages check it (commentProblem), so a blank comment is no comment, not an invisible
 * one. The services judge whether one is required and its length, MAX_COMMENT; the bound here
 * only keeps a body of megabytes from being read further.
 */
export const caseCommentSchema = z.string({ error: 'validation.invalidType' }).max(MAX_COMMENT * 2, 'validation.tooLong')
  .refine(s => !hiddenCharsIn(s.trim(), true), 'validation.controlChars')
