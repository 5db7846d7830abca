/**
 * The session cookie's names: set by the server (httpOnly), looked for by the server-side render.
 * Over HTTPS the cookie is `__Host-portal_session`: browsers take a cookie of that name only from
 * a secure origin, for the whole host (Path=/) and no other (no Domain), so a neighbouring
 * subdomain or a plain-HTTP answer cannot plant a session of its choosing (session fixation).
 * Over plain HTTP (development, the tests) it is `portal_session`.
 */
export const SESSION_COOKIE = 'portal_session'
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`
