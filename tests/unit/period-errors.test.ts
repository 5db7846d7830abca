/**
 * The period filter of the report pages, told the server refused the period: what the manager reads
 * beside the dates they gave. The APIs compare after their defaults (the end today), so a lone start
 * after today came back as "start after end" while the end date was empty.
 */
import { describe, expect, it } from 'vitest'
import { periodFieldErrors } from '../../composables/usePeriodErrors'

describe('a report period refused by the server', () => {
  it('says a lone start date is after today, on the online-rate report (its own "from after to")', () => {
    expect(periodFieldErrors({ from: 'report.errors.fromAfterTo' }, { from: '2099-01-01' }))
      .toEqual({ from: 'report.errors.fromAfterToday' })
  })

  it('says a lone start date is after today beside the start, on the satisfaction report (which names the end)', () => {
    expect(periodFieldErrors({ to: 'validation.query.range' }, { from: '2099-01-01' }))
      .toEqual({ from: 'report.errors.fromAfterToday' })
  })

  it('says "start after end" when both were given the wrong way round', () => {
    expect(periodFieldErrors({ to: 'validation.query.range' }, { from: '2026-04-01', to: '2026-03-01' }))
      .toEqual({ to: 'report.errors.fromAfterTo' })
    expect(periodFieldErrors({ from: 'report.errors.fromAfterTo' }, { from: '2026-04-01', to: '2026-03-01' }))
      .toEqual({ from: 'report.errors.fromAfterTo' })
  })

  it('leaves the other errors as the server gave them', () => {
    expect(periodFieldErrors({ dept: 'report.errors.dept', from: 'report.errors.date' }, { from: '2026-13-01' }))
      .toEqual({ dept: 'report.errors.dept', from: 'report.errors.date' })
  })
})
