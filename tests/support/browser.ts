/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser downloads cannot work
 * here), with axe-core for accessibility checks and a screenshot of every step kept under
 * test-results/ as an artifact.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, Locator, Page, Request } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // every host name but the portal's own address is unresolvable: a request to another host fails
    // in the browser itself, with no round trip to the test process (see portalContext)
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  })
}

/** Gives a browser context the session of a client signed in over the API (support/client.ts), as a browser keeps it after signing in. */
export async function addSession(context: BrowserContext, baseURL: string, client: { cookie: string }): Promise<void> {
  const [name, value] = client.cookie.split('=') as [string, string]
  await context.addCookies([{ name, value, url: baseURL }])
}

/**
 * A context that only ever talks to the portal; a request to another host fails the test.
 * Requests are watched, not intercepted: the browser cannot resolve any other host (launchBrowser),
 * and intercepting every request through the test process cost a third of a second a page.
 */
export async function portalContext(browser: Browser, baseURL: string, opts: { width?: number, largeText?: boolean, timezoneId?: string } = {}): Promise<{ context: BrowserContext, foreignRequests: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: opts.width ?? 1280, height: 900 }, locale: 'zh-CN', timezoneId: opts.timezoneId })
  const foreignRequests: string[] = []
  const pending = new Set<Request>()
  inFlight.set(context, pending)
  const origin = new URL(baseURL).origin
  context.on('request', (r) => {
    pending.add(r)
    const url = r.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url)
  })
  context.on('requestfinished', r => pending.delete(r))
  context.on('requestfailed', r => pending.delete(r))
  if (opts.largeText) await context.addCookies([{ name: 'large_text', value: '1', url: baseURL }])
  return { context, foreignRequests }
}

export interface AxeViolation { id: string, impact?: string | null, help: string, nodes: { target: unknown }[] }

/**
 * WCAG 2.1 A and AA rules, and that no two landmarks share a name (axe files it under best
 * practice; two regions both called 申请材料 leave a screen reader's landmark list unable to tell
 * them apart), and that a control's name contains its visible words (2.5.3 Label in Name, which
 * axe runs only when asked: "Move Conditions 1 up" on a button showing "Move up" left a person
 * saying "click Move up" with nothing to click); returns the violations (an empty list passes).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // one run: a rule enabled by name runs beside the tags' (axe's `rules` option wins over runOnly)
  // Legacy mode: one run in the page itself. The default runs axe in every frame and then opens a
  // blank page to put the results together (for frames of other origins, which the portal has none
  // of): twice the time, half a second a check. `resultTypes`: every violating element is still
  // reported, but the passing ones are not each described (a CSS selector and HTML apiece), a
  // fifth of the check's time.
  const result = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'], rules: { 'landmark-unique': { enabled: true }, 'label-content-name-mismatch': { enabled: true } } })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return result.violations as AxeViolation[]
}

export function describeViolations(v: AxeViolation[]): string {
  return v.map(x => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.slice(0, 3).map(n => JSON.stringify(n.target)).join(', ')}`).join('\n')
}

const ARTIFACTS = 'test-results/screenshots'

/**
 * A full-page picture of what a test saw, for a person reviewing the pages (test-results/screenshots),
 * only with SCREENSHOTS=1: no assertion reads them, and taking one for every page the suite visits
 * cost about a minute of the test command.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
}

/** The requests each portal context has sent and not yet seen answered. */
const inFlight = new WeakMap<BrowserContext, Set<Request>>()

/**
 * Waits until the page is what a person sees: Nuxt has finished hydrating it and none of its
 * requests is in flight, twice 50 ms apart. Playwright's 'networkidle' waits for 500 ms of silence
 * instead, about a second a page: a minute and a half over the accessibility check's 105 pages.
 */
export async function settled(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(() => {
    const app = (document.getElementById('__nuxt') as (HTMLElement & { __vue_app__?: { $nuxt?: { isHydrating?: boolean } } }) | null)?.__vue_app__
    return app?.$nuxt?.isHydrating === false
  }, undefined, { timeout: timeoutMs })
  const pending = inFlight.get(page.context())
  if (!pending) throw new Error('settled() needs a context made by portalContext()')
  const deadline = Date.now() + timeoutMs
  let quietChecks = 0
  while (quietChecks < 2) {
    if (Date.now() > deadline) {
      // Once the page has hydrated, a script of the build still loading is the prefetch of a page
      // a link leads to (NuxtLink, on an idle moment): what this page shows never waits for it. On
      // a loaded machine Chromium once held nine of them past the deadline; a page missing one of
      // its own scripts would not have hydrated, and its assertions would fail.
      if ([...pending].every(r => new URL(r.url()).pathname.startsWith('/_nuxt/'))) return
      throw new Error(`requests still in flight: ${[...pending].map(r => r.url()).join(', ')}`)
    }
    await new Promise(r => setTimeout(r, 50))
    quietChecks = pending.size === 0 ? quietChecks + 1 : 0
  }
}

/** Waits until the locator is on screen and returns it (playwright-core has no web-first assertions). */
export async function seen(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible' })
  return locator
}

/** Waits until Vue has taken over the server-rendered page, so clicks reach its handlers. */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => !!(document.getElementById('__nuxt') as (HTMLElement & { __vue_app__?: unknown }) | null)?.__vue_app__)
}

export async function signInThroughPage(page: Page, username: string, password = 'portal-demo-2026'): Promise<void> {
  await page.goto('/login')
  await waitForHydration(page)
  await page.getByLabel(/用户名|Username/).fill(username)
  await page.getByLabel(/密码|Password/).first().fill(password)
  await Promise.all([
    page.waitForURL(url => !url.pathname.endsWith('/login')),
    page.getByRole('button', { name: /登录|Sign in/ }).click(),
  ])
}

/** No horizontal scrolling at the given width (WCAG 1.4.10 reflow). */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)
}

/** A request the page sent, as a test checks it. */
export interface SentRequest { method: string, body: string | null }

/**
 * The requests the page sends from now on to an address whose path is `path` (or matches it), in
 * the order Playwright reports them, which is the order they were sent: "nothing was sent" is then
 * told by an empty list once a later request was answered, never by waiting. `stop()` stops
 * listening, for a page that goes on to other tests.
 */
export function requestsTo(page: Page, path: string | RegExp): SentRequest[] & { stop: () => void } {
  const sent: SentRequest[] = []
  const listen = (r: Request) => {
    const pathname = new URL(r.url()).pathname
    if (typeof path === 'string' ? pathname === path : path.test(pathname)) sent.push({ method: r.method(), body: r.postData() })
  }
  page.on('request', listen)
  // not enumerable: `expect(sent).toEqual([])` compares the requests alone
  return Object.defineProperty(sent, 'stop', { value: () => void page.off('request', listen), enumerable: false }) as SentRequest[] & { stop: () => void }
}
