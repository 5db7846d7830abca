import type { TLSSocket } from 'node:tls'
import type { H3Event } from 'h3'
import { fromTrustedProxy, inProcessClient } from './client-address'

/** Reached over HTTPS: directly (TLS socket), behind a trusted proxy that says so, or for a page that was. */
export function isHttps(event: H3Event): boolean {
  if ((event.node.req.socket as TLSSocket).encrypted) return true
  const inProcess = inProcessClient(event)
  if (inProcess) return inProcess.https
  return fromTrustedProxy(event) && getRequestHeader(event, 'x-forwarded-proto') === 'https'
}
