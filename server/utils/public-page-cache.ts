/**
 * The public pages as a visitor who is not signed in sees them (the home page, the catalogue, the
 * service guides), kept rendered. Rendering a guide costs the server's one JavaScript thread about
 * 11 ms (npm run bench), so on the busy morning after a holiday one process renders fewer than a
 * hundred a second; a kept page is sent in a fraction of a millisecond.
 *
 * What may differ between two anonymous visitors is only the Content-Security-Policy nonce, fresh
 * for every response: a kept page is sent with the new request's nonce in place of the one it was
 * rendered with, in its `nonce="…"` attributes and in the policy header. Markup in a page cannot
 * carry the old nonce unless the server put it there, since the nonce was drawn after the data was
 * read. Everything else a page shows for an anonymous visitor follows from its address, its
 * scheme and the large-text cookie, which make the key with the Host the request names: were a
 * page ever to show the host it was asked for, a forged Host would get its page kept for itself
 * alone, never for anyone else (cache poisoning).
 *
 * A page is dropped when the catalogue changes (catalogue_version, raised by triggers on every
 * change to an item, its department or its themes) and after a minute in any case, for the
 * figures that follow the cases (popularity, the home page's headline), as the search cache does.
 */
import type { H3Event } from 'h3'
import { LRUCache } from 'lru-cache'
import { LARGE_TEXT_COOKIE } from '../../shared/utils/large-text'
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../shared/utils/session'

export const PAGE_MAX_AGE_MS = 60_000
const MAX_PAGES = 500
/** About 32 MB of UTF-16 text. */
const MAX_CHARS = 16_000_000
const MAX_KEY_PATH = 512

/** The home page, the catalogue and a guide, in either language; not the application form under a guide. */
const PUBLIC_PAGE = /^\/(?:en\/?)?(?:services(?:\/[\w-]{1,64})?\/?)?$/

/** What the middleware leaves on a request whose render should be kept (event.context.publicPage). */
export interface PublicPageMark {
  key: string
  /** catalogue_version when the page began to render */
  version: number
  at: number
}

export interface KeptPage {
  /** catalogue_version when the page began to render */
  version: number
  at: number
  /** the nonce the page was rendered with */
  nonce: string
  headers: [string, string | string[]][]
  body: string
}

// least recently used out first, when either the count or the text would exceed its bound
const pages = new LRUCache<string, KeptPage>({
  max: MAX_PAGES,
  maxSize: MAX_CHARS,
  // one page never takes more than a tenth of the room
  maxEntrySize: MAX_CHARS / 10,
  sizeCalculation: page => Math.max(1, page.body.length),
})

/**
 * The key of a request that may be answered with a kept page, or null: only GET, only the public
 * pages, only without a session cookie (whoever sends one is rendered for), and only with the
 * large-text cookie absent, `0` or `1`.
 */
export function publicPageKey(event: H3Event): string | null {
  if (event.method !== 'GET') return null
  const path = event.path
  if (path.length > MAX_KEY_PATH || !PUBLIC_PAGE.test(path.split('?')[0]!)) return null
  if (getCookie(event, SESSION_COOKIE) !== undefined || getCookie(event, SECURE_SESSION_COOKIE) !== undefined) return null
  const largeText = rawCookie(event, LARGE_TEXT_COOKIE)
  if (largeText !== undefined && largeText !== '0' && largeText !== '1') return null
  const host = getRequestHost(event, { xForwardedHost: fromTrustedProxy(event) })
  return `${isHttps(event) ? 'https' : 'http'} ${host} ${largeText ?? '-'} ${path}`
}

/**
 * A cookie's value as sent, undecoded (the first of that name), as the page reads the large-text
 * cookie (useLargeText: `decode: v => v`). h3's getCookie decodes, so `large_text=%31` was keyed as
 * large text while the page rendered it at normal size: one such request a minute served every
 * large-text visitor a normal-size page.
 */
function rawCookie(event: H3Event, name: string): string | undefined {
  for (const part of (getRequestHeader(event, 'cookie') ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim()
  }
  return undefined
}

/** The kept page for `key` if it was rendered at `version` less than a minute ago. */
export function keptPage(key: string, version: number, now = Date.now()): KeptPage | undefined {
  const page = pages.get(key)
  if (!page) return undefined
  if (page.version === version && now - page.at < PAGE_MAX_AGE_MS) return page
  // a stale page is dropped, not kept for when the version would match again
  pages.delete(key)
  return undefined
}

export function keepPage(key: string, page: KeptPage): void {
  pages.set(key, page)
}

export function forgetPublicPages(): void {
  pages.clear()
}

/**
 * Response headers that are never kept with a page: those made per response or set again by the
 * middleware on every request, and `set-cookie`. A cookie the render set (today `large_text=0`
 * from useLargeText, tomorrow perhaps a language or session cookie) was meant for the one visitor
 * it was rendered for; replayed from a kept page it would be set in every other visitor's browser.
 */
const NOT_KEPT = new Set(['content-length', 'date', 'x-page-cache', 'strict-transport-security', 'set-cookie'])

/** The headers of a rendered page that are kept with it (names as Node gives them: lower case). */
export function keptHeaders(headers: Record<string, number | string | string[] | undefined>): [string, string | string[]][] {
  return Object.entries(headers)
    .filter(([name, value]) => value !== undefined && !NOT_KEPT.has(name.toLowerCase()))
    .map(([name, value]): [string, string | string[]] => [name, Array.isArray(value) ? value : String(value)])
}

/** `text` with every occurrence of the old nonce as the server writes it replaced by the new one. */
export function withNonce(text: string, old: string, nonce: string): string {
  return text
    .replaceAll(`nonce="${old}"`, `nonce="${nonce}"`)
    .replaceAll(`'nonce-${old}'`, `'nonce-${nonce}'`)
}
