import { isIPv4, isIPv6 } from 'node:net'

/**
 * Which address a request comes from. Behind the one reverse proxy TRUST_PROXY=1 declares, the
 * client is the last address of X-Forwarded-For: the proxy appends the address it was connected
 * from (nginx's $proxy_add_x_forwarded_for) after whatever the client itself sent, so every entry
 * before the last is the client's to choose. h3's getRequestIP takes the first, which let one
 * client spend a fresh per-address budget (sign-in, tracking) with every made-up header.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustProxy: boolean): string {
  if (trustProxy && forwardedFor) {
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
