/**
 * Counter intake when the answer is lost: the clerk presses 登记收件 once, the server makes the
 * case, and the connection drops before the page hears of it. The page asks again with the same
 * Idempotency-Key and shows the case that was made; the person at the counter has one case, not
 * two. Then what the clerk hands over: the receipt (收件凭证) with the paper materials ticked; the
 * answers kept while the clerk moves through the list of items; and what the page says when the
 * server's answer is lost or the item was withdrawn meanwhile. The items are 社会保障卡申领
 * (SZRS-0004) and 个人参保证明查询打印 (SZRS-0006, no form), of the demo clerk's department.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { hasHorizontalScroll, requestsTo, signInThroughPage, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { getCase, syntheticIdNumber, uniquePdf } from '../support/fixtures'
import { makeUscc } from '../../shared/utils/uscc'
import { DEMO_LEGAL_ENTITIES } from '../../db/seed/legal-entities'

const suite = useBrowserSuite()
let clerk: Client
let page: Page

beforeAll(async () => {
  clerk = await signedIn(suite.url, 'clerk')
  page = await suite.newPage()
  await signInThroughPage(page, 'clerk')
})

const submittedTotal = async () => (await clerk.get('/api/cases?status=submitted')).body.total as number

describe('the counter page when the answer to an intake is lost', () => {
  it('asks again with the same key and shows the one case the server made', async () => {
    const keys: string[] = []
    let madeBeforeTheDrop = ''
    await page.route('**/api/counter-cases', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '')
      if (keys.length > 1) return route.continue()
      // the server receives the intake and answers; the page never hears the answer
      const response = await route.fetch()
      madeBeforeTheDrop = (await response.json() as { caseNo: string }).caseNo
      await route.abort('connectionreset')
    })
    const before = await submittedTotal()
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    await page.getByLabel('姓名', { exact: true }).fill('孙窗口')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(5151))
    await page.getByLabel('手机号码', { exact: true }).fill('13900005151')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await page.getByRole('button', { name: '登记收件' }).click()

    const created = page.getByRole('status').filter({ hasText: '已登记收件' })
    await created.waitFor({ state: 'visible' })
    expect(madeBeforeTheDrop).toMatch(/^SZ\d{14}$/)
    expect(await created.textContent()).toContain(madeBeforeTheDrop)
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(keys[1]).toBe(keys[0])
    expect(await submittedTotal()).toBe(before + 1)
    await page.unroute('**/api/counter-cases')
  })

  it('shows a field once the answer it depends on is given, and records the case with it', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    expect(await page.getByLabel('邮寄地址').count()).toBe(0)
    await page.getByLabel('姓名', { exact: true }).fill('吴邮寄')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(5353))
    await page.getByLabel('手机号码', { exact: true }).fill('13900005353')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '邮寄到家' }).check()
    await page.getByLabel('邮寄地址').fill('深圳市福田区福中三路市民中心B区')
    // and hidden again when the answer changes back
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await expect.poll(() => page.getByLabel('邮寄地址').count()).toBe(0)
    await page.getByRole('radio', { name: '邮寄到家' }).check()
    await page.getByRole('button', { name: '登记收件' }).click()
    const created = page.getByRole('status').filter({ hasText: '已登记收件' })
    await created.waitFor({ state: 'visible' })
    const caseNo = /SZ\d{14}/.exec(await created.textContent() ?? '')![0]
    expect((await getCase(clerk, caseNo)).answers).toMatchObject({ collectWay: 'mail', mailAddress: '深圳市福田区福中三路市民中心B区' })
  })

  it('uses a new key for the next intake', async () => {
    const keys: string[] = []
    await page.route('**/api/counter-cases', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '')
      await route.continue()
    })
    const before = await submittedTotal()
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    await page.getByLabel('姓名', { exact: true }).fill('周窗口')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(5252))
    await page.getByLabel('手机号码', { exact: true }).fill('13900005252')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国工商银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await page.getByRole('button', { name: '登记收件' }).click()
    await page.getByRole('status').filter({ hasText: '已登记收件' }).waitFor({ state: 'visible' })
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/)
    expect(await submittedTotal()).toBe(before + 1)
  })

  it('will not record the intake while a scan is still uploading, and records it with the scan once it has arrived', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => { release = r })
    await page.route('**/api/uploads', async (route) => {
      await held
      await route.fallback()
    })
    const intakes: string[] = []
    page.on('request', r => r.url().endsWith('/api/counter-cases') && intakes.push(r.method()))
    await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    await page.getByLabel('姓名', { exact: true }).fill('吴窗口')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(5353))
    await page.getByLabel('手机号码', { exact: true }).fill('13900005353')
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await page.locator('#answer-digitalPhotoReceiptFile').setInputFiles({ name: 'counter-scan.pdf', mimeType: 'application/pdf', buffer: uniquePdf('counter-scan') })
    await page.getByText('正在上传…').waitFor()
    await page.getByRole('button', { name: '登记收件' }).click()
    await page.getByRole('alert').filter({ hasText: '文件还在上传' }).first().waitFor()
    expect(intakes).toEqual([])

    release()
    await page.getByRole('button', { name: '移除 counter-scan.pdf' }).waitFor()
    await page.getByRole('button', { name: '登记收件' }).click()
    const created = page.getByRole('status').filter({ hasText: '已登记收件' })
    await created.waitFor({ state: 'visible' })
    const caseNo = /SZ\d{14}/.exec(await created.textContent() ?? '')![0]
    const kase = (await clerk.get(`/api/cases/${caseNo}`)).body as { materials: { fieldKey: string, name: string }[] }
    expect(kase.materials.map(m => [m.fieldKey, m.name])).toEqual([['digitalPhotoReceiptFile', 'counter-scan.pdf']])
    await page.unroute('**/api/uploads')
  })
})

describe('the counter page for an item for organisations whose form does not name the organisation', () => {
  /** The item's audience, set as an administrator would (the catalogue has no such item in the demo clerk's department). */
  function audienceOf(code: string, audience: string) {
    const db = new Database(join(suite.server.dataDir, 'portal.db'))
    try {
      db.prepare('UPDATE services SET audience = ? WHERE code = ?').run(audience, code)
    }
    finally {
      db.close()
    }
  }

  it('asks the organisation\'s name and USCC, as the server requires them, and records them with the case', async () => {
    audienceOf('SZRS-0004', 'organization')
    try {
      const uscc = makeUscc('91440300MA5G67890')
      await page.goto('/clerk/counter')
      await waitForHydration(page)
      await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
      await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
      await expect(page.getByLabel('单位名称', { exact: true }).isVisible()).resolves.toBe(true)
      await expect(page.getByLabel('统一社会信用代码', { exact: true }).isVisible()).resolves.toBe(true)
      await page.getByLabel('姓名', { exact: true }).fill('郑窗口')
      await page.getByLabel('身份证号码').fill(syntheticIdNumber(5454))
      await page.getByLabel('手机号码', { exact: true }).fill('13900005454')
      await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
      await page.getByRole('radio', { name: '银行网点领取' }).check()
      // a code with a wrong check character is refused by the server, on the input the page shows
      await page.getByLabel('单位名称', { exact: true }).fill('深圳市窗口示例有限公司')
      await page.getByLabel('统一社会信用代码', { exact: true }).fill(uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0'))
      await page.getByRole('button', { name: '登记收件' }).click()
      await page.locator('#answer-orgCode-error').waitFor({ state: 'visible' })
      expect(await page.getByLabel('统一社会信用代码', { exact: true }).getAttribute('aria-invalid')).toBe('true')

      await page.getByLabel('统一社会信用代码', { exact: true }).fill(uscc)
      // looked up as typed, before the case is taken in
      await page.getByRole('status').filter({ hasText: '法人库：本市法人库中没有该统一社会信用代码（可能在外地登记），请核验营业执照。' }).waitFor()
      await page.getByRole('button', { name: '登记收件' }).click()
      const created = page.getByRole('status').filter({ hasText: '已登记收件' })
      await created.waitFor({ state: 'visible' })
      const caseNo = /SZ\d{14}/.exec(await created.textContent() ?? '')![0]
      const kase = (await clerk.get(`/api/cases/${caseNo}`)).body as { answers: Record<string, unknown> }
      expect(kase.answers.orgName).toBe('深圳市窗口示例有限公司')
      // the case page shows those answers under their labels, not their keys
      await page.goto(`/clerk/cases/${caseNo}`)
      await waitForHydration(page)
      const terms = (await page.locator('dl dt').allTextContents()).map(s => s.trim())
      expect(terms).toEqual(expect.arrayContaining(['单位名称', '统一社会信用代码']))
      expect(terms).not.toContain('orgName')
      expect(terms).not.toContain('orgCode')
      await page.getByText('法人库核验（按今日数据）：本市法人库中没有该统一社会信用代码', { exact: false }).waitFor()
    }
    finally {
      audienceOf('SZRS-0004', 'person')
    }
  })

  it('says what the legal-entity data registers under the code typed: a company deregistered, a name that differs', async () => {
    audienceOf('SZRS-0004', 'organization')
    try {
      const [own, , , closed] = DEMO_LEGAL_ENTITIES
      await page.goto('/clerk/counter')
      await waitForHydration(page)
      await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
      const code = page.getByLabel('统一社会信用代码', { exact: true })
      await code.waitFor({ state: 'visible' })
      await page.getByLabel('单位名称', { exact: true }).fill('深圳市晓明信息技术公司')
      // typed in its groups, as people read it off the licence
      await code.fill(`${own!.uscc.slice(0, 8)} ${own!.uscc.slice(8)}`)
      await page.getByRole('status').filter({ hasText: '法人库：登记名称“深圳市晓明信息技术有限公司”，存续；与填写的单位名称不一致，请按营业执照核对。' }).waitFor()
      await code.fill(closed!.uscc)
      await page.getByRole('status').filter({ hasText: '法人库：该单位已于 2025年6月30日 注销（登记名称“深圳市南山旧城贸易有限公司”）。' }).waitFor()
    }
    finally {
      audienceOf('SZRS-0004', 'person')
    }
  })
})

/** The item's status, set as an administrator would by withdrawing or restoring it. */
function statusOf(code: string, status: 'published' | 'withdrawn') {
  const db = new Database(join(suite.server.dataDir, 'portal.db'))
  try {
    db.prepare('UPDATE services SET status = ? WHERE code = ?').run(status, code)
  }
  finally {
    db.close()
  }
}

/** A day as the Chinese pages write it (2026年12月11日). */
const zhDay = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(new Date(`${iso}T12:00:00+08:00`))

async function fillApplicant(name: string, serial: number) {
  await page.getByLabel('姓名', { exact: true }).fill(name)
  await page.getByLabel('身份证号码').fill(syntheticIdNumber(serial))
  await page.getByLabel('手机号码', { exact: true }).fill(`1390000${serial}`)
}

async function chooseCardApplication() {
  await page.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
  await page.getByLabel('选择合作银行').waitFor({ state: 'visible' })
}

const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')

describe('the receipt a clerk prints after an intake', () => {
  it('is offered from the notice, which takes focus, and shows the case, the applicant masked, the terms, the counter and the materials ticked', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await chooseCardApplication()
    await fillApplicant('钱收件', 5555)
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    // the ID card is fetched by the department, and the checklist says so; seen at the counter all the same
    await page.getByRole('checkbox', { name: '居民身份证（原件，1 份，必需；免提交：由部门通过电子证照库或共享数据获取）' }).check()
    await page.getByRole('button', { name: '登记收件' }).click()

    const notice = page.getByRole('status').filter({ hasText: '已登记收件' })
    await notice.waitFor({ state: 'visible' })
    expect(await focusedText()).toContain('打印收件凭证')
    const caseNo = /SZ\d{14}/.exec(await notice.textContent() ?? '')![0]
    const kase = await clerk.get<{ receivedDate: string, deadline: string }>(`/api/cases/${caseNo}`)
    expect(await notice.textContent()).toContain(`部门将在 ${zhDay(kase.body.deadline)} 前决定是否受理`)

    await notice.getByRole('link', { name: '打印收件凭证' }).click()
    await page.waitForURL(url => url.pathname === `/clerk/receipts/${caseNo}`)
    await page.getByRole('heading', { level: 1, name: '收件凭证' }).waitFor()
    const receipt = (await page.locator('main').textContent())!
    const id = syntheticIdNumber(5555)
    for (const shown of [
      caseNo, '社会保障卡申领', '钱收件', `${id.slice(0, 6)}********${id.slice(-4)}`, '深圳市人力资源和社会保障局',
      zhDay(kase.body.receivedDate), `${zhDay(kase.body.deadline)} 前决定是否受理（收件后 5 个工作日内）`,
      '深圳市福田区福中三路市民中心B区深圳市行政服务大厅社会保险窗口', '居民身份证（原件，1 份）', `${suite.url}/track`,
    ]) expect(receipt).toContain(shown)
    expect(receipt).not.toContain(id)
    // only what was ticked: the photo receipt was not handed in
    expect(receipt).not.toContain('近期免冠彩色数码照片回执')

    // printed: the receipt without the site's header, navigation and buttons
    await page.emulateMedia({ media: 'print' })
    try {
      expect(await page.getByRole('heading', { level: 1, name: '收件凭证' }).isVisible()).toBe(true)
      expect(await page.getByRole('navigation').first().isVisible()).toBe(false)
      expect(await page.getByRole('button', { name: '打印收件凭证' }).isVisible()).toBe(false)
    }
    finally {
      await page.emulateMedia({ media: 'screen' })
    }

    // the case page lists the paper handed in, not "no materials", and leads to the receipt again
    await page.goto(`/clerk/cases/${caseNo}`)
    const materials = page.getByRole('region', { name: '申请材料' })
    await materials.getByText('居民身份证').waitFor({ state: 'visible' })
    await materials.getByRole('link', { name: '收件凭证' }).click()
    await page.waitForURL(url => url.pathname === `/clerk/receipts/${caseNo}`)

    // printed in English, for a reader of English: the tracking page in English
    await page.goto(`/en/clerk/receipts/${caseNo}`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    const english = (await page.locator('main').textContent())!
    expect(english).toContain(`${suite.url}/en/track`)
  })
})

describe('moving through the list of items', () => {
  it('keeps each item\'s answers and ticks, and the applicant\'s details, when the clerk goes to another item and back', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await chooseCardApplication()
    await fillApplicant('冯切换', 5656)
    await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
    await page.getByRole('radio', { name: '银行网点领取' }).check()
    await page.getByRole('checkbox', { name: /^居民身份证/ }).check()

    await page.getByLabel('办理事项').selectOption({ label: '个人参保证明查询打印' })
    const proxy = page.getByRole('checkbox', { name: /^授权委托书/ })
    await proxy.waitFor({ state: 'visible' })
    expect(await proxy.isChecked()).toBe(false)
    await proxy.check()

    await chooseCardApplication()
    const bank = await page.getByLabel('选择合作银行').evaluate(s => (s as HTMLSelectElement).selectedOptions[0]?.textContent?.trim())
    expect(bank).toBe('中国银行')
    expect(await page.getByRole('radio', { name: '银行网点领取' }).isChecked()).toBe(true)
    expect(await page.getByRole('checkbox', { name: /^居民身份证/ }).isChecked()).toBe(true)
    expect(await page.getByLabel('姓名', { exact: true }).inputValue()).toBe('冯切换')
    expect(await page.getByLabel('手机号码', { exact: true }).inputValue()).toBe('13900005656')

    await page.getByLabel('办理事项').selectOption({ label: '个人参保证明查询打印' })
    await proxy.waitFor({ state: 'visible' })
    expect(await proxy.isChecked()).toBe(true)

    // recorded with the answers of the item chosen at the end, kept through the round trip
    await chooseCardApplication()
    await page.getByRole('button', { name: '登记收件' }).click()
    const notice = page.getByRole('status').filter({ hasText: '已登记收件' })
    await notice.waitFor({ state: 'visible' })
    const caseNo = /SZ\d{14}/.exec(await notice.textContent() ?? '')![0]
    expect((await getCase(clerk, caseNo)).answers).toMatchObject({ cardBank: 'boc', collectWay: 'branch' })
  })
})

describe('when the intake is not recorded as asked', () => {
  it('says a lost answer may have been recorded, not that the item is wrong, keeps focus on the button, and pressing again gives the one case made', async () => {
    let made = ''
    await page.route('**/api/counter-cases', async (route) => {
      // the server records the intake; every answer to the page is a gateway's error
      const response = await route.fetch()
      made ||= (await response.json() as { caseNo: string }).caseNo
      await route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' })
    })
    const before = await submittedTotal()
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByLabel('办理事项').selectOption({ label: '个人参保证明查询打印' })
    await page.getByRole('checkbox', { name: /^授权委托书/ }).waitFor({ state: 'visible' })
    await fillApplicant('褚网关', 5757)
    await page.getByRole('button', { name: '登记收件' }).click()

    await page.getByRole('alert').filter({ hasText: '未能确认本次收件是否已经登记' }).waitFor({ state: 'visible' })
    expect(await page.getByText('操作未成功').count()).toBe(0)
    expect(await page.getByLabel('办理事项').getAttribute('aria-invalid')).not.toBe('true')
    expect(await focusedText()).toBe('登记收件')
    expect(made).toMatch(/^SZ\d{14}$/)
    await page.unroute('**/api/counter-cases')

    await page.getByRole('button', { name: '登记收件' }).click()
    const notice = page.getByRole('status').filter({ hasText: '已登记收件' })
    await notice.waitFor({ state: 'visible' })
    expect(await notice.textContent()).toContain(made)
    expect(await submittedTotal()).toBe(before + 1)
  })

  it('tells the clerk that an item was withdrawn after the list was read, and takes it off the list', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByLabel('办理事项').selectOption({ label: '个人参保证明查询打印' })
    await page.getByRole('checkbox', { name: /^授权委托书/ }).waitFor({ state: 'visible' })
    await fillApplicant('卫下线', 5858)
    statusOf('SZRS-0006', 'withdrawn')
    try {
      await page.getByRole('button', { name: '登记收件' }).click()
      await page.locator('#counter-service-error').filter({ hasText: '该事项已不在本部门可以收件的事项中' }).waitFor({ state: 'visible' })
      // not "choose one of your department's items", which it was until the list was read
      expect(await page.locator('#counter-service-error').textContent()).not.toContain('请选择本部门的事项')
      await expect.poll(() => page.getByLabel('办理事项').locator('option', { hasText: '个人参保证明查询打印' }).count()).toBe(0)
    }
    finally {
      statusOf('SZRS-0006', 'published')
    }
  })
})

describe('the counter page on a phone-sized screen in large-text mode', () => {
  it('does not scroll sideways once a form with a file field is shown', async () => {
    const { context } = await suite.newContext({ width: 375, largeText: true })
    const small = await context.newPage()
    await signInThroughPage(small, 'clerk')
    await small.goto('/clerk/counter')
    await waitForHydration(small)
    await small.getByLabel('办理事项').selectOption({ label: '社会保障卡申领' })
    await small.getByLabel('选择合作银行').waitFor({ state: 'visible' })
    expect(await small.locator('input[type=file]').count()).toBeGreaterThan(0)
    expect(await hasHorizontalScroll(small)).toBe(false)
  })
})

describe('the counter\'s error summary', () => {
  it('lists the problems in the order of the page, asks to choose where a choice is missing, and takes focus to the first option of a radio group', async () => {
    await page.goto('/clerk/counter')
    await waitForHydration(page)
    await page.getByRole('button', { name: '登记收件' }).click()
    const summaryLinks = () => page.getByRole('alert').getByRole('link').allTextContents()
    await expect.poll(async () => (await summaryLinks())[0]).toBe('办理事项：请选择一项')

    await chooseCardApplication()
    await page.getByRole('button', { name: '登记收件' }).click()
    await expect.poll(async () => (await summaryLinks()).length).toBeGreaterThan(3)
    const links = (await summaryLinks()).map(s => s.trim())
    // the applicant's block comes before the item's form on the page, and so in the summary
    expect(links.findIndex(l => l.startsWith('姓名'))).toBeLessThan(links.findIndex(l => l.startsWith('选择合作银行')))
    expect(links).toContain('选择合作银行：请选择一项')
    expect(links).toContain('领卡方式：请选择一项')
    await page.getByRole('alert').getByRole('link', { name: '领卡方式：请选择一项' }).click()
    await expect.poll(() => page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null
      return `${el?.tagName} ${el?.type} ${el?.name}`
    })).toBe('INPUT radio answer-collectWay')
  })
})

describe('the counter page checks an intake as the server does, before it sends it', () => {
  it('names a mistyped ID number and mobile by their inputs and in the summary, sends nothing, and takes the intake in once they are corrected', async () => {
    // every intake the page sends: a refusal the page can tell itself must not cost a round trip,
    // nor a request that the server would refuse anyway
    const intakes = requestsTo(page, '/api/counter-cases')
    try {
      const before = await submittedTotal()
      await page.goto('/clerk/counter')
      await waitForHydration(page)
      await chooseCardApplication()
      const id = syntheticIdNumber(6060)
      // the last character is the checksum: another one makes a number no one has
      const mistyped = id.slice(0, 17) + (id[17] === '1' ? '2' : '1')
      await page.getByLabel('姓名', { exact: true }).fill('蒋核对')
      await page.getByLabel('身份证号码').fill(mistyped)
      // one digit short
      await page.getByLabel('手机号码', { exact: true }).fill('1390000606')
      await page.getByLabel('选择合作银行').selectOption({ label: '中国银行' })
      await page.getByRole('radio', { name: '银行网点领取' }).check()
      await page.getByRole('button', { name: '登记收件' }).click()

      // the same messages as the server's refusal, in the summary, which takes focus, and by the inputs
      const summaryLinks = async () => (await page.getByRole('alert').getByRole('link').allTextContents()).map(s => s.trim())
      await expect.poll(summaryLinks).toEqual(['身份证号码：身份证号码校验位不正确，请核对每一位数字', '手机号码：请填写 11 位手机号码，以 13 至 19 开头，例如 13800138000'])
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')
      expect((await page.locator('#counter-idNumber-error').textContent())?.trim()).toBe('身份证号码校验位不正确，请核对每一位数字')
      expect(await page.locator('#counter-mobile-error').textContent()).toContain('请填写 11 位手机号码')
      expect(await page.getByLabel('身份证号码').getAttribute('aria-invalid')).toBe('true')
      expect(await page.getByLabel('手机号码', { exact: true }).getAttribute('aria-invalid')).toBe('true')
      expect(await page.getByLabel('姓名', { exact: true }).getAttribute('aria-invalid')).not.toBe('true')
      // what the clerk typed stays, to be corrected rather than typed again
      expect(await page.getByLabel('身份证号码').inputValue()).toBe(mistyped)
      expect(await page.getByLabel('手机号码', { exact: true }).inputValue()).toBe('1390000606')
      expect(intakes).toEqual([])

      await page.getByLabel('身份证号码').fill(id)
      await page.getByLabel('手机号码', { exact: true }).fill('13900006060')
      await page.getByRole('button', { name: '登记收件' }).click()
      const created = page.getByRole('status').filter({ hasText: '已登记收件' })
      await created.waitFor({ state: 'visible' })
      expect(intakes.map(r => r.method)).toEqual(['POST'])
      expect(await submittedTotal()).toBe(before + 1)
    }
    finally {
      intakes.stop()
    }
  })

  it('names a blank required answer without sending the intake', async () => {
    const intakes = requestsTo(page, '/api/counter-cases')
    try {
      await page.goto('/clerk/counter')
      await waitForHydration(page)
      await chooseCardApplication()
      await fillApplicant('韩空答', 6161)
      await page.getByRole('radio', { name: '银行网点领取' }).check()
      await page.getByRole('button', { name: '登记收件' }).click()
      await page.getByRole('alert').getByRole('link', { name: '选择合作银行：请选择一项' }).waitFor({ state: 'visible' })
      expect(await page.getByLabel('选择合作银行').getAttribute('aria-invalid')).toBe('true')
      expect(intakes).toEqual([])
    }
    finally {
      intakes.stop()
    }
  })
})
