/**
 * A citizen's and a manager's pages when something goes wrong or takes time: a list whose API call
 * fails says so and offers to try again instead of reading "no messages"; an ended session on a
 * case page is not a 500 page; a correction cannot be sent while its new file is still uploading
 * (the case would go back with the very files it was returned for); after withdrawing, focus
 * lands on the outcome, announced in a live region that was already there (WCAG 2.4.3, 4.1.3);
 * an ID number pasted with a leading space is not cut short, and tracking sends it in a POST
 * body, never a URL; a case number locked after failed look-ups says how to see the case; labels
 * and months follow the language (全角冒号, 2026年11月 / Nov 2026).
 */
import type { Page, Route } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, requestsTo, seen, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { CLERK_SERVICE, createDraft, demoPerson, getCase, RESULT_SERVICE, submitOnline, syntheticIdNumber, uniquePdf } from '../support/fixtures'
import { makeIdNumber } from '../../shared/utils/id-number'

const suite = useBrowserSuite()
let citizen: Client
let clerk: Client

beforeAll(async () => {
  citizen = await signedIn(suite.url, 'citizen')
  clerk = await signedIn(suite.url, 'clerk')
})

async function pageAs(who: Client | null): Promise<Page> {
  const { context } = await suite.newContext()
  if (who) {
    await addSession(context, suite.url, who)
  }
  return context.newPage()
}

/** Opens `start` (rendered by the server), then makes `path`'s GET fail with `status` in the browser. */
async function openWithFailing(page: Page, start: string, path: RegExp, status = 500): Promise<(route: Route) => Promise<void>> {
  await page.goto(start)
  await settled(page)
  const fail = (route: Route) => route.request().method() === 'GET' && path.test(new URL(route.request().url()).pathname)
    ? route.fulfill({ status, contentType: 'application/json', body: JSON.stringify({ statusCode: status, message: 'failed' }) })
    : route.fallback()
  await page.route('**/api/**', fail)
  return fail
}

/** What has focus, in words a failure message can show; `marked` is the element the test tagged. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return { tag: el?.tagName ?? '', role: el?.getAttribute('role') ?? '', text: (el?.textContent ?? '').trim(), marked: el?.hasAttribute('data-test-live') ?? false }
})

describe('a page whose data could not be loaded says so, with a way to try again', () => {
  it('my messages: an alert, not "no messages" (one may be a supplement notice with a deadline)', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'messages-fail')
    const page = await pageAs(citizen)
    const fail = await openWithFailing(page, '/me/cases', /^\/api\/me\/messages$/)
    await page.getByRole('main').getByRole('link', { name: '我的消息' }).click()
    await page.waitForURL(/\/me\/messages$/)
    const alert = page.getByRole('alert').filter({ hasText: '未能读取这些内容' })
    await alert.waitFor()
    expect(await page.getByText('暂无消息').count()).toBe(0)
    await page.unroute('**/api/**', fail)
    await alert.getByRole('button', { name: '重新读取' }).click()
    await page.getByText(`您的申请 ${caseNo} 已提交`).waitFor()
    expect(await alert.count()).toBe(0)
    // the button went with the alert: focus is on the page's heading, not dropped to <body>
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: '我的消息' })
  })

  it('my cases: an alert, not "no cases", and past the last page a link to it', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'cases-fail')
    const page = await pageAs(citizen)
    const fail = await openWithFailing(page, '/me/messages', /^\/api\/cases$/)
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的办件' }).click()
    await page.waitForURL(/\/me\/cases$/)
    const alert = page.getByRole('alert').filter({ hasText: '未能读取这些内容' })
    await alert.waitFor()
    expect(await page.getByText('暂无').count()).toBe(0)
    await page.unroute('**/api/**', fail)
    await alert.getByRole('button', { name: '重新读取' }).click()
    await page.getByRole('link', { name: caseNo }).or(page.getByText(caseNo)).first().waitFor()
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: '我的办件' })

    await page.goto('/me/cases?page=99')
    const note = page.getByText(/^第 99 页已经没有办件（共 \d+ 页）。/)
    await note.waitFor()
    const last = Number(/共 (\d+) 页/.exec(await note.innerText())![1])
    await page.getByRole('link', { name: `转到第 ${last} 页` }).click()
    await page.waitForURL(url => url.searchParams.get('page') === String(last))
    await page.getByRole('main').getByRole('listitem').first().waitFor()
  })

  it('my drafts: an alert, not a list that silently vanished', async () => {
    await createDraft(citizen, CLERK_SERVICE)
    const page = await pageAs(citizen)
    const fail = await openWithFailing(page, '/me/cases', /^\/api\/applications$/)
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的申请' }).click()
    await page.waitForURL(/\/me\/applications$/)
    const alert = page.getByRole('alert').filter({ hasText: '未能读取这些内容' })
    await alert.waitFor()
    expect(await page.getByRole('table').count()).toBe(0)
    await page.unroute('**/api/**', fail)
    await alert.getByRole('button', { name: '重新读取' }).click()
    await page.getByRole('table').getByRole('link', { name: /继续填写/ }).first().waitFor()
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: '我的申请（草稿）' })
  })

  it('supervision: an alert, not headings over empty tables that read as "all in order"', async () => {
    const page = await pageAs(await signedIn(suite.url, 'manager'))
    const fail = await openWithFailing(page, '/manage/reports', /^\/api\/supervision$/)
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '电子监察' }).click()
    await page.waitForURL(/\/manage\/supervision$/)
    const alert = page.getByRole('alert').filter({ hasText: '电子监察数据暂时无法读取' })
    await alert.waitFor()
    expect(await page.getByRole('heading', { name: '各部门按时办结情况' }).count()).toBe(0)
    await page.unroute('**/api/**', fail)
    await alert.getByRole('button', { name: '重新读取' }).click()
    await page.getByRole('heading', { name: '各部门按时办结情况' }).waitFor()
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: '电子监察' })
  })

  it('a case: after loading it again, focus is on the case\'s heading, not dropped to <body>', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'case-retry')
    const page = await pageAs(citizen)
    const fail = await openWithFailing(page, '/me/cases', new RegExp(`^/api/cases/${caseNo}$`))
    await page.locator(`main a[href="/me/cases/${caseNo}"]`).click()
    await page.waitForURL(new RegExp(`/me/cases/${caseNo}$`))
    const alert = page.getByRole('alert').filter({ hasText: '未能读取这些内容' })
    await alert.waitFor()
    await page.unroute('**/api/**', fail)
    await alert.getByRole('button', { name: '重新读取' }).click()
    await page.getByRole('button', { name: '撤回申请' }).waitFor()
    const heading = (await page.getByRole('heading', { level: 1 }).textContent())!.trim()
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: heading })
  })

  it('a service guide: an alert under a title, not a blank page with an empty <title>', async () => {
    const page = await pageAs(null)
    const fail = await openWithFailing(page, '/services', /^\/api\/services\/[^/]+$/)
    await page.getByRole('main').locator('a[href*="/services/SZ"]').first().click()
    await page.waitForURL(/\/services\/SZ[^/]+$/)
    const alert = page.getByRole('alert').filter({ hasText: '办事指南暂时无法读取' })
    await alert.waitFor()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('办事指南')
    expect(await page.title()).toContain('办事指南')
    await page.unroute('**/api/**', fail)
    await alert.getByRole('button', { name: '重新读取' }).click()
    await page.getByRole('button', { name: '打印指南' }).waitFor()
    expect(await alert.count()).toBe(0)
    // the retry button went with the alert: focus is on the guide's title
    const title = (await page.getByRole('heading', { level: 1 }).textContent())!.trim()
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: title })
  })

  it('a service guide printed says which service it is: its title, department and code, without the site\'s header', async () => {
    const page = await pageAs(null)
    await page.goto('/services/SZRS-0004')
    const title = page.getByRole('heading', { level: 1 })
    await title.waitFor()
    await page.emulateMedia({ media: 'print' })
    expect(await title.isVisible()).toBe(true)
    expect(await page.getByText('事项编码 SZRS-0004').isVisible()).toBe(true)
    expect(await page.locator('.site-header').isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: '打印指南' }).isVisible()).toBe(false)
  })

  it('a service guide\'s Chinese fees and steps are joined with the Chinese colon', async () => {
    const page = await pageAs(null)
    await page.goto('/services/SZRS-0004')
    const steps = await page.getByRole('region', { name: '办理流程' }).getByRole('listitem').allTextContents()
    expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) expect(step).toMatch(/^[^:]+：/)
  })

  it('a case whose session has ended (401) is not a 500 page and does not say "try again later"', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'case-401')
    const page = await pageAs(citizen)
    await openWithFailing(page, '/me/cases', new RegExp(`^/api/cases/${caseNo}$`), 401)
    await page.locator(`main a[href="/me/cases/${caseNo}"]`).click()
    await page.waitForURL(new RegExp(`/me/cases/${caseNo}$`))
    await page.getByRole('heading', { level: 1, name: `我的办件 ${caseNo}` }).waitFor()
    const text = await page.locator('body').innerText()
    expect(text).not.toContain('出错了')
    expect(text).not.toContain('稍后')
  })
})

describe('the catalogue\'s filters', () => {
  it('are kept by a new search, and changing one adds no step for Back to walk through', async () => {
    const page = await pageAs(null)
    await page.goto('/services')
    await waitForHydration(page)
    const length = () => page.evaluate(() => history.length)
    const before = await length()
    await page.getByLabel('实施部门').selectOption('SZRS')
    await page.waitForURL(url => url.searchParams.get('dept') === 'SZRS')
    await page.getByLabel('服务对象').selectOption('person')
    await page.waitForURL(url => url.searchParams.get('audience') === 'person')
    expect(await length()).toBe(before)

    await page.getByRole('searchbox').fill('补贴')
    await page.getByRole('button', { name: '搜索', exact: true }).click()
    await page.waitForURL(url => url.searchParams.get('q') === '补贴')
    const url = new URL(page.url())
    expect([url.searchParams.get('dept'), url.searchParams.get('audience')]).toEqual(['SZRS', 'person'])
    expect(await page.getByLabel('实施部门').inputValue()).toBe('SZRS')
    await settled(page)
    const cards = await page.getByRole('main').locator('a[href*="/services/SZ"]').allTextContents()
    expect(cards.length).toBeGreaterThan(0)
  })
})

describe('a search that finds nothing', () => {
  it('offers the items close to the words typed, how to search instead, and the most used, in both languages', async () => {
    const page = await pageAs(null)
    await page.goto(`/services?q=${encodeURIComponent('社保卡申领')}`)
    await settled(page)
    await seen(page.getByRole('status').filter({ hasText: '共找到 0 个事项' }))
    const close = page.getByRole('region', { name: '与“社保卡申领”相近的事项' })
    await seen(close.getByRole('link', { name: '社会保障卡申领' }))
    await seen(page.getByRole('heading', { name: '常用事项' }))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
    // the link leads to the item
    await close.getByRole('link', { name: '社会保障卡申领' }).click()
    await page.waitForURL(/\/services\/SZRS-0004$/)
    await page.goto(`/en/services?q=${encodeURIComponent('社保卡申领')}`)
    await settled(page)
    await seen(page.getByRole('heading', { name: 'Services close to “社保卡申领”' }))
    await seen(page.getByRole('heading', { name: 'Most used services' }))
  })
})

describe('a citizen acting on a case', () => {
  it('cannot send corrections while the new file is still uploading, and is told why', async () => {
    const { caseNo, upload } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'upload-in-flight')
    const res = await clerk.post(`/api/cases/${caseNo}/transitions`, {
      action: 'return', version: (await getCase(clerk, caseNo)).version, comment: '照片回执不清晰，请重新上传。',
      supplement: { fields: ['digitalPhotoReceiptFile'], materials: [] },
    })
    expect(res.status).toBe(200)
    const page = await pageAs(citizen)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    // the clock waits on the applicant: the reason stands for the deadline, not the stale date
    const deadline = page.locator('xpath=//dt[normalize-space()="时限"]/following-sibling::dd[1]')
    expect(await deadline.innerText()).toContain('等待申请人补正')
    expect(await deadline.locator('time').count()).toBe(0)
    // the upload is held until the test lets it through: no timing involved
    let release!: () => void
    const held = new Promise<void>((r) => { release = r })
    await page.route('**/api/uploads', async (route) => {
      await held
      await route.fallback()
    })
    const transitions: string[] = []
    page.on('request', r => r.url().includes('/transitions') && transitions.push(r.method()))

    await page.locator('#fix-digitalPhotoReceiptFile').setInputFiles({ name: 'clear-receipt.pdf', mimeType: 'application/pdf', buffer: uniquePdf('clear-receipt') })
    await page.getByText('正在上传…').waitFor()
    await page.getByRole('button', { name: '提交补正' }).click()
    const summary = page.getByRole('alert').filter({ hasText: '文件还在上传' })
    await summary.waitFor()
    expect(transitions).toEqual([])
    expect((await getCase(citizen, caseNo)).status).toBe('supplement')

    release()
    await page.getByRole('button', { name: '移除 clear-receipt.pdf' }).waitFor()
    await page.getByRole('button', { name: '提交补正' }).click()
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'P', role: 'status', text: '已完成操作：补正后重新提交' })
    const after = await getCase(citizen, caseNo)
    expect(after.status).toBe('submitted')
    // the clerk gets the new file, not the one the case was returned for
    const files = after.materials.filter(m => m.fieldKey === 'digitalPhotoReceiptFile').map(m => m.uploadId)
    expect(files).toHaveLength(1)
    expect(files).not.toContain(upload.id)
  })

  it('corrects an answer by keyboard from the error summary: typing stays in the field', async () => {
    // 职业技能培训补贴申领: its bank's name is a text field
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), RESULT_SERVICE, 'typing-stays')
    const res = await clerk.post(`/api/cases/${caseNo}/transitions`, {
      action: 'return', version: (await getCase(clerk, caseNo)).version, comment: '开户银行名称不完整。',
      supplement: { fields: ['bankName'], materials: [] },
    })
    expect(res.status).toBe(200)
    const page = await pageAs(citizen)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    const sent = requestsTo(page, /\/transitions$/)
    // unchanged: the notice asked for this answer, which the page says before sending, as the
    // server would (notCorrected), and the summary takes focus
    await page.getByRole('button', { name: '提交补正' }).click()
    const summary = page.getByRole('alert').filter({ has: page.getByRole('link') })
    await summary.waitFor()
    expect(await summary.getByRole('link').innerText()).toContain('一次性告知要求补正这一项，但内容没有修改')
    expect(sent).toEqual([])
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fix-bankName')
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('中国银行深圳福田支行')
    // each key used to make the summary anew, which took focus back after the first character
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fix-bankName')
    expect(await page.locator('#fix-bankName').inputValue()).toBe('中国银行深圳福田支行')
    await page.getByRole('button', { name: '提交补正' }).click()
    await seen(page.getByRole('status').filter({ hasText: '已完成操作：补正后重新提交' }))
    expect((await getCase(citizen, caseNo)).answers.bankName).toBe('中国银行深圳福田支行')
  })

  it('after withdrawing by keyboard, lands on the outcome, announced in a live region that was already there', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'withdraw-focus')
    const page = await pageAs(citizen)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    // a live region inserted together with its text is not announced by many screen readers:
    // the region must be on the page, empty, before anything happens
    const live = page.locator('main [role="status"]').filter({ hasText: /^\s*$/ }).first()
    expect(await live.count()).toBe(1)
    await live.evaluate(el => el.setAttribute('data-test-live', ''))
    page.once('dialog', d => void d.accept())
    await page.getByRole('button', { name: '撤回申请' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'P', role: 'status', marked: true, text: '已完成操作：撤回申请' })
    expect((await getCase(citizen, caseNo)).status).toBe('withdrawn')
    // a withdrawn case will never be completed: no promise of a rating once it is
    await page.getByText('该办件已撤回或不予受理，没有办结，不作评价。').waitFor()
    expect(await page.getByText('办结后可以对本次服务进行评价。').count()).toBe(0)
  })
})

describe('a citizen whose session ended on a case page', () => {
  it('pressing withdraw again is answered again by the session notice, not met with silence', async () => {
    const own = await signedIn(suite.url, 'citizen')
    const { caseNo } = await submitOnline(own, demoPerson('citizen'), CLERK_SERVICE, 'withdraw-401')
    const page = await pageAs(own)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    expect((await own.post('/api/auth/logout')).status).toBe(200)
    page.on('dialog', d => void d.accept())
    const withdraw = page.getByRole('button', { name: '撤回申请' })
    await withdraw.click()
    // the layout's live region, at the top of main (the page itself says nothing on a 401)
    const notice = page.locator('main [aria-live="assertive"]').filter({ hasText: '您的登录已结束' })
    await notice.waitFor()
    const firstTime = (await notice.locator('p').first().elementHandle())!
    await withdraw.click()
    // said again: the notice's text is put into the region anew, which screen readers read out
    await expect.poll(() => firstTime.evaluate(el => el.isConnected)).toBe(false)
    await notice.waitFor()
    expect((await getCase(citizen, caseNo)).status).toBe('submitted')
  })
})

describe('an ID number pasted with a leading space', () => {
  it('is kept whole on the registration page, and the account is created', async () => {
    const id = syntheticIdNumber(7301)
    const page = await pageAs(null)
    await page.goto('/register')
    await settled(page)
    await page.getByLabel('用户名').fill(`paste${Date.now().toString(36)}`)
    await page.getByLabel('密码', { exact: true }).fill('a sentence easy to remember')
    await page.getByLabel('姓名').fill('粘贴测试')
    const idInput = page.getByLabel('身份证号码')
    await idInput.focus()
    // insertText goes through the browser's editing, as a paste does: maxlength would cut it
    await page.keyboard.insertText(` ${id}`)
    expect(await idInput.inputValue()).toBe(` ${id}`)
    await page.getByLabel('手机号码').fill('13900007301')
    await Promise.all([
      page.waitForURL(url => !url.pathname.endsWith('/register')),
      page.getByRole('button', { name: '注册' }).click(),
    ])
  })

  it('is kept whole on the tracking page, and the case is found', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'track-paste')
    const page = await pageAs(null)
    await page.goto('/track')
    await settled(page)
    await page.getByLabel('办件编号').fill(caseNo)
    const idInput = page.getByLabel('申请人身份证号码')
    await idInput.focus()
    await page.keyboard.insertText(` ${demoPerson('citizen').idNumber}`)
    expect(await idInput.inputValue()).toBe(` ${demoPerson('citizen').idNumber}`)
    // the ID number goes in a POST body: a URL with it would reach proxies' access logs
    const asked: string[] = []
    page.on('request', (r) => { if (r.url().includes('/api/track')) asked.push(`${r.method()} ${r.url()}`) })
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByRole('heading', { name: '查询结果' }).waitFor()
    expect(asked).toEqual([`POST ${suite.url}/api/track`])

    // switching language keeps the look-up (the page is built afresh in the other language)
    await page.getByRole('link', { name: 'English' }).click()
    await page.waitForURL(url => url.pathname === '/en/track')
    await page.getByRole('heading', { name: 'Result' }).waitFor()
    expect(await page.getByLabel('Case number').inputValue()).toBe(caseNo)
    // and is not handed to whoever opens tracking next from another page
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Service guides' }).click()
    await page.waitForURL(url => url.pathname === '/en/services')
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Track a case' }).click()
    await page.waitForURL(url => url.pathname === '/en/track')
    expect(await page.getByLabel('Case number').inputValue()).toBe('')
    expect(await page.getByRole('heading', { name: 'Result' }).count()).toBe(0)
  })
})

describe('a case number locked after failed look-ups', () => {
  it('is explained on the tracking page, with a way to sign in and see the case', async () => {
    const me = demoPerson('citizen')
    const { caseNo } = await submitOnline(citizen, me, CLERK_SERVICE, 'track-locked')
    for (let n = 1; n <= 5; n++) {
      const res = await citizen.post('/api/track', { caseNo, idNumber: makeIdNumber(`${me.idNumber.slice(0, 6)}1980010${n}${me.idNumber.slice(14, 17)}`) })
      expect(res.status).toBe(404)
    }
    const page = await pageAs(null)
    await page.goto('/track')
    await settled(page)
    await page.getByLabel('办件编号').fill(caseNo)
    await page.getByLabel('申请人身份证号码').fill(me.idNumber)
    await page.getByRole('button', { name: '查询' }).click()
    const signIn = page.getByRole('status').getByRole('link', { name: '登录查看我的办件' })
    await signIn.waitFor()
    expect(await page.getByRole('status').innerText()).toContain('今天查询失败次数过多')
    expect(await signIn.getAttribute('href')).toBe('/login?redirect=/me/cases')
  })
})

describe('a receipt opened again after the department has accepted the case', () => {
  it('gives the case\'s status, not the completion deadline labelled as the acceptance deadline', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'receipt-later')
    const page = await pageAs(citizen)
    await page.goto(`/me/cases/${caseNo}/receipt`)
    await page.getByText('受理期限', { exact: true }).waitFor({ state: 'visible' })
    const { version } = await getCase(clerk, caseNo)
    expect((await clerk.post(`/api/cases/${caseNo}/transitions`, { action: 'accept', version })).status).toBe(200)

    await page.reload()
    await page.getByText('目前状态').waitFor({ state: 'visible' })
    await page.getByText('已受理，办理中').waitFor({ state: 'visible' })
    expect(await page.getByText('受理期限', { exact: true }).count()).toBe(0)
    expect(await page.getByText(/前决定是否受理$/).count()).toBe(0)
  })
})

describe('a number question', () => {
  it('says its allowed range under the label, read with the field, before anything is typed; a text one its count against its limit', async () => {
    const page = await pageAs(citizen)
    // SZSJ-0001: 资金数额（万元） takes 0 to 10000
    await page.goto('/services/SZSJ-0001/apply#field-capital')
    const capital = page.locator('#field-capital')
    await capital.waitFor({ state: 'visible' })
    const range = page.getByText('请填写 0 至 10000 之间的数')
    await range.waitFor({ state: 'visible' })
    expect((await capital.getAttribute('aria-describedby'))?.split(' ')).toContain(await range.getAttribute('id'))

    // and a text question counts its characters against its limit as the person types
    const scope = page.locator('#field-businessScope')
    await scope.fill('零售日用百货')
    const count = page.getByText('已输入 6 / 500 字')
    await count.waitFor({ state: 'visible' })
    expect((await scope.getAttribute('aria-describedby'))?.split(' ')).toContain(await count.getAttribute('id'))
  })
})

describe('my documents', () => {
  it('says how long a document no application uses is kept, instead of promising to keep every one', async () => {
    const page = await pageAs(citizen)
    await page.goto('/me/materials')
    await page.getByText('用于已提交申请的材料会一直保留；未用于任何申请的材料，上传 30 天后将被自动删除。').waitFor({ state: 'visible' })
    expect(await page.getByText('您上传过的材料都保存在这里').count()).toBe(0)
  })
})

describe('labels and months in the page\'s language', () => {
  it('my cases and a case\'s history use the Chinese colon, not "label: value"', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'colons')
    const page = await pageAs(citizen)
    await page.goto('/me/cases')
    await settled(page)
    const list = await page.getByRole('main').innerText()
    expect(list).toContain('办件编号：')
    expect(list).not.toMatch(/[\u4E00-\u9FFF]:/)
    await page.goto(`/me/cases/${caseNo}`)
    await settled(page)
    const history = await page.getByRole('region', { name: '办理进度' }).innerText()
    expect(history).toContain('状态：已提交，待受理')
    expect(history).not.toContain('状态:')
  })

  it('the report names the period with the Chinese colon and the trend\'s months as 2026年11月, or Nov 2026 in English', async () => {
    await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'trend-month')
    const page = await pageAs(await signedIn(suite.url, 'manager'))
    await page.goto('/manage/reports')
    await settled(page)
    expect(await page.getByRole('main').innerText()).toContain('统计期间：')
    // the table is the chart's text alternative, behind a disclosure
    await page.locator('summary', { hasText: '月度数据表' }).click()
    const zhMonths = (await page.getByRole('table', { name: '月度数据表' }).locator('tbody th').allInnerTexts()).map(s => s.trim())
    expect(zhMonths.length).toBeGreaterThan(0)
    for (const m of zhMonths) expect(m).toMatch(/^\d{4}年\d{1,2}月$/)
    await page.goto('/en/manage/reports')
    await settled(page)
    expect(await page.getByRole('main').innerText()).toContain('Period: ')
    await page.locator('summary', { hasText: 'Monthly figures' }).click()
    const enMonths = (await page.getByRole('table', { name: 'Monthly figures' }).locator('tbody th').allInnerTexts()).map(s => s.trim())
    expect(enMonths.length).toBe(zhMonths.length)
    for (const m of enMonths) expect(m).toMatch(/^[A-Z][a-z]{2} \d{4}$/)
  })
})

describe('a citizen looking for their messages', () => {
  it('finds them in the main navigation on every page, in both languages', async () => {
    const page = await pageAs(citizen)
    await page.goto('/services')
    await settled(page)
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的消息' }).click()
    await page.waitForURL(url => url.pathname === '/me/messages')
    await seen(page.getByRole('heading', { level: 1, name: '我的消息' }))
    await page.goto('/en/services')
    await settled(page)
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My messages' }).getAttribute('href')).toBe('/en/me/messages')
  })
})

describe('a screen-reader user among many unread messages', () => {
  it('hears which message each "mark as read" button is for', async () => {
    const { caseNo } = await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'message-button')
    const page = await pageAs(citizen)
    await page.goto('/me/messages')
    await settled(page)
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: `查看办件 ${caseNo}` }) }).first()
    const button = item.getByRole('button', { name: '标为已读' })
    const describedBy = await button.getAttribute('aria-describedby')
    expect(describedBy).toMatch(/^message-\d+$/)
    expect(await page.locator(`#${describedBy}`).textContent()).toContain(caseNo)
  })
})

describe('a citizen with many unread messages', () => {
  it('marks them all read at once, and is left at the page\'s heading', async () => {
    await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'mark-all-read')
    const page = await pageAs(citizen)
    await page.goto('/services')
    await settled(page)
    // the navigation says how many wait, in words to a screen reader
    const unread = (await citizen.get<{ unread: number }>('/api/me/messages')).body.unread
    expect(unread).toBeGreaterThan(0)
    const messagesLink = page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /^我的消息/ })
    expect((await messagesLink.textContent())?.replace(/\s+/g, '')).toBe(`我的消息${unread}（${unread}条未读）`)
    await messagesLink.click()
    await page.waitForURL(url => url.pathname === '/me/messages')
    await settled(page)
    await page.getByRole('button', { name: '全部标为已读' }).click()
    await expect.poll(() => page.getByRole('button', { name: '标为已读' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: '全部标为已读' }).count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect((await citizen.get<{ unread: number }>('/api/me/messages')).body.unread).toBe(0)
    // and the count in the navigation goes with them, without reloading the page
    expect((await messagesLink.textContent())?.trim()).toBe('我的消息')
  })

  it('is told when marking them read failed, and they stay unread', async () => {
    await submitOnline(citizen, demoPerson('citizen'), CLERK_SERVICE, 'mark-all-fails')
    const page = await pageAs(citizen)
    await page.route('**/api/me/messages/read-all', route => route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503,"message":"Service Unavailable"}' }))
    await page.goto('/me/messages')
    await settled(page)
    await page.getByRole('button', { name: '全部标为已读' }).click()
    const alert = page.getByRole('alert').filter({ hasText: '未能标为已读' })
    await seen(alert)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')
    expect(await page.getByRole('button', { name: '全部标为已读' }).count()).toBe(1)
    expect((await citizen.get<{ unread: number }>('/api/me/messages')).body.unread).toBeGreaterThan(0)
  })
})
