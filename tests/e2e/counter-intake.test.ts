/**
 * Counter intake when the answer is lost: the clerk presses 登记收件 once, the server makes the
 * case, and the connection drops before the page hears of it. The page asks again with the same
 * Idempotency-Key and shows the case that was made; the person at the counter has one case, not
 * two. The item is 社会保障卡申领 (SZRS-0004), of the demo clerk's department.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import type { Client } from '../support/client'
import { launchBrowser, portalContext, signInThroughPage, waitForHydration } from '../support/browser'
import { syntheticIdNumber, uniquePdf } from '../support/fixtures'
import { startServer, stopServer } from '../support/server'
import type { TestServer } from '../support/server'
import { makeUscc } from '../../shared/utils/uscc'

let server: TestServer
let browser: Browser
let clerk: Client
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
  clerk = await signedIn(server.url, 'clerk')
  page = await (await portalContext(browser, server.url)).context.newPage()
  await signInThroughPage(page, 'clerk')
})

afterAll(async () => {
  await browser?.close()
  if (server) await stopServer(server)
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
    const db = new Database(join(server.dataDir, 'portal.db'))
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
    }
    finally {
      audienceOf('SZRS-0004', 'person')
    }
  })
})
