import type { TLSSocket } from 'node:tls'
import type { H3Event } from 'h3'

/** Reached over HTTPS: directly (TLS socket) or behind a trusted proxy that says so. */
export function isHttps(event: H3Event): boolean {
  if ((event.node.req.socket as TLSSocket).encrypted) return true
  return process.env.TRUST_PROXY === '1' && getRequestHeader(event, 'x-forwarded-proto') === 'https'
}
