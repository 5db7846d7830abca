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
