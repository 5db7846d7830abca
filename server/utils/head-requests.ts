import type { H3Event } from 'h3'

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
 * nothing. Refusals are audited whatever the method.
 */
export function answersHeadersOnly(event: H3Event): boolean {
  return event.context.headersOnly === true
}
