/**
 * An auditor reading the log in English sees who acted as "auditor (Auditor)", with the English
 * page's own brackets, and in Chinese as "auditor（审计员）": the role's brackets follow the language.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, launchBrowser, portalContext, settled } from '../support/browser'
import { startServer, stopServer } from '../support/server'
import type { TestServer } from '../support/server'

let server: TestServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  if (server) await stopServer(server)
})

async function auditorPage(): Promise<Page> {
  const auditor = await signedIn(server.url, 'auditor')
  const { context } = await portalContext(browser, server.url)
  contexts.push(context)
  await addSession(context, server.url, auditor)
  return context.newPage()
}

/** The "who" cells of the log's first page. */
const actors = (page: Page) => page.locator('tbody tr td:nth-child(3)').allInnerTexts()

describe('the audit log\'s "who" column', () => {
  it('brackets the role as each language does', async () => {
    const page = await auditorPage()
    await page.goto('/en/manage/audit')
    await settled(page)
    const english = await actors(page)
    // signing in as the auditor is itself in the log
    expect(english).toContain('auditor (Auditor)')
    expect(english.join('')).not.toMatch(/[（）]/)
    await page.goto('/manage/audit')
    await settled(page)
    expect(await actors(page)).toContain('auditor（审计员）')
  })
})
