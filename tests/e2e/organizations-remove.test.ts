/**
 * A citizen takes an organisation off their account on /me: one added by mistake goes after a
 * confirmation, said in the status line; one a draft is made for stays, and the row says why.
 */
import { expect, it } from 'vitest'
import { addSession, axeViolations, describeViolations, seen, settled } from '../support/browser'
import { useBrowserSuite } from '../support/browser-suite'
import { registerCitizen } from '../support/fixtures'
import { makeUscc } from '../../shared/utils/uscc'

const suite = useBrowserSuite()

it('removes an organisation added by mistake, and keeps one a draft names, saying why', async () => {
  const { client } = await registerCitizen(suite.url, 8181, 'org')
  const mistaken = await client.post<{ id: number }>('/api/me/organizations', { name: '打错的单位', uscc: makeUscc('91440300MA5RM0001') })
  const kept = await client.post<{ id: number }>('/api/me/organizations', { name: '在办的单位', uscc: makeUscc('91440300MA5RM0002') })
  expect([mistaken.status, kept.status]).toEqual([201, 201])
  // an organisation item's draft for the second (SZRS-0014: 用人单位社会保险登记)
  expect((await client.post('/api/applications', { serviceCode: 'SZRS-0014', answers: {}, organizationId: kept.body.id })).status).toBe(201)
  const { context } = await suite.newContext()
  await addSession(context, suite.url, client)
  const page = await context.newPage()
  page.on('dialog', d => void d.accept())
  await page.goto('/me')
  await settled(page)
  await page.getByRole('button', { name: '移除单位：打错的单位' }).click()
  await seen(page.getByRole('status').filter({ hasText: '已移除单位：打错的单位' }))
  await expect.poll(() => page.getByText('打错的单位（').count()).toBe(0)
  await page.getByRole('button', { name: '移除单位：在办的单位' }).click()
  await seen(page.getByRole('alert').filter({ hasText: '不能移除' }))
  expect((await client.get<{ id: number }[]>('/api/me/organizations')).body.map(o => o.id)).toEqual([kept.body.id])
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
})
