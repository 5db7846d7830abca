/**
 * A person who has forgotten their password keeps trying on the sign-in page: after the third and
 * the fourth wrong password the page says how many tries are left before the account locks for 15
 * minutes (and where to reset it), in Chinese and in English; the first two say only that it is
 * wrong. Every answer passes axe, and the error summary takes focus as it does for any error.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { axeViolations, describeViolations, settled, waitForHydration } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { syntheticIdNumber } from '../support/fixtures'

const suite = useBrowserSuite()
const PASSWORD = 'the sentence I have forgotten'

async function registered(username: string, serial: number): Promise<void> {
  const res = await new Client(suite.url).post('/api/auth/register', { username, password: PASSWORD, name: '吴忘记', idNumber: syntheticIdNumber(serial), mobile: `1370000${serial}` })
  expect(res.status).toBe(201)
}

/** Signs in with a wrong password through the page and returns what the error summary, now focused, says. */
async function tryWrong(page: Page, password: string, submit: string): Promise<string> {
  await page.getByLabel(/^(密码|Password)$/).fill(password)
  await page.getByRole('button', { name: submit, exact: true }).click()
  const summary = page.getByRole('alert')
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="alert"]'))).toBe(true)
  return (await summary.innerText()).trim()
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('a person who has forgotten their password', () => {
  it('is warned after the third and the fourth wrong password how many tries are left before the lock', async () => {
    await registered('forgetful-zh', 9601)
    const page = await suite.newPage()
    await page.goto('/login')
    await waitForHydration(page)
    await page.getByLabel('用户名').fill('forgetful-zh')
    for (const n of [1, 2]) {
      const said = await tryWrong(page, `wrong guess ${n}`, '登录')
      expect(said).toContain('用户名或密码不正确')
      expect(said).not.toContain('还可尝试')
    }
    expect(await tryWrong(page, 'wrong guess 3', '登录')).toContain('还可尝试 2 次，如仍输错，账户将锁定 15 分钟')
    await settled(page)
    await expectNoViolations(page)
    expect(await tryWrong(page, 'wrong guess 4', '登录')).toContain('还可尝试 1 次，如仍输错，账户将锁定 15 分钟')
    // the fifth locks, and says until when
    expect(await tryWrong(page, 'wrong guess 5', '登录')).toContain('账户已暂时锁定')
  })

  it('is warned the same way in English', async () => {
    await registered('forgetful-en', 9602)
    const page = await suite.newPage()
    await page.goto('/en/login')
    await waitForHydration(page)
    await page.getByLabel('Username').fill('forgetful-en')
    for (const n of [1, 2]) expect(await tryWrong(page, `wrong guess ${n}`, 'Sign in')).not.toContain('more time')
    expect(await tryWrong(page, 'wrong guess 3', 'Sign in')).toContain('You can try 2 more times; if they are all wrong, the account will be locked for 15 minutes.')
    expect(await tryWrong(page, 'wrong guess 4', 'Sign in')).toContain('You can try 1 more time; if it is wrong again, the account will be locked for 15 minutes.')
    await settled(page)
    await expectNoViolations(page)
  })

  it('is warned alike under a name that has no account, which the page cannot tell from one that has', async () => {
    const page = await suite.newPage()
    await page.goto('/login')
    await waitForHydration(page)
    await page.getByLabel('用户名').fill('no-such-person-9603')
    for (const n of [1, 2]) expect(await tryWrong(page, `wrong guess ${n}`, '登录')).not.toContain('还可尝试')
    expect(await tryWrong(page, 'wrong guess 3', '登录')).toContain('还可尝试 2 次')
  })
})
