import type { H3Event } from 'h3'
import { inProcessClient } from './client-address'

declare module 'h3' {
  interface H3EventContext {
    /** a HEAD request answered as GET (server/plugins/head-requests.ts): no body leaves the server */
    headersOnly?: boolean
  }
}

/**
 * Whether this answer carries headers only (HEAD). Reads audited for the personal data they show
 * (a case, a document, an e-licence, the profile's prefill, the audit log) write no row then:
 * nothing was shown, and a person's record of who read their data must not list a read that showed
 * nothing. Refusals are audited whatever the method. A page asked with HEAD is rendered all the
 * same, and the reads its render makes in-process are told so (server/plugins/render-client.ts).
 */
export function answersHeadersOnly(event: H3Event): boolean {
  return event.context.headersOnly === true || inProcessClient(event)?.headersOnly === true
}

/** The method the client used, for audit rows and logs: HEAD, though the API answers it as GET. */
export function requestMethod(event: H3Event): string {
  return event.context.headersOnly === true ? 'HEAD' : event.method
}
