/**
 * A keyboard user on a phone reading a table wider than the screen: the table scrolls sideways in
 * its own box, and that box can be reached by Tab (it is a named region) and scrolled with the
 * arrow keys, with the site's focus outline on it. Before, axe reported "scrollable-region-focusable"
 * (serious) on an item's materials and on the supervision page's departments, and the columns off
 * the screen could not be reached without a mouse or touch (WCAG 2.1.1). An item's materials are
 * now cards on a phone, which fit the screen.
 */
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

// the demo history: departments with completed and overdue cases, so the supervision page has its table
const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
let managerCookie: string

beforeAll(async () => {
  managerCookie = (await signedIn(suite.url, 'manager')).cookie
})

async function open(path: string, width: number, asManager = false): Promise<Page> {
  const { context } = await suite.newContext({ width })
  if (asManager) await addSession(context, suite.url, { cookie: managerCookie })
  const page = await context.newPage()
  await page.goto(path)
  await settled(page)
  return page
}

const isFocused = (locator: Locator) => locator.evaluate(el => el === document.activeElement)

/** Tabs from the top of the page to `region`, as a keyboard user would; fails if Tab never gets there. */
async function tabTo(page: Page, region: Locator, most = 250): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab')
    if (await isFocused(region)) return
  }
  expect(await isFocused(region), 'reached by Tab').toBe(true)
}

/** Reaches the table's scrolling box by Tab, sees its focus outline, and scrolls it with the right arrow. */
async function scrollsByKeyboard(page: Page, region: Locator): Promise<void> {
  expect(await region.evaluate(el => el.scrollWidth > el.clientWidth), 'the table is wider than its box').toBe(true)
  await tabTo(page, region)
  expect(await region.evaluate(el => getComputedStyle(el).outlineStyle)).toBe('solid')
  const before = await region.evaluate(el => el.scrollLeft)
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight')
  await expect.poll(() => region.evaluate(el => el.scrollLeft)).toBeGreaterThan(before)
}

async function expectNoViolations(page: Page) {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe('an item\'s materials on a phone', () => {
  // since components/Catalogue/MaterialTable.vue: one card per material below the sm breakpoint,
  // so there is nothing to scroll to and no column off the screen
  for (const path of ['/services/SZRS-0004', '/services/SZGA-0015', '/en/services/SZRS-0004']) {
    it(`are cards that fit the screen on ${path} at 390 px, the table's scrolling box not shown`, async () => {
      const page = await open(path, 390)
      const section = page.locator('section[aria-labelledby="materials"]')
      expect(await section.getByRole('region').count()).toBe(0)
      expect(await section.getByRole('listitem').count()).toBeGreaterThan(0)
      expect(await section.evaluate(el => el.scrollWidth <= el.clientWidth)).toBe(true)
      await expectNoViolations(page)
    })
  }
})

describe('the supervision page\'s departments on a phone and a tablet', () => {
  for (const [path, width, name] of [['/manage/supervision', 390, '各部门按时办结情况（表格，可左右滚动）'], ['/en/manage/supervision', 768, 'On-time completion by department (table, scrolls sideways)']] as const) {
    it(`scroll sideways from the keyboard on ${path} at ${width} px`, async () => {
      const page = await open(path, width, true)
      const region = page.getByRole('region', { name, exact: true }).and(page.locator('section[aria-labelledby="sup-depts"] > .overflow-x-auto'))
      expect(await region.count()).toBe(1)
      await scrollsByKeyboard(page, region)
      await expectNoViolations(page)
    })
  }
})
