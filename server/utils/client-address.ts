import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net'
import type { H3Event } from 'h3'

/**
 * The peers whose X-Forwarded-* headers are believed, from TRUST_PROXY: `1` is a reverse proxy on
 * this machine (a loopback peer: 127.0.0.0/8, ::1); otherwise a comma-separated list of addresses
 * and CIDR ranges (`10.0.0.5, 10.1.0.0/16, fd00::/8`). Empty or unset: none. Only a connection
 * from one of them may say where a request came from; a client that reaches the port directly
 * would otherwise choose its own address (and so its per-address budgets) with every header.
 * A malformed entry throws, naming it: the server must not start half-trusting.
 */
export function trustedProxies(value: string | undefined): BlockList | null {
  const entries = (value ?? '').split(',').map(s => s.trim()).filter(Boolean)
  if (!entries.length || (entries.length === 1 && entries[0] === '0')) return null
  const list = new BlockList()
  for (const entry of entries.length === 1 && entries[0] === '1' ? ['127.0.0.0/8', '::1'] : entries) {
    const [address = '', prefix, ...extra] = entry.split('/')
    const family = isIP(address)
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN
    if (!family || extra.length || (bits !== null && !(bits <= (family === 4 ? 32 : 128)))) {
      throw new Error(`TRUST_PROXY: "${entry}" is not an address or a CIDR range (e.g. 10.0.0.5, 10.1.0.0/16, fd00::/8; or 1 for a proxy on this machine)`)
    }
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (bits === null) list.addAddress(address, type)
    else list.addSubnet(address, bits, type)
  }
  return list
}

/** Whether the connection's peer is one of the trusted proxies. */
export function isTrustedPeer(peer: string | undefined, proxies: BlockList | null): boolean {
  if (!proxies || !peer) return false
  const family = isIP(peer)
  return family !== 0 && proxies.check(peer, family === 4 ? 'ipv4' : 'ipv6')
}

let parsed: { value: string | undefined, proxies: BlockList | null } | undefined

/** Whether this request reached the portal through a trusted proxy, whose X-Forwarded-* headers then hold. */
export function fromTrustedProxy(event: H3Event): boolean {
  const value = process.env.TRUST_PROXY
  if (!parsed || parsed.value !== value) parsed = { value, proxies: trustedProxies(value) }
  return isTrustedPeer(event.node.req.socket.remoteAddress, parsed.proxies)
}

/** What the portal made of a request's client: its address, and whether it came over HTTPS. */
export interface RequestClient { ip: string, https: boolean }

/** The header a page's request hands its client on in, to the API requests its render makes. */
const RENDER_CLIENT = 'x-portal-render-client'

/**
 * A page rendered on the server fetches the API in-process (useRequestFetch): those requests have
 * no socket address, and carry the page request's headers, so the proxy's headers on them would
 * be believed or not with no peer to judge by. The page request therefore hands on what was made
 * of its own client (passClientToRender), and an in-process request reads it here. A request on a
 * real connection never does: a client cannot send itself an address this way.
 */
export function inProcessClient(event: H3Event): RequestClient | null {
  // the in-process request's socket is a stand-in (node-mock-http) marked `__unenv__`, as Nitro's
  // own app tells such requests apart; a real connection's socket never is, even once closed
  const socket = event.node.req.socket as { __unenv__?: unknown, remoteAddress?: string } | undefined
  if (!socket?.__unenv__ || socket.remoteAddress) return null
  const raw = event.node.req.headers[RENDER_CLIENT]
  if (typeof raw !== 'string') return null
  try {
    const c = JSON.parse(raw) as Partial<RequestClient>
    return typeof c.ip === 'string' && typeof c.https === 'boolean' ? { ip: c.ip, https: c.https } : null
  }
  catch {
    return null
  }
}

/** Hands `client` on to the in-process requests of this page's render (replacing anything the client sent). */
export function passClientToRender(event: H3Event, client: RequestClient): void {
  event.node.req.headers[RENDER_CLIENT] = JSON.stringify(client)
}

/**
 * Which address a request comes from. From a trusted proxy (`fromProxy`), the client is the last
 * address of X-Forwarded-For: the proxy appends the address it was connected from (nginx's
 * $proxy_add_x_forwarded_for) after whatever the client itself sent, so every entry before the
 * last is the client's to choose. h3's getRequestIP takes the first, which let one client spend a
 * fresh per-address budget (sign-in, tracking) with every made-up header.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, fromProxy: boolean): string {
  if (fromProxy && forwardedFor) {
    const last = forwardedFor.split(',').map(s => s.trim()).filter(Boolean).at(-1)
    if (last) return last
  }
  return socketAddress ?? 'unknown'
}

/**
 * The group whose requests share one per-address budget: an IPv4 address is itself (an
 * IPv4-mapped IPv6 address, as a dual-stack socket reports one, is that IPv4 address); an IPv6
 * address is its /64. One subscriber or one cloud machine is routinely given a whole /64, so
 * counting single IPv6 addresses gave every client 2^64 fresh budgets. Anything that is not an
 * address ('unknown') stays as it is.
 */
export function addressGroup(address: string): string {
  // a port or brackets, as some proxies write them, are no part of the address
  const plain = address.trim().replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/^([\d.]+):\d+$/, '$1').replace(/%.*$/, '')
  if (isIPv4(plain)) return plain
  if (!isIPv6(plain)) return address
  const groups = ipv6Groups(plain)
  if (groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xFFFF) {
    return [groups[6]! >> 8, groups[6]! & 0xFF, groups[7]! >> 8, groups[7]! & 0xFF].join('.')
  }
  return `${groups.slice(0, 4).map(g => g.toString(16)).join(':')}::/64`
}

/** The eight 16-bit groups of an address that isIPv6 accepted (`::` and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address)
  const hex = tail
    ? `${address.slice(0, tail.index)}${((Number(tail[1]) << 8) | Number(tail[2])).toString(16)}:${((Number(tail[3]) << 8) | Number(tail[4])).toString(16)}`
    : address
  const [head = '', rest] = hex.split('::')
  const parts = (s: string) => s ? s.split(':').map(g => Number.parseInt(g, 16)) : []
  const before = parts(head)
  const after = rest === undefined ? [] : parts(rest)
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after]
}
