/**
 * A citizen who starts an application, leaves, and comes back through the guide's "在线申请" is
 * offered the draft they saved instead of a second, empty one: the notice takes focus and says
 * when the draft was saved, "continue" (the first button) opens it with the answers typed, and
 * "my applications" lists one draft of the item. A second draft exists only when chosen.
 * Item: 高龄老人津贴申领 (SZMZ-0006, one page, for people).
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, screenshot, seen, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const SERVICE = 'SZMZ-0006'
const SERVICE_NAME = '高龄老人津贴申领'
const BANK = '招商银行深圳分行'

const suite = useBrowserSuite()
let citizen: Client
/** Contexts a test makes with browser.newContext, closed below: the suite closes only those it made. */
const contexts: BrowserContext[] = []

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
})

afterAll(async () => {
  for (const c of contexts) await c.close()
})

async function citizenPage(): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, citizen)
  return context.newPage()
}

/** The citizen's drafts of the item, as the server keeps them. */
async function draftsOfService(): Promise<string[]> {
  const res = await citizen.get<{ items: { id: string }[] }>(`/api/applications?status=draft&serviceCode=${SERVICE}&pageSize=100`)
  expect(res.status).toBe(200)
  return res.body.items.map(i => i.id)
}

/** From the apply form, back to the guide by its link, and "在线申请" again: no `?draft=` in the address. */
async function backThroughGuide(page: Page): Promise<void> {
  await page.getByRole('link', { name: SERVICE_NAME, exact: true }).click()
  await page.waitForURL(url => url.pathname === `/services/${SERVICE}`)
  await page.getByRole('link', { name: '在线申请' }).click()
  await page.waitForURL(url => url.pathname === `/services/${SERVICE}/apply`)
}

const savedDraftHeading = (page: Page) => page.getByRole('heading', { level: 2, name: /^您有一份本事项尚未提交的申请草稿，保存于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/ })
const activeText = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent?.trim()}`)
const rowsInMyApplications = (page: Page) => page.getByRole('link', { name: `继续填写 ${SERVICE_NAME}` })

describe('a citizen coming back to an application through the guide', () => {
  let firstDraft = ''

  it('is offered the saved draft, continues it by keyboard, and finds the answer typed', async () => {
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}/apply`)
    await page.waitForURL(url => url.searchParams.has('draft'))
    firstDraft = new URL(page.url()).searchParams.get('draft')!
    await waitForHydration(page)
    await (await seen(page.getByLabel('开户银行'))).fill(BANK)
    // saved as the person types, without pressing "保存草稿": shown on the status line, not said
    // aloud at every pause in typing (that interrupted the reading of the field)
    await seen(page.getByText(/草稿已于 .+ 保存/))
    expect(await page.getByRole('status').filter({ hasText: /草稿已于/ }).count()).toBe(0)
    // asked for, the save is said
    await page.getByRole('button', { name: '保存草稿' }).click()
    await seen(page.getByRole('status').filter({ hasText: /草稿已于 .+ 保存/ }))

    await backThroughGuide(page)
    const heading = await seen(savedDraftHeading(page))
    await expect.poll(() => activeText(page)).toBe(`H2 ${await heading.textContent().then(s => s?.trim())}`)
    expect(new URL(page.url()).searchParams.has('draft')).toBe(false)
    expect(await page.getByLabel('开户银行').count()).toBe(0)
    // opening the page offered the draft; it started no other
    expect(await draftsOfService()).toEqual([firstDraft])
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    await screenshot(page, 'saved-draft-notice')

    // continuing is the first thing Tab reaches after the notice's heading
    await page.keyboard.press('Tab')
    expect(await activeText(page)).toBe('BUTTON 继续填写草稿')
    await page.keyboard.press('Enter')
    await page.waitForURL(url => url.searchParams.get('draft') === firstDraft)
    expect(await (await seen(page.getByLabel('开户银行'))).inputValue()).toBe(BANK)
    await expect.poll(() => activeText(page)).toBe(`H1 在线申请：${SERVICE_NAME}`)

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的申请' }).click()
    await page.waitForURL('**/me/applications')
    await seen(rowsInMyApplications(page).first())
    expect(await rowsInMyApplications(page).count()).toBe(1)
    expect(await draftsOfService()).toEqual([firstDraft])
  })

  it('starts a second draft only when choosing "重新开始新的申请", and then has two', async () => {
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}`)
    await waitForHydration(page)
    await page.getByRole('link', { name: '在线申请' }).click()
    await page.waitForURL(url => url.pathname === `/services/${SERVICE}/apply`)
    await seen(savedDraftHeading(page))
    await page.getByRole('button', { name: '重新开始新的申请' }).click()

    await page.waitForURL(url => url.searchParams.has('draft') && url.searchParams.get('draft') !== firstDraft)
    const secondDraft = new URL(page.url()).searchParams.get('draft')!
    expect(await (await seen(page.getByLabel('开户银行'))).inputValue()).toBe('')
    expect((await draftsOfService()).sort()).toEqual([firstDraft, secondDraft].sort())

    await page.goto('/me/applications')
    await seen(rowsInMyApplications(page).first())
    expect(await rowsInMyApplications(page).count()).toBe(2)

    // with two, the notice says how many and continues the latest
    await page.goto(`/services/${SERVICE}/apply`)
    await seen(page.getByRole('heading', { level: 2, name: /^您有 2 份本事项尚未提交的申请草稿，最近一份保存于 / }))
    await page.getByRole('button', { name: '继续填写草稿' }).click()
    await page.waitForURL(url => url.searchParams.get('draft') === secondDraft)
    expect(await draftsOfService()).toHaveLength(2)
  })

  it('continuing a draft discarded meanwhile (another tab) offers the one left, not a page that cannot load', async () => {
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}/apply`)
    await seen(page.getByRole('heading', { level: 2, name: /^您有 2 份/ }))
    const [latest, other] = await draftsOfService()
    expect((await citizen.request('DELETE', `/api/applications/${latest}`)).status).toBe(204)

    await page.getByRole('button', { name: '继续填写草稿' }).click()
    // looked again: the one draft left is offered, and the address never named the discarded one
    const heading = await seen(savedDraftHeading(page))
    await expect.poll(() => activeText(page)).toBe(`H2 ${await heading.textContent().then(s => s?.trim())}`)
    expect(new URL(page.url()).searchParams.has('draft')).toBe(false)
    await page.getByRole('button', { name: '继续填写草稿' }).click()
    await page.waitForURL(url => url.searchParams.get('draft') === other)
    await seen(page.getByLabel('开户银行'))
    expect(await draftsOfService()).toEqual([other])
  })

  it('a draft discarded in another tab while the person types keeps what was typed, in a new draft at one press', async () => {
    const [other] = await draftsOfService()
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}/apply?draft=${other}`)
    await waitForHydration(page)
    await seen(page.getByLabel('开户银行'))
    expect((await citizen.request('DELETE', `/api/applications/${other}`)).status).toBe(204)

    await page.getByLabel('开户银行').fill('中国银行深圳分行')
    // not "check your network" again and again: the draft is gone, and the answers are not
    const notice = await seen(page.getByRole('alert').filter({ hasText: '草稿未能保存：该草稿已被删除' }))
    expect(await page.getByText('请检查网络').count()).toBe(0)
    await notice.getByRole('button', { name: '保存为新草稿并继续' }).click()
    await seen(page.getByRole('status').filter({ hasText: /草稿已于 .+ 保存/ }))
    expect(await notice.count()).toBe(0)
    const [kept] = await draftsOfService()
    expect(kept).toBeDefined()
    expect(new URL(page.url()).searchParams.get('draft')).toBe(kept)
    const saved = await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${kept}`)
    expect(saved.body.answers.bankName).toBe('中国银行深圳分行')

    // and the next answers go on into the new draft
    await page.getByLabel('开户银行').fill('中国银行福田支行')
    await expect.poll(async () => JSON.stringify((await citizen.get<{ answers: unknown }>(`/api/applications/${kept}`)).body.answers), { timeout: 10_000 }).toContain('中国银行福田支行')
  })

  it('an address naming a draft that no longer exists says so and opens the application afresh, not "check your network"', async () => {
    const [kept] = await draftsOfService()
    expect((await citizen.request('DELETE', `/api/applications/${kept}`)).status).toBe(204)
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}/apply?draft=${kept}`)
    await seen(page.getByRole('status').filter({ hasText: '找不到该地址中的草稿' }))
    await page.waitForURL(url => ![null, kept].includes(url.searchParams.get('draft')))
    await seen(page.getByLabel('开户银行'))
    expect(await page.getByText('申请表加载失败').count()).toBe(0)
    expect(await draftsOfService()).toEqual([new URL(page.url()).searchParams.get('draft')])
  })

  it('the same draft open in two tabs: the tab that has not seen the other\'s save asks whose answers stand instead of overwriting them', async () => {
    // a new draft, not the one the tests above left (the page would offer it first)
    for (const left of await draftsOfService()) expect((await citizen.request('DELETE', `/api/applications/${left}`)).status).toBe(204)
    const { context } = await suite.newContext()
    await addSession(context, suite.url, citizen)
    const first = await context.newPage()
    await first.goto(`/services/${SERVICE}/apply`)
    await first.waitForURL(url => url.searchParams.has('draft'))
    const id = new URL(first.url()).searchParams.get('draft')!
    await waitForHydration(first)
    const second = await context.newPage()
    await second.goto(`/services/${SERVICE}/apply?draft=${id}`)
    await waitForHydration(second)
    await seen(second.getByLabel('开户银行'))

    await first.getByLabel('开户银行').fill('交通银行深圳分行')
    await seen(first.getByText(/草稿已于 .+ 保存/))
    // the second tab never loaded that: its save is refused, and it asks
    await second.getByLabel('本人银行账号').fill('6222020000000001')
    const notice = await seen(second.getByRole('alert').filter({ hasText: /这份草稿已于 .+ 在另一个窗口中修改并保存/ }))
    const saved = async () => (await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${id}`)).body.answers
    expect(await saved()).toMatchObject({ bankName: '交通银行深圳分行' })
    expect((await saved()).bankAccount).toBeUndefined()

    await notice.getByRole('button', { name: '载入另一个窗口保存的内容' }).click()
    expect(await second.getByLabel('开户银行').inputValue()).toBe('交通银行深圳分行')
    expect(await notice.count()).toBe(0)
    // from then on the second tab saves on top of the first's
    await second.getByLabel('本人银行账号').fill('6222020000000002')
    await expect.poll(saved, { timeout: 10_000 }).toMatchObject({ bankName: '交通银行深圳分行', bankAccount: '6222020000000002' })

    // the first tab has not seen that save; this time it keeps its own answers, knowingly
    await first.getByLabel('开户银行').fill('招商银行福田支行')
    const again = await seen(first.getByRole('alert').filter({ hasText: /在另一个窗口中修改并保存/ }))
    await again.getByRole('button', { name: '保留本页的内容并保存' }).click()
    await expect.poll(saved, { timeout: 10_000 }).toMatchObject({ bankName: '招商银行福田支行' })
  })

  it('an answer typed just before the tab is closed is saved as it closes, without a prompt', async () => {
    for (const left of await draftsOfService()) expect((await citizen.request('DELETE', `/api/applications/${left}`)).status).toBe(204)
    // a context without portalContext's request interception, which dies with the page and would
    // take the request meant to outlive it along (the page loads nothing from another host anyway:
    // every other test here checks that)
    const context = await suite.browser.newContext({ baseURL: suite.url, locale: 'zh-CN' })
    contexts.push(context)
    await addSession(context, suite.url, citizen)
    const page = await context.newPage()
    await page.goto(`/services/${SERVICE}/apply`)
    await page.waitForURL(url => url.searchParams.has('draft'))
    const id = new URL(page.url()).searchParams.get('draft')!
    await waitForHydration(page)
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.type())
      void d.dismiss()
    })
    // closed within the autosave's wait (1.5 s), with the page's unload handlers run
    await page.getByLabel('开户银行').fill('中国银行深圳分行')
    await page.close({ runBeforeUnload: true })
    const saved = async () => (await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${id}`)).body.answers.bankName
    await expect.poll(saved, { timeout: 10_000 }).toBe('中国银行深圳分行')
    expect(dialogs).toEqual([])
  })

  it('closing the tab while a save is on its way and another waits asks first, and staying saves both answers', async () => {
    for (const left of await draftsOfService()) expect((await citizen.request('DELETE', `/api/applications/${left}`)).status).toBe(204)
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}/apply`)
    await page.waitForURL(url => url.searchParams.has('draft'))
    const id = new URL(page.url()).searchParams.get('draft')!
    await waitForHydration(page)
    // the first autosave is held on its way (a slow network), so the next one has to wait for it
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route(`**/api/applications/${id}`, async (route) => {
      if (route.request().method() === 'PUT') await held
      await route.fallback()
    })
    const firstSave = page.waitForRequest(r => r.method() === 'PUT' && r.url().endsWith(`/api/applications/${id}`))
    await page.getByLabel('开户银行').fill('中国银行深圳分行')
    await firstSave
    await page.getByLabel('本人银行账号').fill('6222020000000005')
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.type())
      void d.dismiss()
    })
    await page.close({ runBeforeUnload: true })
    await expect.poll(() => dialogs, { timeout: 5_000 }).toEqual(['beforeunload'])
    // the person stays: the held save is answered, and the waiting one follows it
    release()
    const saved = async () => (await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${id}`)).body.answers
    await expect.poll(saved, { timeout: 10_000 }).toMatchObject({ bankName: '中国银行深圳分行', bankAccount: '6222020000000005' })
    expect(page.isClosed()).toBe(false)
  })

  it('an autosave refused for one answer (over its limit) saves the others and leaves focus where the person types', async () => {
    for (const left of await draftsOfService()) expect((await citizen.request('DELETE', `/api/applications/${left}`)).status).toBe(204)
    const page = await citizenPage()
    await page.goto(`/services/${SERVICE}/apply`)
    await page.waitForURL(url => url.searchParams.has('draft'))
    const id = new URL(page.url()).searchParams.get('draft')!
    await waitForHydration(page)
    await page.getByLabel('本人银行账号').fill('6222020000000003')
    const bank = page.getByLabel('开户银行')
    // 开户银行 takes at most 50 characters: a pasted address is longer
    await bank.fill('招商银行'.repeat(13))
    const savedExcept = page.getByRole('status').filter({ hasText: /草稿已于 .+ 保存，但以下答案有误，未保存（草稿中仍是上次保存的内容）：开户银行/ })
    await seen(savedExcept)
    expect(await bank.evaluate(el => el === document.activeElement)).toBe(true)
    expect(await page.getByText('请修改以下问题后再提交').count()).toBe(0)
    const saved = (await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${id}`)).body.answers
    expect(saved.bankAccount).toBe('6222020000000003')
    expect(saved.bankName).toBeUndefined()

    // corrected, it is saved with the rest
    const savedBank = async () => (await citizen.get<{ answers: Record<string, unknown> }>(`/api/applications/${id}`)).body.answers
    await bank.fill('招商银行深圳分行')
    await expect.poll(async () => (await savedBank()).bankName, { timeout: 10_000 }).toBe('招商银行深圳分行')

    // too long again, with another answer changed: the other is saved, and the draft keeps the
    // bank it had (a save replaces the answers whole, and used to drop the refused one)
    await page.getByLabel('本人银行账号').fill('6222020000000004')
    await bank.fill('招商银行深圳分行'.repeat(8))
    await expect.poll(async () => (await savedBank()).bankAccount, { timeout: 10_000 }).toBe('6222020000000004')
    await seen(savedExcept)
    expect((await savedBank()).bankName).toBe('招商银行深圳分行')
  })
})
