/** HSTS only when the portal is reached over HTTPS (directly or behind a trusted proxy). */
export default defineEventHandler((event) => {
  const forwardedHttps = process.env.TRUST_PROXY === '1' && getRequestHeader(event, 'x-forwarded-proto') === 'https'
  if (forwardedHttps || getRequestProtocol(event) === 'https') {
    setResponseHeader(event, 'strict-transport-security', 'max-age=31536000; includeSubDomains')
  }
})
