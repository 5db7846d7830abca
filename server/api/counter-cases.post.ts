import type { H3Event } from 'h3'
import { z } from 'zod'
import { checkedApplicant, receiveCounterCaseOnce } from '../services/counter'

// The applicant block is checked by receiveCounterCase (checkedApplicant) together with the
// answers, so that one refusal lists the errors of both; a body refused here also lists the
// block's, by the same check. The paper materials are strings here; that they are the guide's,
// each once, is the service's check (paperMaterialsSchema), with the item's guide at hand.
const Body = z.strictObject({
  serviceCode: chosenServiceCodeSchema,
  applicant: z.unknown(),
  answers: z.record(z.string(), z.unknown(), { error: 'validation.invalidType' }).default({}),
  // a guide lists a few dozen materials at most
  paperMaterials: z.array(z.string().max(200), { error: 'validation.invalidType' }).max(100).default([]),
}, { error: 'validation.invalidType' })

/** The body, or a 400 listing its field errors and the applicant block's. */
async function readIntake(event: H3Event) {
  const raw: unknown = await readBody(event).catch(() => {
    throw createError({ statusCode: 400, message: 'The body is not valid JSON' })
  })
  const result = Body.safeParse(raw ?? {})
  if (result.success) return result.data
  const block = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.hasOwn(raw, 'applicant')
    ? (raw as Record<string, unknown>).applicant
    : undefined
  throw validationError({ ...checkedApplicant(block).errors, ...fieldErrorsOf(result.error) })
}

/** What the counter page sends as Idempotency-Key: 16 to 64 letters, digits, '-' and '_' (a random hex string). */
const IDEMPOTENCY_KEY = /^[\w-]{16,64}$/

/**
 * Counter intake (窗口收件) by a clerk, for an item of their own department: 201 with the case
 * number, the day received, the deadline, the item and its department, and the paper materials
 * recorded (what the page's notice and receipt tell). File fields are not required here: paper
 * materials are checked at the counter and ticked in `paperMaterials`. With an `Idempotency-Key`
 * header, a repeat of the same intake (its answer was lost) answers 200 with the case already
 * made; the same key with other details 409 naming that case.
 */
export default defineApiHandler(['clerk'], async (event, user) => {
  const key = getRequestHeader(event, 'idempotency-key') ?? null
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) throw validationError({ idempotencyKey: 'validation.idempotencyKey' })
  const body = await readIntake(event)
  const created = await caseWrite(() => receiveCounterCaseOnce(useConnection(), { ...body, clerk: user, ip: clientIp(event) }, key))
  setResponseStatus(event, created.replayed ? 200 : 201)
  const { caseNo, channel, receivedDate, deadline, serviceName, serviceNameEn, department, paperMaterials } = created
  return { caseNo, channel, receivedDate, deadline, serviceName, serviceNameEn, department, paperMaterials }
})
