/**
 * Refuses, before any handler runs: writes from another site (CSRF), and API bodies that are not
 * JSON (except the multipart upload endpoint). SameSite=Lax cookies already stop most cross-site
 * writes; the Origin check covers the rest, including same-site subdomains.
 */
import type { H3Event } from 'h3'
import { maxUploadRequestBytes } from '../services/upload-limits'

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const MULTIPART_ROUTES = [/^\/api\/uploads\/?$/]

/**
 * Largest body a route accepts, judged on Content-Length before anything is read, or counted as it
 * arrives when the client sends it in chunks without one: here for JSON, which is read into memory;
 * an upload streams to disk instead, and receiveMultipart (server/services/upload-receive.ts) counts every
 * byte whatever the framing, answering 413 at the limit without reading the rest. (Answered before
 * its body's end, the request's connection is closed, lingering: server/utils/lingering-close.ts.)
 */
const DEFAULT_BODY_LIMIT = 1_000_000
const BODY_LIMITS: [RegExp, () => number][] = [
  [/^\/api\/uploads\/?$/, maxUploadRequestBytes],
  [/^\/api\/manage\/catalogue\/import\/?$/, () => 20_000_000],
]

/**
 * Another site's page, or this site's served over plain HTTP writing to it over HTTPS: a page on
 * the unencrypted address, which anyone on the network path can write, must not act for a person
 * signed in over HTTPS. The reverse (an https Origin on a request this server sees as http) is a
 * TLS proxy that TRUST_PROXY does not name, a configuration to fix, not an attack: it passes.
 */
function isForeignOrigin(origin: string, host: string | undefined, https: boolean): boolean {
  try {
    const from = new URL(origin)
    return !host || from.host !== host || (https && from.protocol !== 'https:')
  }
  catch {
    return true // 'null' and anything unparsable
  }
}

/**
 * Reads a chunked JSON body here, at most `limit` bytes, and leaves it where h3's readBody finds it
 * (event._requestBody): read later without a bound, 200 MB sent in chunks to the sign-in endpoint
 * were held in memory whole before the 400. Past the limit the answer is 413 and the rest is never
 * read: the request is paused and its connection closed after the answer, lingering so that the
 * client, still sending, reads the 413 rather than a reset (server/utils/lingering-close.ts).
 */
function readChunkedBody(event: H3Event, limit: number): Promise<void> {
  const req = event.node.req
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData).off('end', onEnd)
      req.pause()
      closeUnreadRequest(event)
      reject(createError({ statusCode: 413, message: `The request is larger than ${limit} bytes` }))
    }
    const onEnd = () => {
      event._requestBody = Buffer.concat(chunks)
      resolve()
    }
    req.on('data', onData).on('end', onEnd).once('error', reject)
  })
}

export default defineEventHandler((event) => {
  if (!WRITE_METHODS.has(event.method)) return
  const origin = getRequestHeader(event, 'origin')
  const host = getRequestHeader(event, 'x-forwarded-host') && fromTrustedProxy(event)
    ? getRequestHeader(event, 'x-forwarded-host')
    : getRequestHeader(event, 'host')
  if (origin ? isForeignOrigin(origin, host, isHttps(event)) : getRequestHeader(event, 'sec-fetch-site') === 'cross-site') {
    throw createError({ statusCode: 403, message: 'Cross-site request refused' })
  }
  const path = event.path.split('?')[0] ?? ''
  if (!path.startsWith('/api/')) return
  const type = (getRequestHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const length = Number(getRequestHeader(event, 'content-length') ?? 0)
  const hasBody = length > 0 || getRequestHeader(event, 'transfer-encoding') !== undefined
  const limit = BODY_LIMITS.find(([route]) => route.test(path))?.[1]() ?? DEFAULT_BODY_LIMIT
  if (length > limit) {
    closeUnreadRequest(event)
    throw createError({ statusCode: 413, message: `The request is larger than ${limit} bytes` })
  }
  if (MULTIPART_ROUTES.some(r => r.test(path))) {
    if (type !== 'multipart/form-data') throw createError({ statusCode: 415, message: 'Send the file as multipart/form-data' })
    return // not read here: counted against `limit` as it streams, by receiveMultipart
  }
  if (hasBody && type !== 'application/json') {
    throw createError({ statusCode: 415, message: 'Send JSON (Content-Type: application/json)' })
  }
  if (hasBody && !getRequestHeader(event, 'content-length')) return readChunkedBody(event, limit)
})
