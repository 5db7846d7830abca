/** What a service refused with, for tests that check the refusal a clerk or applicant is given. */
import { CaseError } from '../../server/services/case-errors'

/** The CaseError `fn` throws; any other error is rethrown, and no error at all fails the test. */
export function failure(fn: () => unknown): CaseError {
  try {
    fn()
  }
  catch (e) {
    if (e instanceof CaseError) return e
    throw e
  }
  throw new Error('expected a CaseError')
}
