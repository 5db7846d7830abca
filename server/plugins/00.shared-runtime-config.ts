import { isEvent } from 'h3'
import type { H3Event } from 'h3'

/**
 * One runtime config for every request. Nitro's `useRuntimeConfig(event)` deep-copies the config
 * and re-reads the NUXT_* variables for each request, for hosts whose environment changes per
 * request; @nuxtjs/i18n calls it on every request, and in the profile of the submit benchmark the
 * copy was a quarter of the server's CPU. A Node process's environment does not change after
 * start, so the copy Nitro made at start (environment applied, frozen) serves every request. The
 * hook runs before every `request` hook, the i18n module's included, whatever the plugin order.
 */
export default defineNitroPlugin((nitroApp) => {
  const atStart = useRuntimeConfig()
  nitroApp.hooks.beforeEach(({ name, args }) => {
    if (name !== 'request') return
    // args holds the hook's name too: isEvent() on a string throws (and catches) inside h3
    const event = args.find(arg => typeof arg === 'object' && isEvent(arg)) as H3Event | undefined
    // Nitro sets context.nitro before it calls the hook
    if (event?.context.nitro) event.context.nitro.runtimeConfig ??= atStart
  })
})
