/**
 * Keeps the page rendered for a request the public-page middleware marked (an anonymous
 * visitor's request for a public page that was not kept): its headers as they are about to be
 * sent, and its HTML. Only a whole success is kept: status 200, HTML, and no data fetch of the
 * page failed (plugins/public-page-cache.server.ts clears the mark when one did).
 */
import type { PublicPageMark } from '../utils/public-page-cache'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    const mark = event.context.publicPage as PublicPageMark | undefined
    const nonce = event.context.security?.nonce as string | undefined
    if (!mark || !nonce || getResponseStatus(event) !== 200 || typeof response.body !== 'string') return
    // without the per-response headers and the cookies the render set for this visitor alone
    const headers = keptHeaders(event.node.res.getHeaders())
    const type = headers.find(([name]) => name === 'content-type')?.[1]
    if (typeof type !== 'string' || !type.startsWith('text/html')) return
    keepPage(mark.key, { version: mark.version, at: mark.at, nonce, headers, body: response.body })
  })
})
