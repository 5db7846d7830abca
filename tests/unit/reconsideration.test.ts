/**
 * A written decision against the applicant names where to apply for reconsideration (行政复议法
 * 第二十条): the city government for the city's departments, the State Taxation Administration for
 * the tax service, the authority above for the bureaus under vertical leadership.
 */
import { describe, expect, it } from 'vitest'
import { departments } from '../../db/seed/catalogue/departments'
import { reconsiderationBodyOf } from '../../shared/utils/reconsideration'

describe('the reconsideration body of a department', () => {
  it('is the city government for a bureau of the city, the State Taxation Administration for the tax service', () => {
    expect(reconsiderationBodyOf('SZRS')?.zh).toBe('深圳市人民政府')
    expect(reconsiderationBodyOf('SZGA')?.zh).toBe('深圳市人民政府')
    expect(reconsiderationBodyOf('SZSW')?.zh).toBe('国家税务总局')
  })

  it('is the authority above, unnamed, for the tobacco monopoly and meteorological bureaus', () => {
    expect(reconsiderationBodyOf('SZYC')).toBeNull()
    expect(reconsiderationBodyOf('SZQX')).toBeNull()
  })

  it('names a body in both languages for every department of the seed but those two', () => {
    const named = departments.filter(d => reconsiderationBodyOf(d.code) !== null)
    expect(named.length).toBe(departments.length - 2)
    for (const d of named) expect(reconsiderationBodyOf(d.code)!.en).toMatch(/^the /)
  })
})
