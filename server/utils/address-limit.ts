/**
 * Per-address limits, counted in memory over a sliding minute, each kind in its own budget: an
 * employer's HR desk checking thirty licences must not lock its staff out of signing in.
 * - login, register: the account lock stops guessing one password; this stops one address
 *   trying many accounts.
 * - track: a case number with an ID number must not be found by brute force.
 * - verify: licence codes are 16 random characters, not guessable; the limit only bounds scraping.
 * - reset: asking for a password-reset code and entering one share a small budget: each request
 *   sends an SMS (which costs the city and pesters the person), and each code tried is a guess.
 * - mobile: the same for the code that verifies a signed-in person's mobile, in a budget of its
 *   own, so that verifying on "My account" does not use up a household's password resets.
 * - reauth: the password asked again (changing it, the copy of one's data, closing the account).
 *   A right password counts towards no lock, and each check takes a place at the server's one
 *   hashing gate: without a budget, one account kept it full and nobody could sign in.
 * Limits come from the environment. A tool on the server itself (thisMachine: a loopback peer
 * asking for a loopback Host, which no proxy forwards for) is not counted: a monitor, a load test
 * or an acceptance run of the public API must not meet 429s that the public never would. A proxy
 * on this machine that TRUST_PROXY does not declare is counted, as one address, and named in the
 * log once so that it gets declared.
 */
import type { H3Event } from 'h3'
import { LRUCache } from 'lru-cache'
import { thisMachine } from './client-address'
import { logLine } from './log'
import { numberSetting } from './settings'

const LIMITS = {
  login: () => numberSetting('LOGIN_LIMIT_PER_MINUTE', 30),
  register: () => numberSetting('REGISTER_LIMIT_PER_MINUTE', 10),
  track: () => numberSetting('TRACK_LIMIT_PER_MINUTE', 30),
  verify: () => numberSetting('VERIFY_LIMIT_PER_MINUTE', 120),
  reset: () => numberSetting('RESET_LIMIT_PER_MINUTE', 5),
  mobile: () => numberSetting('MOBILE_CODE_LIMIT_PER_MINUTE', 5),
  reauth: () => numberSetting('REAUTH_LIMIT_PER_MINUTE', 10),
} as const

// Bounded memory under a flood of addresses: the address seen longest ago goes first (a clear()
// of everything at once gave every address, the flooder's too, a fresh budget).
const hits = new LRUCache<string, number[]>({ max: 10_000 })

/** Reads every limit once: a malformed one throws, naming its variable (server/plugins/00.settings.ts). */
export function checkAddressLimits(): void {
  for (const limit of Object.values(LIMITS)) limit()
}

let undeclaredProxyLogged = false

export function enforceAddressLimit(event: H3Event, kind: keyof typeof LIMITS, now = Date.now()) {
  const local = thisMachine(event)
  if (local === 'operator') return
  if (local === 'undeclaredProxy' && !undeclaredProxyLogged) {
    undeclaredProxyLogged = true
    logLine({ level: 'warn', event: 'proxy.undeclared', message: 'A request from this machine came through a proxy (a forwarding header, or the portal\'s public name in Host), but TRUST_PROXY does not name it: every client behind it shares one per-address budget. Set TRUST_PROXY=1 (README, Environment).' })
  }
  // an IPv6 client by its /64: one subscriber holds all of it (server/utils/client-address.ts)
  const key = `${kind}:${addressGroup(clientIp(event))}`
  const recent = (hits.get(key) ?? []).filter(t => now - t < 60_000)
  if (recent.length >= LIMITS[kind]()) {
    const retry = Math.ceil((recent[0]! + 60_000 - now) / 1000)
    setResponseHeader(event, 'retry-after', retry)
    throw createError({ statusCode: 429, message: 'Too many attempts from this address: wait a minute', data: { retryAfterSeconds: retry } })
  }
  recent.push(now)
  hits.set(key, recent)
}
