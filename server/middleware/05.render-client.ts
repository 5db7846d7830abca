import { inProcessClient, passClientToRender } from '../utils/client-address'

/**
 * A page request hands what was made of its client (address, HTTPS) on to the API requests its
 * server render makes in-process, which have no connection of their own to judge by
 * (server/utils/client-address.ts, inProcessClient): the audit rows of a clerk's case page
 * rendered on the server name the clerk's address, not "unknown". API requests fetch nothing
 * in-process, so they are left alone.
 */
export default defineEventHandler((event) => {
  if (event.path.startsWith('/api/') || inProcessClient(event)) return
  passClientToRender(event, { ip: clientIp(event), https: isHttps(event) })
})
