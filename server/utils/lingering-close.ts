import type { Socket } from 'node:net'
import type { H3Event } from 'h3'

/** How long a connection answered before its request's end stays open for the client to read the answer. */
export const LINGER_MS = 2000

/**
 * Makes Node close `socket` the way RFC 9112 §9.6 asks of a server that answers before the
 * request's end (a 413 in the middle of a body): the answer goes out, then the write side's close,
 * but the connection stays up for LINGER_MS before it is destroyed. Destroyed at once (Node's way
 * after `Connection: close`) while the client's bytes still arrive, the connection is reset by the
 * kernel, and the reset often reached the client before the answer did: it saw a broken pipe
 * instead of the refusal (3 tries in 5 on this machine). The timer does not hold the process up.
 */
function lingerAfterAnswer(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.writable) this.end()
    const timer = setTimeout(() => this.destroy(), LINGER_MS).unref()
    this.once('close', () => clearTimeout(timer))
  }
}

/**
 * For a refusal answered before the request's body has all arrived: the answer says
 * `Connection: close` and the connection closes lingering, rather than kept alive. Kept alive, Node
 * reads the rest of the body to reach the next request (a whole upload read for nothing), or, when
 * the reading was paused at a limit, leaves the connection waiting until its keep-alive timeout
 * resets it. Nothing to do when the body was read to its end.
 */
export function closeUnreadRequest(event: H3Event): void {
  if (event.node.req.complete) return
  setResponseHeader(event, 'connection', 'close')
  lingerAfterAnswer(event.node.req.socket)
}
