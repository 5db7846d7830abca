/**
 * A public page whose data could not be fetched (the guide's API failed, say) still renders, with
 * status 200; it must not be kept and shown to every visitor for the next minute. The mark the
 * public-page middleware set on the request (server/middleware/40.public-page-cache.ts) goes.
 */
export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.hooks.hook('app:rendered', ({ ssrContext }) => {
    const failed = ssrContext?.error || Object.values(ssrContext?.payload._errors ?? {}).some(Boolean)
    if (failed && ssrContext?.event) delete ssrContext.event.context.publicPage
  })
})
