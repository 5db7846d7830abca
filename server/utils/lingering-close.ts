import type { Socket } from 'node:net'

/** How long a connection answered before its request's end stays open for the client to read the answer. */
export const LINGER_MS = 2000

/**
 * Makes Node close `socket` the way RFC 9112 §9.6 asks of a server that answers before the
 * request's end (a 413 in the middle of a body): the answer goes out, then the write side's close,
 * but the connection stays up, unread, for LINGER_MS before it is destroyed. Destroyed at once
 * (Node's way after `Connection: close`) while the client's bytes still arrive, the connection is
 * reset by the kernel, and the reset often reached the client before the answer did: it saw a
 * broken pipe instead of the refusal (3 tries in 5 on this machine). Nothing more is read meanwhile.
 */
export function lingerAfterAnswer(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.writable) this.end()
    const timer = setTimeout(() => this.destroy(), LINGER_MS)
    this.once('close', () => clearTimeout(timer))
  }
}
