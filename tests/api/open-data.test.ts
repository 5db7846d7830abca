/**
 * Open data as the city's open-data platform pulls it: public, cacheable, no personal data and
 * no count small enough to point at a person.
 */
import { describe, expect, it } from 'vitest'
import { Client } from '../support/client'
import { useTestServer } from '../support/server'

const server = useTestServer({ env: { PORTAL_DEMO_HISTORY: '1' } })
const api = () => new Client(server.url)

const CATALOGUE_FIELDS = ['audience', 'code', 'department', 'departmentName', 'legalLimitDays', 'legalLimitUnit', 'name', 'nameEn', 'onlineAvailable', 'onlineDepth', 'promisedLimitDays', 'suitableOnline', 'type', 'visits']
const COUNTS = ['received', 'receivedOnline', 'receivedCounter', 'completed', 'completedOnTime', 'completedLate'] as const

interface RateRow { [k: string]: string | number | boolean | null, suppressed: boolean }

describe('the open-data platform pulling the datasets', () => {
  it('gets every published item with the documented fields, cacheable for five minutes', async () => {
    const res = await api().get('/api/open/catalogue')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body.count).toBeGreaterThanOrEqual(150)
    expect(res.body.items).toHaveLength(res.body.count)
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(CATALOGUE_FIELDS)
    // the unit its law counts the legal limit in: 居民身份证法 六十日, a licence's working days
    const unitOf = (code: string) => res.body.items.find((i: { code: string }) => i.code === code)?.legalLimitUnit
    expect([unitOf('SZGA-0001'), unitOf('SZRS-0004')]).toEqual(['natural', 'working'])
    const services = await api().get('/api/services?pageSize=1')
    expect(res.body.count).toBe(services.body.total)
  })

  it('gets the catalogue as CSV with a header and one row per item', async () => {
    const res = await fetch(`${server.url}/api/open/catalogue?format=csv`)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]!.split(',').sort()).toEqual(CATALOGUE_FIELDS)
    const json = await api().get('/api/open/catalogue')
    expect(lines).toHaveLength(json.body.count + 1)
  })

  it('gets monthly rates per department where every count is 0, 5 or more, or withheld', async () => {
    const res = await api().get<{ year: number, rows: RateRow[] }>('/api/open/rates?year=2026')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body.year).toBe(2026)
    expect(res.body.rows.length).toBeGreaterThan(50)
    let suppressed = 0
    for (const row of res.body.rows) {
      for (const k of COUNTS) {
        const v = row[k]
        if (v === null) expect(row.suppressed).toBe(true)
        else expect(v === 0 || (v as number) >= 5, `${row.month} ${row.department} ${k}=${v}`).toBe(true)
      }
      if (row.received === null) expect(row.onlineRate).toBeNull()
      if (row.completed === null) expect(row.onTimeRate).toBeNull()
      if (row.suppressed) suppressed++
    }
    // a year of demo history has departments with a handful of cases in some months
    expect(suppressed).toBeGreaterThan(0)
  })

  it('gets only the months that have ended, so two downloads never differ by a case or two', async () => {
    // the month under way and the one before it, in Shanghai (UTC+8 all year)
    const shanghai = new Date(Date.now() + 8 * 3_600_000)
    const thisMonth = shanghai.toISOString().slice(0, 7)
    const lastMonth = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() - 1, 1)).toISOString().slice(0, 7)
    for (const year of new Set([thisMonth, lastMonth].map(m => m.slice(0, 4)))) {
      const res = await api().get<{ rows: RateRow[] }>(`/api/open/rates?year=${year}`)
      expect(res.status).toBe(200)
      expect(res.body.rows.filter(r => (r.month as string) >= thisMonth)).toEqual([])
      // the demo history has cases every month, so the month that ended last is published
      if (year === lastMonth.slice(0, 4)) expect(res.body.rows.at(-1)!.month).toBe(lastMonth)
    }
  })

  it('never sees anything personal in either dataset', async () => {
    for (const path of ['/api/open/catalogue', '/api/open/catalogue?format=csv', '/api/open/rates?year=2026', '/api/open/rates?year=2026&format=csv']) {
      const text = await (await fetch(server.url + path)).text()
      expect(text).not.toMatch(/\d{17}[\dX]/) // ID numbers
      expect(text).not.toMatch(/1[3-9]\d{9}/) // mobiles
      expect(text).not.toContain('张晓明')
      expect(text).not.toMatch(/idNumber|mobile|applicant/i)
    }
  })

  it.each([
    ['a year that is not four digits', '/api/open/rates?year=26'],
    ['a year that is not a number', '/api/open/rates?year=abcd'],
    ['an unknown format', '/api/open/rates?format=xlsx'],
    ['an unknown catalogue format', '/api/open/catalogue?format=xml'],
  ])('is told 400 for %s', async (_, path) => {
    expect((await api().get(path)).status).toBe(400)
  })
})
