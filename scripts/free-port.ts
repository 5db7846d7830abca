import { createServer } from 'node:net'

/**
 * A loopback port below Linux's ephemeral range (32768–60999), free when asked, for a server this
 * process starts (the tests', the benchmark's). The kernel's own choice (listen on port 0) comes
 * from that range, where the outgoing connections of clients and browsers running meanwhile take
 * their ports too: one could take it in the seconds before the server bound it, and the server
 * exited with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
}
