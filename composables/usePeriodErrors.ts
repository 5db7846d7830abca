/**
 * The period filter's errors on the report pages (online rate, satisfaction, supervision). Each
 * API compares the period after filling in its defaults, the end today and the start twelve months
 * before the end (server/services/report-period.ts), so a lone start after today came back as "start after end" beside an end
 * date left empty (the satisfaction report even pinned it on that empty field).
 */
import type { Ref } from 'vue'
import { caseStatusCode } from './useCase'
import { fieldErrorsOfFetch } from './useResult'

/** A period the wrong way round, as the online-rate report says it and as the other two do. */
const RANGE_MESSAGES = new Set(['report.errors.fromAfterTo', 'validation.query.range'])

export interface GivenPeriod { from?: string, to?: string }

/**
 * The server's field errors, a wrong period said for the dates the person gave: a lone start is
 * after today (a lone end is never refused: the period counts back from it), both given the wrong
 * way round is "start after end".
 */
export function periodFieldErrors(fieldErrors: Record<string, string>, given: GivenPeriod): Record<string, string> {
  const said: Record<string, string> = {}
  for (const [field, message] of Object.entries(fieldErrors)) {
    if (!RANGE_MESSAGES.has(message)) said[field] = message
    else if (given.from && !given.to) said.from = 'report.errors.fromAfterToday'
    else said[field] = 'report.errors.fromAfterTo'
  }
  return said
}

/**
 * The errors a report page's filter shows for its fetch's 400 (a 400 without field errors as a
 * failed load, so the filter says something); undefined for any other outcome, which the page says.
 */
export function usePeriodErrors(error: Readonly<Ref<unknown>>, given: Readonly<Ref<GivenPeriod>>) {
  return computed(() => {
    if (caseStatusCode(error.value) !== 400) return undefined
    const fieldErrors = fieldErrorsOfFetch(error.value)
    return fieldErrors ? periodFieldErrors(fieldErrors, given.value) : { _: 'report.errors.load' }
  })
}
