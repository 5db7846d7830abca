/**
 * One server and one browser for a whole browser test file, as useTestServer (support/server.ts)
 * is one server for an API test file. The browser is launched after the server has answered, and
 * closed before the server stops, with every context made here closed first.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser, portalContext } from './browser'
import { startServer, stopServer } from './server'
import type { TestServer } from './server'

export type PortalContextOptions = NonNullable<Parameters<typeof portalContext>[2]>

/**
 * Registers the file's beforeAll and afterAll hooks. Vitest runs beforeAll hooks in the order they
 * were registered, so a file's own beforeAll written after this call finds the server started (to
 * sign clients in at `suite.url`); its own afterAll runs before this one's, with the browser open.
 */
export function useBrowserSuite(opts: { env?: Record<string, string> } = {}) {
  const holder = {} as { server?: TestServer, browser?: Browser }
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    holder.server = await startServer(opts)
    holder.browser = await launchBrowser()
  })

  afterAll(async () => {
    // every step, whichever fails: nothing the suite started may outlive its file
    const closed = await Promise.allSettled(contexts.map(c => c.close()))
    try {
      await holder.browser?.close()
    }
    finally {
      if (holder.server) await stopServer(holder.server)
    }
    const failed = closed.find(r => r.status === 'rejected')
    if (failed) throw failed.reason
  })

  // read at the top of a file, before beforeAll ran, there is nothing yet: say so, not "undefined"
  function started<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`useBrowserSuite: the ${what} is not started yet; use it in a hook or a test`)
    return value
  }

  /** A portal context (see portalContext), closed with the suite. */
  async function newContext(contextOpts?: PortalContextOptions): ReturnType<typeof portalContext> {
    const made = await portalContext(started(holder.browser, 'browser'), started(holder.server, 'server').url, contextOpts)
    contexts.push(made.context)
    return made
  }

  return {
    get server(): TestServer { return started(holder.server, 'server') },
    get url(): string { return started(holder.server, 'server').url },
    get browser(): Browser { return started(holder.browser, 'browser') },
    newContext,
    /** A page of a context of its own, closed with the suite. */
    async newPage(contextOpts?: PortalContextOptions): Promise<Page> {
      return (await newContext(contextOpts)).context.newPage()
    },
  }
}
