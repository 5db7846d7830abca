/**
 * Errors of the case services, free of h3 so the services run in plain vitest. Handlers turn
 * them into HTTP errors with `httpErrorInfo` (status, message, data.fieldErrors).
 */
export class CaseError extends Error {
  constructor(readonly statusCode: 400 | 403 | 404 | 409 | 413, message: string, readonly data?: { fieldErrors?: Record<string, string> } & Record<string, unknown>) {
    super(message)
    this.name = 'CaseError'
  }
}

export const caseNotFound = () => new CaseError(404, 'Not found')

/** The case moved on since the caller read it at another version. */
export const caseChanged = (row: { version: number, status: string }) =>
  new CaseError(409, 'The case has changed since you loaded it: reload and try again', { currentVersion: row.version, status: row.status })

/** 回避: the staff member is the case's applicant (server/services/recusal.ts). */
export const ownCaseRecusal = () =>
  new CaseError(403, 'Recusal (回避): you are the applicant of this case, which another clerk of the department handles', { reason: 'ownCase' })

export const caseInvalid = (fieldErrors: Record<string, string>, message = 'The request has invalid fields') =>
  new CaseError(400, message, { fieldErrors })

/** The HTTP shape of a CaseError, or null for any other error (which then stays a 500). */
export function httpErrorInfo(e: unknown): { statusCode: number, message: string, data?: Record<string, unknown> } | null {
  if (!(e instanceof CaseError)) return null
  return { statusCode: e.statusCode, message: e.message, data: e.data }
}
