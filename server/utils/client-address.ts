import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net'
import type { Server, Socket } from 'node:net'
import type { H3Event } from 'h3'

/** The proxies TRUST_PROXY names: addresses and ranges, and whether a local (Unix) socket's peer is one. */
export interface TrustedProxies { list: BlockList, unixSocket: boolean }

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i

/**
 * The peers whose X-Forwarded-* headers are believed, from TRUST_PROXY: `1` is a reverse proxy on
 * this machine (a loopback peer: 127.0.0.0/8, ::1, or a Unix socket the portal listens on);
 * otherwise a comma-separated list of addresses and CIDR ranges (`10.0.0.5, 10.1.0.0/16,
 * fd00::/8`). Empty or unset: none. Only a connection from one of them may say where a request
 * came from; a client that reaches the port directly would otherwise choose its own address (and
 * so its per-address budgets) with every header. A malformed entry throws, naming it: the server
 * must not start half-trusting. So does one that would trust every address, or every IPv4 one
 * (`0.0.0.0/0`, `::/8`: Node's ranges hold the IPv4-mapped addresses a dual-stack socket reports);
 * an IPv4-mapped entry (`::ffff:10.0.0.0/104`) is taken as the IPv4 range it names.
 */
export function trustedProxies(value: string | undefined): TrustedProxies | null {
  const entries = (value ?? '').split(',').map(s => s.trim()).filter(Boolean)
  if (!entries.length || (entries.length === 1 && entries[0] === '0')) return null
  const local = entries.length === 1 && entries[0] === '1'
  const list = new BlockList()
  for (const entry of local ? ['127.0.0.0/8', '::1'] : entries) {
    const refuse = (why: string) => new Error(`TRUST_PROXY: "${entry}" ${why} (e.g. 10.0.0.5, 10.1.0.0/16, fd00::/8; or 1 for a proxy on this machine)`)
    const [written = '', prefix, ...extra] = entry.split('/')
    let bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN
    const mapped = MAPPED_IPV4.exec(written)
    if (mapped && bits !== null) bits = bits >= 96 ? bits - 96 : Number.NaN
    const address = mapped ? mapped[1]! : written
    const family = isIP(address)
    // a zone (fe80::1%eth0) names an interface, not an address a peer can have: refused, not dropped
    if (!family || address.includes('%') || extra.length || (bits !== null && !(bits <= (family === 4 ? 32 : 128)))) throw refuse('is not an address or a CIDR range')
    const type = family === 4 ? 'ipv4' : 'ipv6'
    const range = new BlockList()
    if (bits === null) range.addAddress(address, type)
    else range.addSubnet(address, bits, type)
    if (bits === 0 || (type === 'ipv6' && (range.check('::ffff:0.0.0.0', 'ipv6') || range.check('::ffff:255.255.255.255', 'ipv6')))) {
      throw refuse(bits === 0 ? 'would trust every address' : 'would trust every IPv4 address (write IPv4 ranges as such)')
    }
    if (bits === null) list.addAddress(address, type)
    else list.addSubnet(address, bits, type)
  }
  return { list, unixSocket: local }
}

/**
 * Whether an address is one of the trusted proxies' (a connection's peer, or a hop of
 * X-Forwarded-For); `unixSocket`: the connection came in over a Unix socket, which has no address
 * and is on this machine.
 */
export function isTrustedPeer(peer: string | undefined, proxies: TrustedProxies | null, unixSocket = false): boolean {
  if (!proxies) return false
  if (unixSocket) return proxies.unixSocket
  if (!peer) return false
  const family = isIP(peer)
  return family !== 0 && proxies.list.check(peer, family === 4 ? 'ipv4' : 'ipv6')
}

let parsed: { value: string | undefined, proxies: TrustedProxies | null } | undefined

/** TRUST_PROXY, parsed once per value. */
function proxiesNow(): TrustedProxies | null {
  const value = process.env.TRUST_PROXY
  if (!parsed || parsed.value !== value) parsed = { value, proxies: trustedProxies(value) }
  return parsed.proxies
}

/** Whether this request reached the portal through a trusted proxy, whose X-Forwarded-* headers then hold. */
export function fromTrustedProxy(event: H3Event): boolean {
  const socket = event.node.req.socket as (Socket & { server?: Server, __unenv__?: unknown }) | undefined
  if (!socket || socket.__unenv__) return false
  // a Unix socket's listener reports its path as its address (NITRO_UNIX_SOCKET)
  const overUnixSocket = !socket.remoteAddress && typeof socket.server?.address() === 'string'
  return isTrustedPeer(socket.remoteAddress, proxiesNow(), overUnixSocket)
}

// this machine's own addresses, as a peer of a TCP connection (a dual-stack socket reports IPv4 ones mapped)
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6')

// what a reverse proxy may add to say whom it forwards for; a direct client has no reason to send any
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via', 'cf-connecting-ip', 'true-client-ip'] as const

/** Whether a Host header names this machine itself (localhost, 127.0.0.0/8, ::1), with or without a port. */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false
  const name = host.trim().toLowerCase().replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/^([^:]*):\d+$/, '$1')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const family = isIP(name)
  return family !== 0 && LOOPBACK.check(name, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * Who is on the other end of a connection from this machine's own address:
 * - `operator`: a tool run on the server itself (a monitor, a load or acceptance run, a script),
 *   which asks for the portal at a loopback address (Host: 127.0.0.1:3000, localhost) and says
 *   nothing of forwarding. It could read the database; per-address budgets are not what stops it,
 *   and counting it only makes a test run refuse the eleventh registration of a minute;
 * - `undeclaredProxy`: a reverse proxy or tunnel on this machine that TRUST_PROXY does not name:
 *   it says whom it forwards for, or carries the portal's public name in Host (a TLS terminator
 *   passing HTTP through adds no header), and everyone behind it shares its one address and budgets;
 * - null: not this machine, or a proxy TRUST_PROXY names (its clients are counted by their own
 *   addresses), or a page's in-process request (counted by the page's client).
 */
export function thisMachine(event: H3Event): 'operator' | 'undeclaredProxy' | null {
  const socket = event.node.req.socket as (Socket & { __unenv__?: unknown }) | undefined
  const peer = socket?.remoteAddress
  if (!socket || socket.__unenv__ || !peer || fromTrustedProxy(event)) return null
  const family = isIP(peer)
  if (!family || !LOOPBACK.check(peer, family === 4 ? 'ipv4' : 'ipv6')) return null
  const headers = event.node.req.headers
  const forwarded = FORWARDING_HEADERS.some(name => headers[name] !== undefined)
  return !forwarded && isLoopbackHost(headers.host) ? 'operator' : 'undeclaredProxy'
}

/** Whether `address` is a trusted proxy's: a hop of X-Forwarded-For that is one of ours. */
export function isTrustedProxyAddress(address: string): boolean {
  return isTrustedPeer(address, proxiesNow())
}

/**
 * What the portal made of a request's client: its address, and whether it came over HTTPS; and, for
 * a page asked with HEAD, that its answer carries no body (the reads its render makes show nothing).
 */
export interface RequestClient { ip: string, https: boolean, headersOnly?: true }

/** The header a page's request hands its client on in, to the API requests its render makes. */
export const RENDER_CLIENT = 'x-portal-render-client'

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
    if (typeof c.ip !== 'string' || typeof c.https !== 'boolean') return null
    return c.headersOnly === true ? { ip: c.ip, https: c.https, headersOnly: true } : { ip: c.ip, https: c.https }
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
 * address of X-Forwarded-For that is not one of our proxies' (`isProxy`): each proxy appends the
 * address it was connected from (nginx's $proxy_add_x_forwarded_for) after whatever came before,
 * so reading from the right, a load balancer and the nginx behind it each add one hop of ours,
 * and every entry before the client's own is the client's to choose. h3's getRequestIP takes the
 * first, which let one client spend a fresh per-address budget (sign-in, tracking) with every
 * made-up header.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, fromProxy: boolean, isProxy: (address: string) => boolean = () => false): string {
  if (fromProxy && forwardedFor) {
    const hops = forwardedFor.split(',').map(s => s.trim()).filter(Boolean)
    let i = hops.length - 1
    while (i > 0 && isProxy(hops[i]!)) i--
    if (i >= 0) return hops[i]!
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
