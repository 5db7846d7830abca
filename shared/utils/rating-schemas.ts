/**
 * The input schemas of ratings (好差评) and rectification answers: one zod schema that the
 * browser's form (vee-validate) and the API handler both use, so they never disagree. Messages are
 * i18n keys.
 */
import { z } from 'zod'
import { hiddenCharsIn } from './validators'

/** The online indicators of the national 好差评 system, each scored 1..5 like the overall score. */
export const RATING_INDICATORS = ['satisfaction', 'efficiency', 'guideAccuracy', 'convenience', 'easeOfUse'] as const
export type RatingIndicator = typeof RATING_INDICATORS[number]

export const RATING_COMMENT_MAX = 500
export const RECTIFICATION_ANSWER_MAX = 2000

const chars = (s: string) => Array.from(s).length

const typeError = (iss: { input?: unknown }) => iss.input === undefined || iss.input === null ? 'validation.required' : 'validation.invalidType'

/** A whole score from 1 (very dissatisfied) to 5 (very satisfied). */
export const scoreSchema = z.number({ error: typeError }).int('result.validation.score').min(1, 'result.validation.score').max(5, 'result.validation.score')

/**
 * Free text of at most `max` characters as people count them, without control characters, a
 * lone half of a surrogate pair (which SQLite would store as invalid UTF-8) or the invisible
 * characters that make a text read otherwise than it shows (hiddenCharsIn); tabs, line feeds and emoji pass.
 */
export function textSchema(max: number) {
  return z.string({ error: typeError }).trim()
    .refine(v => chars(v) <= max, 'validation.tooLong')
    .refine(v => !hiddenCharsIn(v, true), 'validation.controlChars')
}

export const ratingInputSchema = z.strictObject({
  score: scoreSchema,
  // null as well as left out: the contract's `comment?`, which JSON clients often send as null
  comment: textSchema(RATING_COMMENT_MAX).nullish(),
  indicators: z.strictObject(Object.fromEntries(RATING_INDICATORS.map(k => [k, scoreSchema.optional()])) as Record<RatingIndicator, z.ZodOptional<typeof scoreSchema>>, { error: 'validation.invalidType' }).optional(),
}, { error: 'validation.invalidType' })
export type RatingInput = z.output<typeof ratingInputSchema>

export const rectificationAnswerSchema = z.strictObject({
  answer: textSchema(RECTIFICATION_ANSWER_MAX).refine(v => v.length > 0, 'validation.required'),
}, { error: 'validation.invalidType' })

export const revokeInputSchema = z.strictObject({
  reason: textSchema(500).refine(v => v.length > 0, 'validation.required'),
}, { error: 'validation.invalidType' })
