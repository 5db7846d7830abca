/**
 * A terminal in the service hall, one person after another in the same browser tab: nothing the
 * page kept in memory of one (their documents library, receipts, fetched pages) is shown to the
 * next. Signing out loads a new page; a session that ended and the next person signing in from its
 * notice (a navigation inside the page) forgets what the page kept. Item: 高龄老人津贴申领
 * (SZMZ-0006, an optional file answer with "我的材料").
 */
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { discardDrafts, upload, uniquePdf } from '../support/fixtures'

const SERVICE = 'SZMZ-0006'
const A_FILE = 'a-household-register.pdf'
const LIBRARY_EMPTY = '您还没有上传过材料'

const suite = useBrowserSuite()

describe('the next person at a shared terminal', () => {
  it('signing out loads a new page: nothing of the person is left in the page\'s memory', async () => {
    const citizen = await signedIn(suite.url, 'citizen')
    const page = await suite.newPage()
    await addSession(page.context(), suite.url, citizen)
    await page.goto('/me/applications')
    await waitForHydration(page)
    // a mark in this page's memory; a navigation inside the page would keep it
    await page.evaluate(() => Object.assign(window, { lastPersonWasHere: true }))
    await page.getByRole('button', { name: '退出', exact: true }).click()
    await page.waitForURL(url => url.pathname === '/')
    await page.getByRole('link', { name: '登录', exact: true }).waitFor({ state: 'visible' })
    expect(await page.evaluate(() => 'lastPersonWasHere' in window)).toBe(false)
    expect((await citizen.get('/api/auth/me')).status).toBe(401)
  })

  it('signing in from the notice of a session that ended does not show the last person\'s documents', async () => {
    const a = await signedIn(suite.url, 'citizen')
    const b = await signedIn(suite.url, 'citizen2')
    await upload(a, uniquePdf('shared-terminal-a'), A_FILE)
    await discardDrafts(a, SERVICE)
    await discardDrafts(b, SERVICE)
    const page = await suite.newPage()
    await addSession(page.context(), suite.url, a)
    await page.goto(`/services/${SERVICE}/apply`)
    await page.waitForURL(url => url.searchParams.has('draft'))
    const aDraft = new URL(page.url()).searchParams.get('draft')
    await waitForHydration(page)
    const library = page.getByRole('button', { name: '从“我的材料”中选择' })
    await library.click()
    await page.getByText(A_FILE, { exact: true }).first().waitFor({ state: 'visible' })
    await page.getByRole('button', { name: '收起“我的材料”' }).click()

    // A walks away; their session ends (here: signed out elsewhere), and the page finds out
    expect((await a.post('/api/auth/logout')).status).toBe(200)
    await library.click()
    const again = page.getByRole('link', { name: '重新登录并返回本页' })
    await again.waitFor({ state: 'visible' })

    // B signs in from the notice, in the same tab, and comes back to the form (a draft of their own)
    await again.click()
    await page.waitForURL(url => url.pathname === '/login')
    await page.getByLabel('用户名').fill('citizen2')
    await page.getByLabel('密码').first().fill('portal-demo-2026')
    await page.getByRole('button', { name: '登录', exact: true }).click()
    // the address still names A's draft, which is not B's: said so, and B's own application opened
    await page.getByText('找不到该地址中的草稿（可能已被删除，或属于其他账户）').waitFor({ state: 'visible' })
    await page.waitForURL(url => url.pathname === `/services/${SERVICE}/apply` && ![null, aDraft].includes(url.searchParams.get('draft')))
    const bDraft = new URL(page.url()).searchParams.get('draft')
    expect((await b.get(`/api/applications/${bDraft}`)).status).toBe(200)

    // B's documents are held on their way: what shows meanwhile is what the page kept
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let asked = 0
    await page.route('**/api/me/materials**', async (route) => {
      asked++
      await held
      await route.continue()
    })
    await page.getByRole('button', { name: '从“我的材料”中选择' }).click()
    await expect.poll(() => asked).toBe(1)
    expect(await page.getByText(A_FILE).count()).toBe(0)
    release()
    // and then B's own (none yet), never A's
    await page.getByText(LIBRARY_EMPTY).waitFor({ state: 'visible' })
    expect(await page.getByText(A_FILE).count()).toBe(0)
  })
})
