/**
 * A failed request leaves one redacted JSON line and nothing else: not the framework's print of an
 * unhandled error (message, stack, cause with a driver's values, data). The server's error path is
 * rebuilt here from its real parts: h3, the error-log plugin on Nitro's `error` hook, then the error
 * handlers in the order the built server runs them, server/error.ts, Nuxt's page handler (a
 * stand-in, see below) and Nitro's own (nitropack's real production defaultHandler).
 */
import { readFileSync } from 'node:fs'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp, createError, createRouter, eventHandler, getRequestHeader, send, setResponseHeader, setResponseStatus, toPlainHandler } from 'h3'
import type { H3Error, H3Event } from 'h3'
import nitroJsonHandler, { defaultHandler } from 'nitropack/runtime/internal/error/prod'

type ErrorHandler = (error: H3Error, event: H3Event, ctx: { defaultHandler: typeof defaultHandler }) => unknown
type ErrorHook = (error: H3Error, context: { event?: H3Event }) => void

/**
 * What Nuxt's page handler (@nuxt/nitro-server dist/runtime/handlers/error.mjs) does with an error:
 * leaves JSON requests to Nitro, asks defaultHandler for the body (where the print happens), then
 * renders error.vue with that message. The real one cannot be loaded without a built server (it
 * imports Nitro's virtual modules); the last test checks it still makes these calls.
 */
const nuxtPageHandler: ErrorHandler = async (error, event, { defaultHandler }) => {
  if (event.handled || getRequestHeader(event, 'accept')?.includes('application/json')) return
  const res = defaultHandler(error, event, { json: true })
  const body = res.body as { message?: string, data?: unknown }
  const message = error.unhandled ? body.message || 'Server Error' : error.message || body.message || 'Server Error'
  setResponseStatus(event, res.status, res.statusText)
  setResponseHeader(event, 'content-type', 'text/html;charset=UTF-8')
  return send(event, `<html><h1>${res.status}</h1><p>${message}</p><pre>${JSON.stringify(body.data ?? error.data ?? null)}</pre></html>`)
}

const ID = '440305199003072319'
const MOBILE = '13812345678'
const NAME = '张三丰'

/** A database fault as better-sqlite3 raises it, with the row's values in its message. */
function databaseFault(): Error {
  const cause = new Error(`CHECK constraint failed: '${NAME}', '${ID}'`)
  cause.name = 'SqliteError'
  const error = new Error(`could not save applicant ${ID} (${MOBILE})`, { cause })
  return Object.assign(error, { data: { name: NAME, mobile: MOBILE } })
}

let errorTs: ErrorHandler
let errorLogPlugin: (app: { hooks: { hook: (name: string, fn: ErrorHook) => void } }) => void

beforeAll(async () => {
  // Nitro's auto-imports, which the two files use as globals
  vi.stubGlobal('defineNitroErrorHandler', (h: unknown) => h)
  vi.stubGlobal('defineNitroPlugin', (p: unknown) => p)
  errorTs = (await import('../../server/error')).default as unknown as ErrorHandler
  errorLogPlugin = (await import('../../server/plugins/error-log')).default as unknown as typeof errorLogPlugin
})

afterEach(() => { vi.restoreAllMocks() })

/** The server's error path, as nitropack builds it (runtime/internal/app.mjs onError, rollup's error-handler module). */
function portal(handlers: ErrorHandler[]) {
  const hooks: ErrorHook[] = []
  errorLogPlugin({ hooks: { hook: (name, fn) => { if (name === 'error') hooks.push(fn) } } })
  const router = createRouter()
    .get('/api/cases', eventHandler(() => { throw databaseFault() }))
    .get('/api/services/:code', eventHandler((event) => { throw createError({ statusCode: 404, statusMessage: 'Not Found', message: `no service ${event.context.params!.code}` }) }))
    // as the API's own refusals are made: a status and a message, no statusMessage
    .get('/api/track', eventHandler(() => { throw createError({ statusCode: 429, message: 'Too many failed look-ups' }) }))
    .get('/services/:code', eventHandler((event) => {
      if (event.context.params!.code === 'broken') throw databaseFault()
      // what a page does for an unknown item (pages/services/[code]/index.vue)
      throw createError({ statusCode: 404, statusMessage: 'Not Found', fatal: true })
    }))
  const app = createApp({
    onError: async (error, event) => {
      // Nitro's captureError: the `error` hook, called synchronously, before the handlers
      for (const hook of hooks) hook(error, { event })
      for (const handler of handlers) {
        try {
          await handler(error, event, { defaultHandler })
          if (event.handled) return
        }
        catch (e) { console.error(e) }
      }
    },
  }).use(router)
  const handle = toPlainHandler(app)
  return (path: string, accept = 'text/html') => handle({ method: 'GET', path, headers: { host: 'portal.test', accept } })
}

/** Everything the process prints while `run` goes, one entry per console call. */
async function printed<T>(run: () => Promise<T>): Promise<{ result: T, calls: { method: string, args: unknown[] }[] }> {
  const calls: { method: string, args: unknown[] }[] = []
  for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => { calls.push({ method, args }) })
  }
  const result = await run()
  vi.restoreAllMocks()
  return { result, calls }
}

const headersOf = (res: { headers: [string, string][] | Record<string, string> }) => Array.isArray(res.headers) ? Object.fromEntries(res.headers) : res.headers
const bodyText = (body: unknown) => typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array)

/** The one line a failed request may leave: a JSON string, parsed. */
function onlyLine(calls: { method: string, args: unknown[] }[]): Record<string, unknown> {
  expect(calls).toHaveLength(1)
  expect(calls[0]!.args).toHaveLength(1)
  return JSON.parse(calls[0]!.args[0] as string) as Record<string, unknown>
}

function expectNothingPersonal(text: string) {
  for (const secret of [ID, MOBILE, NAME, '19900307']) expect(text).not.toContain(secret)
}

describe('a failed request in the log', () => {
  const withErrorTs = () => portal([errorTs, nuxtPageHandler, nitroJsonHandler as unknown as ErrorHandler])

  it('an API fault: an opaque no-store 500, and one redacted line with the fault\'s name and frames, not the error itself', async () => {
    const { result: res, calls } = await printed(() => withErrorTs()(`/api/cases?idNumber=${ID}`, 'application/json'))
    expect(res.status).toBe(500)
    expect(headersOf(res)).toMatchObject({ 'cache-control': 'no-store', 'content-type': 'application/json' })
    expect(JSON.parse(bodyText(res.body))).toEqual({ error: true, statusCode: 500, statusMessage: 'Server Error', message: 'Server Error' })
    const line = onlyLine(calls)
    expect(calls[0]!.method).toBe('error')
    expect(line).toMatchObject({ level: 'error', event: 'request.failed', method: 'GET', path: '/api/cases', status: 500, errorName: 'SqliteError' })
    expect(line.message).toBe('could not save applicant 440305********2319 (138****5678)')
    expect((line.stack as string[]).length).toBeGreaterThan(0)
    for (const frame of line.stack as string[]) expect(frame).toMatch(/^at /)
    expectNothingPersonal(JSON.stringify(calls) + bodyText(res.body))
  })

  it('a refusal: the status line\'s own phrase, not "Server Error", which told consoles and log collectors the server had failed', async () => {
    const res = await withErrorTs()('/api/track', 'application/json')
    expect(res.status).toBe(429)
    expect(res.statusText).toBe('Too Many Requests')
    expect(JSON.parse(bodyText(res.body))).toMatchObject({ statusCode: 429, statusMessage: 'Too Many Requests', message: 'Too many failed look-ups' })
  })

  it('a page fault: the 500 page as before, and the same single line', async () => {
    const { result: res, calls } = await printed(() => withErrorTs()(`/services/broken?m=${MOBILE}`))
    expect(res.status).toBe(500)
    expect(bodyText(res.body)).toContain('<p>Server Error</p>')
    expect(onlyLine(calls)).toMatchObject({ level: 'error', path: '/services/broken', status: 500, errorName: 'SqliteError' })
    expectNothingPersonal(JSON.stringify(calls) + bodyText(res.body))
  })

  it('a page\'s fatal 404 with a mobile number in its address: the 404 page, and a masked warning', async () => {
    const { result: res, calls } = await printed(() => withErrorTs()(`/services/86${MOBILE}`))
    expect(res.status).toBe(404)
    expect(bodyText(res.body)).toContain('<h1>404</h1>')
    const line = onlyLine(calls)
    expect(calls[0]!.method).toBe('warn')
    expect(line).toMatchObject({ level: 'warn', path: '/services/86138****5678', status: 404 })
    expect(line).not.toHaveProperty('stack')
    expectNothingPersonal(JSON.stringify(calls))
  })

  it('a refused API request keeps its message, masked in the log', async () => {
    const { result: res, calls } = await printed(() => withErrorTs()(`/api/services/86${MOBILE}`, 'application/json'))
    expect(res.status).toBe(404)
    expect(headersOf(res)['cache-control']).toBe('no-store')
    expect(JSON.parse(bodyText(res.body))).toMatchObject({ statusCode: 404, message: `no service 86${MOBILE}` })
    expect(onlyLine(calls)).toMatchObject({ level: 'warn', path: '/api/services/86138****5678', message: 'no service 86138****5678' })
  })

  it('JSON asked of a page\'s address that fails: Nitro\'s answer, "Server Error", and the single line', async () => {
    const { result: res, calls } = await printed(() => withErrorTs()('/services/broken', 'application/json'))
    expect(res.status).toBe(500)
    expect(JSON.parse(bodyText(res.body))).toMatchObject({ statusCode: 500, message: 'Server Error' })
    expect(onlyLine(calls)).toMatchObject({ level: 'error', status: 500 })
    expectNothingPersonal(JSON.stringify(calls) + bodyText(res.body))
  })

  it('without server/error.ts the framework prints the whole error (what this guards against)', async () => {
    const { calls } = await printed(() => portal([nuxtPageHandler, nitroJsonHandler as unknown as ErrorHandler])('/services/broken'))
    expect(calls).toHaveLength(2)
    expect(String(calls[1]!.args[0])).toContain('[request error] [unhandled]')
    expect(calls[1]!.args[1]).toBeInstanceOf(Error)
  })

  it('Nuxt\'s page handler still asks defaultHandler for the body and hides an unhandled error\'s message', () => {
    const source = readFileSync('node_modules/@nuxt/nitro-server/dist/runtime/handlers/error.mjs', 'utf8')
    expect(source).toContain('await defaultHandler(error, event, { json: true })')
    expect(source).toMatch(/errorObject\.message = error\.unhandled \?/)
  })
})
