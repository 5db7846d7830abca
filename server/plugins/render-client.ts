import { inProcessClient, passClientToRender, RENDER_CLIENT } from '../utils/client-address'

/**
 * A page request hands what was made of its client (address, HTTPS) on to the requests its server
 * render makes in-process, which have no connection of their own to judge by
 * (server/utils/client-address.ts, inProcessClient): the audit rows of a clerk's case page
 * rendered on the server name the clerk's address, not "unknown". In the `request` hook, before
 * any handler: an error page (a missing /_nuxt/ file) is rendered in-process too, from a request
 * no middleware may have seen. On a real connection the client's own header of that name is
 * always dropped first; API requests fetch nothing in-process, so they hand nothing on.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    if (inProcessClient(event)) return
    Reflect.deleteProperty(event.node.req.headers, RENDER_CLIENT)
    if (event.path.startsWith('/api/')) return
    const headersOnly = event.node.req.method === 'HEAD' ? { headersOnly: true as const } : {}
    passClientToRender(event, { ip: clientIp(event), https: isHttps(event), ...headersOnly })
  })
})
