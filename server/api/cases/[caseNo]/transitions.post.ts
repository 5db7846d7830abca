import { z } from 'zod'
import { applyTransition } from '../../../services/transitions'

const listOf = (max: number) => z.array(z.string().min(1).max(200), { error: 'validation.invalidType' }).max(max, 'validation.tooMany')

const Body = z.strictObject({
  action: z.enum(ACTIONS, { error: 'validation.option' }),
  // the reason, which reaches the applicant's messages and SMS
  comment: caseCommentSchema.nullish(),
  version: z.number({ error: 'validation.number' }).int('validation.number').min(1, 'validation.number'),
  // return: the one-time notice's items, and the working days given to correct (1 to MAX_CORRECTION_DAYS, judged with the action)
  supplement: z.strictObject({
    fields: listOf(200).default([]),
    materials: listOf(100).default([]),
    days: z.number({ error: 'validation.number' }).int('validation.number').optional(),
  }, { error: 'validation.invalidType' }).optional(),
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }).optional(),
  // extend: 1 to MAX_EXTENSION_DAYS, judged with the action (services/transitions.ts)
  days: z.number({ error: 'validation.number' }).int('validation.number').optional(),
  // suspend: why, and the days it is expected to need (行政许可法 第四十五条: told in writing)
  suspension: z.strictObject({
    kind: z.enum(SUSPENSION_KINDS, { error: 'validation.option' }),
    expectedDays: z.number({ error: 'validation.number' }).int('validation.number')
      .min(1, 'case.errors.suspensionDays').max(MAX_SUSPENSION_DAYS, 'case.errors.suspensionDays'),
  }, { error: 'validation.invalidType' }).optional(),
}, { error: 'validation.invalidType' })

/** Moves a case along the workflow: 200 the case; 409 stale or not allowed now; 400 without a needed reason (or an extension's days). */
export default defineApiHandler(['citizen', 'clerk'], async (event, user) => {
  const { caseNo } = parseParams(event, CaseParams)
  const body = await parseBody(event, Body)
  return caseWrite(() => applyTransition(useConnection(), { caseNo, ...body, user, ip: clientIp(event) }))
})
