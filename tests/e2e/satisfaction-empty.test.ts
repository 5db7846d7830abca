/**
 * A manager choosing a period nobody rated in reads, under the services' heading, that there were
 * no ratings, instead of a table of headers with nothing beneath them; every department is still
 * listed, each with no ratings.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../support/client'
import { addSession, axeViolations, describeViolations, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'

const zh = JSON.parse(readFileSync('i18n/locales/zh/result.json', 'utf8')).result.satisfaction

const suite = useBrowserSuite()

describe('the satisfaction page for a period without ratings', () => {
  it('says so under the services\' heading, with no empty table, and still lists the departments', async () => {
    const manager = await signedIn(suite.url, 'manager')
    const { context } = await suite.newContext()
    await addSession(context, suite.url, manager)
    const page = await context.newPage()
    await page.goto('/manage/satisfaction?from=2001-01-01&to=2001-01-31')
    await settled(page)
    const services = page.locator('section[aria-labelledby="sat-byService"]')
    expect(await services.getByRole('heading', { name: zh.byService }).count()).toBe(1)
    expect(await services.getByText(zh.noData).count()).toBe(1)
    expect(await services.locator('table').count()).toBe(0)
    const departments = page.locator('section[aria-labelledby="sat-byDepartment"]')
    expect(await departments.locator('tbody tr').count()).toBeGreaterThan(5)
    expect(await departments.getByText(zh.noData).count()).toBe(0)
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})
