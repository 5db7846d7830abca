/**
 * A manager or clerk reading a decided case sees the day it was decided, and whether that was
 * after its deadline: the deadline's flag speaks only while the department holds the case, so a
 * case approved a week late read as if on time (found by the domain review). The demo history has
 * cases decided in time and late.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../support/client'
import { signedIn } from '../support/client'
import { addSession, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import type { CaseDetail } from '../../shared/types/case'
import type { CaseList } from '../../shared/types/case-list'

const suite = useBrowserSuite({ env: { PORTAL_DEMO_HISTORY: '1' } })
let manager: Client
let late: CaseDetail
let onTime: CaseDetail

/** Decided cases of the history, read whole until one of each kind is found. */
beforeAll(async () => {
  manager = await signedIn(suite.url, 'manager')
  const found: { late?: CaseDetail, onTime?: CaseDetail } = {}
  for (let page = 1; page <= 20 && !(found.late && found.onTime); page++) {
    const list = await manager.get<CaseList>(`/api/cases?status=approved&page=${page}&pageSize=50`)
    expect(list.status).toBe(200)
    for (const item of list.body.items) {
      const detail = (await manager.get<CaseDetail>(`/api/cases/${item.caseNo}`)).body
      expect(detail.completedDate).not.toBeNull()
      if (detail.completedDate! > detail.deadline) found.late ??= detail
      else found.onTime ??= detail
      if (found.late && found.onTime) break
    }
  }
  expect(found.late, 'a case of the history decided after its deadline').toBeDefined()
  expect(found.onTime, 'a case of the history decided in time').toBeDefined()
  late = found.late!
  onTime = found.onTime!
})

async function summaryOf(caseNo: string, prefix = ''): Promise<string> {
  const { context } = await suite.newContext()
  await addSession(context, suite.url, manager)
  const page = await context.newPage()
  await page.goto(`${prefix}/clerk/cases/${caseNo}`)
  await settled(page)
  const row = page.locator('dl div').filter({ has: page.locator('dt', { hasText: prefix ? 'Decided on' : '办结日期' }) })
  await row.waitFor()
  return (await row.textContent())!.replace(/\s+/g, ' ').trim()
}

describe('a decided case, on its page', () => {
  it('says the day it was decided and that it was decided late, when it was', async () => {
    const text = await summaryOf(late.caseNo)
    const [y, m, d] = late.completedDate!.split('-').map(Number)
    expect(text).toContain(`${y}年${m}月${d}日`)
    expect(text).toContain('逾期办结')
    expect(text).not.toContain('按时办结')
  })

  it('says it was decided on time, when it was, in English too', async () => {
    expect(await summaryOf(onTime.caseNo)).toContain('按时办结')
    const english = await summaryOf(onTime.caseNo, '/en')
    expect(english).toContain('Decided on time')
    expect(english).not.toContain('Decided late')
  })
})
