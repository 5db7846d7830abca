/**
 * HEAD on the API answers as GET does, without the body (RFC 9110, 9.3.2): Nitro routes an API file
 * named `*.get.ts` for GET only, so `HEAD /api/health`, what many uptime monitors send, was a 404
 * and the portal read as down. Turned into GET in the `request` hook, before the router and any
 * middleware look at the method; Node's response already knows the request was HEAD and sends no
 * body. Pages answer HEAD by themselves. The request stays marked (answersHeadersOnly), so a read
 * that is audited for what it shows writes no row for an answer that shows nothing.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    if (event.node.req.method !== 'HEAD' || !event.path.startsWith('/api/')) return
    event.node.req.method = 'GET'
    event.context.headersOnly = true
  })
})
