import type { TLSSocket } from 'node:tls'
import type { H3Event } from 'h3'
import { fromTrustedProxy } from './client-address'

/** Reached over HTTPS: directly (TLS socket) or behind a trusted proxy that says so. */
export function isHttps(event: H3Event): boolean {
  if ((event.node.req.socket as TLSSocket).encrypted) return true
  return fromTrustedProxy(event) && getRequestHeader(event, 'x-forwarded-proto') === 'https'
}
