/**
 * 法人库核验 as people read it: a citizen adding the organisations they act for is told, beside each,
 * what the city's legal-entity base data says of it (their own company, one deregistered, one the
 * city has not registered), in Chinese and English, and again when choosing whom an application is
 * for, or registering for one; and the department handling an organisation's
 * case reads the same on the case page. Every state passes axe.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_LEGAL_ENTITIES } from '../../db/seed/legal-entities'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { demoPerson, syntheticIdNumber, upload, uniquePdf } from '../support/fixtures'
import { makeUscc } from '../../shared/utils/uscc'

const suite = useBrowserSuite()
const [OWN, , , CLOSED] = DEMO_LEGAL_ENTITIES

async function pageOf(username: 'citizen' | 'clerk2', path: string): Promise<Page> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, await signedIn(suite.url, username))
  const page = await context.newPage()
  await page.goto(path)
  await settled(page)
  return page
}

describe('a citizen adding the organisations they act for', () => {
  it('is told beside each what the city\'s legal-entity data says of it', async () => {
    const page = await pageOf('citizen', '/me')
    const add = async (name: string, uscc: string) => {
      await page.getByLabel('单位名称').fill(name)
      await page.getByLabel('统一社会信用代码').fill(uscc)
      await page.getByRole('button', { name: '添加单位' }).click()
      await seen(page.getByRole('status').filter({ hasText: `已添加单位：${name}` }))
    }
    const row = (name: string) => page.locator('#organizations-title ~ ul > li').filter({ hasText: name })
    await add(OWN!.name, OWN!.uscc)
    await seen(row(OWN!.name).getByText('法人库核验：您是该单位在本市法人库中登记的法定代表人。'))
    await add('深圳市南山旧城贸易有限公司', CLOSED!.uscc)
    await seen(row('深圳市南山旧城贸易有限公司').getByText('法人库核验：该单位已于 2025年6月30日 注销（登记名称“深圳市南山旧城贸易有限公司”）。'))
    await add('广州市外地登记有限公司', makeUscc('91440101MA5QC0001'))
    await seen(row('广州市外地登记有限公司').getByText('本市法人库中没有该统一社会信用代码（可能在外地登记）', { exact: false }))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])

    // and again before an application starts, with the choice it describes
    await page.goto('/services/SZGA-0013/apply')
    await settled(page)
    const closed = page.getByRole('radio', { name: '代表 深圳市南山旧城贸易有限公司 申请' })
    const described = await closed.getAttribute('aria-describedby')
    expect(await page.locator(`[id="${described}"]`).innerText()).toContain('该单位已于 2025年6月30日 注销')

    await page.goto('/en/me')
    await settled(page)
    await seen(row(OWN!.name).getByText('You are its registered legal representative.', { exact: false }))
    // the registered name is Chinese data on an English page
    expect(await row('深圳市南山旧城贸易有限公司').locator('span[lang="zh-CN"]', { hasText: '深圳市南山旧城贸易有限公司' }).count()).toBeGreaterThan(0)
  })
})

describe('a person registering who acts for an organisation', () => {
  it('finds it on the account page once registered, with what the legal-entity data says of it', async () => {
    const page = await suite.newPage()
    await page.goto('/register')
    await settled(page)
    await page.getByLabel('用户名').fill(`org${Date.now().toString(36)}`)
    await page.getByLabel('密码', { exact: true }).fill('a sentence easy to remember')
    await page.getByLabel('姓名').fill('单位经办')
    await page.getByLabel('身份证号码').fill(syntheticIdNumber(7401))
    await page.getByLabel('手机号码').fill('13900007401')
    await page.getByLabel('我还代表一家单位（企业、社会组织等）办事').check()
    await page.getByLabel('单位名称').fill('广州市外地注册经办有限公司')
    await page.getByLabel('统一社会信用代码').fill(makeUscc('91440101MA5QC0002'))
    await Promise.all([page.waitForURL(url => url.pathname === '/me'), page.getByRole('button', { name: '注册' }).click()])
    await settled(page)
    const row = page.locator('#organizations-title ~ ul > li').filter({ hasText: '广州市外地注册经办有限公司' })
    await seen(row.getByText('本市法人库中没有该统一社会信用代码（可能在外地登记）', { exact: false }))
  })
})

describe('the department handling an organisation\'s case', () => {
  it('reads on the case page what the legal-entity data says of it', async () => {
    const citizen = await signedIn(suite.url, 'citizen')
    const orgs = (await citizen.get<{ id: number, uscc: string }[]>('/api/me/organizations')).body
    const orgId = orgs.find(o => o.uscc === OWN!.uscc)?.id
      ?? (await citizen.post<{ id: number }>('/api/me/organizations', { name: OWN!.name, uscc: OWN!.uscc })).body.id
    // SZGA-0013 (机动车检验标志), for people and organisations, handled by the second demo clerk's department
    const file = await upload(citizen, uniquePdf('organisation-check'))
    const answers = { ...demoPerson('citizen'), plateNo: '粤B12345', vehicleType: 'small', registerDate: '2020-01-01', insuranceConfirmed: true, compulsoryTrafficAccidentFile: [file.id] }
    const draft = await citizen.post<{ id: string }>('/api/applications', { serviceCode: 'SZGA-0013', answers, organizationId: orgId })
    const submitted = await citizen.post<{ caseNo: string }>(`/api/applications/${draft.body.id}/submit`)
    expect(submitted.status).toBe(201)
    const page = await pageOf('clerk2', `/clerk/cases/${submitted.body.caseNo}`)
    await seen(page.getByText('法人库核验（按今日数据）：申请人是该单位登记的法定代表人（手机号已验证）。'))
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})
