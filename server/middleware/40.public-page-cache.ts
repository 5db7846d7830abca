import { catalogueVersion } from '../services/catalogue'
import type { PublicPageMark } from '../utils/public-page-cache'

/**
 * Answers an anonymous visitor's request for a public page with the page kept from an earlier
 * render, when there is one (server/utils/public-page-cache.ts); otherwise marks the request so
 * that server/plugins/public-page-cache.ts keeps what the renderer answers.
 */
export default defineEventHandler((event) => {
  const key = publicPageKey(event)
  const nonce = event.context.security?.nonce as string | undefined
  if (!key || !nonce) return
  const version = catalogueVersion(useConnection())
  const page = keptPage(key, version)
  if (!page) {
    event.context.publicPage = { key, version, at: Date.now() } satisfies PublicPageMark
    setResponseHeader(event, 'x-page-cache', 'miss')
    return
  }
  for (const [name, value] of page.headers) {
    setResponseHeader(event, name, typeof value === 'string' ? withNonce(value, page.nonce, nonce) : value)
  }
  setResponseHeader(event, 'x-page-cache', 'hit')
  return withNonce(page.body, page.nonce, nonce)
})
