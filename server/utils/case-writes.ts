import { httpErrorInfo } from '../services/case-errors'

/**
 * A write of the case services through the group commit, a CaseError it throws (the services are
 * free of h3: services/case-errors.ts) answered as the HTTP error it stands for; any other error
 * stays a 500.
 */
export async function caseWrite<T>(write: () => T): Promise<T> {
  try {
    return await inGroupCommit(write)
  }
  catch (e) {
    const info = httpErrorInfo(e)
    throw info ? createError(info) : e
  }
}
