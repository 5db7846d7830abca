/**
 * The session cookie's names: set by the server (httpOnly), looked for by the server-side render.
 * Over HTTPS the cookie is `__Host-portal_session`: browsers take a cookie of that name only from
 * a secure origin, for the whole host (Path=/) and no other (no Domain), so a neighbouring
 * subdomain or a plain-HTTP answer cannot plant a session of its choosing (session fixation).
 * Over plain HTTP (development, the tests) it is `portal_session`.
 */
export const SESSION_COOKIE = 'portal_session'
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`

/**
 * A session ends after this long without a request (server/services/sessions.ts). The pages warn
 * before it does and let the person stay (components/Account/SessionTimeout.vue, WCAG 2.2.1).
 */
export const SESSION_IDLE_MS = 30 * 60 * 1000
/** The server writes a session's last request at most this often, so its idle clock may run this far ahead of a page's. */
export const SESSION_TOUCH_EVERY_MS = 60 * 1000
