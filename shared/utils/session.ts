/** The session cookie's name: set by the server (httpOnly), looked for by the server-side render. */
export const SESSION_COOKIE = 'portal_session'
