/** HSTS only when the portal is reached over HTTPS (directly or behind a trusted proxy). */
export default defineEventHandler((event) => {
  if (isHttps(event)) setResponseHeader(event, 'strict-transport-security', 'max-age=31536000; includeSubDomains')
})
