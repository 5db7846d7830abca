/**
 * The calendar's holidays held against lunar-typescript, a Chinese calendar library that knows the
 * lunar months, the solar terms and the State Council's notices: the table of lunar holidays of
 * shared/utils/lunar-holidays.ts, every year of it worked out again, and the notices built into
 * working-days.ts, day by day.
 */
import { HolidayUtil, Lunar } from 'lunar-typescript'
import { describe, expect, it } from 'vitest'
import { LUNAR_HOLIDAYS } from '../../shared/utils/lunar-holidays'
import { addDays, BUILT_IN_NOTICE_YEARS, isWorkingDay, LUNAR_HOLIDAY_ROWS } from '../../shared/utils/working-days'

const LAST_NOTICE_YEAR = Math.max(...BUILT_IN_NOTICE_YEARS)
const YEARS = Array.from({ length: 2099 - LAST_NOTICE_YEAR }, (_, i) => LAST_NOTICE_YEAR + 1 + i)

/** 'YYYY-MM-DD' of a lunar date of `year` (the lunar year that begins in it). */
const solarOf = (year: number, month: number, day: number) => Lunar.fromYmd(year, month, day).getSolar().toYmd()

describe('the lunar holidays of the years after the built-in notices', () => {
  it('has every year to 2099 and no other', () => {
    expect(Object.keys(LUNAR_HOLIDAYS).map(Number)).toEqual(YEARS)
  })

  it.each(YEARS)('%i: New Year\'s Eve, Qingming, the Dragon Boat and the Mid-Autumn Festivals fall as the lunar calendar has them', (year) => {
    const [eve, qingming, dragonBoat, midAutumn] = LUNAR_HOLIDAYS[year]!.map(md => `${year}-${md}`)
    // the day before the first day of the first month
    expect(addDays(eve!, 1)).toBe(solarOf(year, 1, 1))
    expect(qingming).toBe(Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明']!.toYmd())
    expect(dragonBoat).toBe(solarOf(year, 5, 5))
    expect(midAutumn).toBe(solarOf(year, 8, 15))
  })

  it('keeps the Spring Festival\'s four days off by law, the eve to the third day, and the other three days', () => {
    const of2027 = LUNAR_HOLIDAY_ROWS.filter(r => r.date.startsWith('2027-'))
    expect(of2027.map(r => r.date)).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-06-09', '2027-09-15'])
    expect(of2027.every(r => r.kind === 'holiday')).toBe(true)
    expect(solarOf(2027, 1, 3)).toBe('2027-02-08')
    expect(LUNAR_HOLIDAY_ROWS).toHaveLength(YEARS.length * 7)
  })
})

describe('the State Council notices built in', () => {
  it.each([...BUILT_IN_NOTICE_YEARS])('%i: every day is a working day or not as the notice says', (year) => {
    const notice = new Map(HolidayUtil.getHolidays(year).map(h => [h.getDay(), h.isWork()]))
    expect(notice.size).toBeGreaterThan(0)
    for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
      const weekday = ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())
      expect([d, isWorkingDay(d)]).toEqual([d, notice.get(d) ?? weekday])
    }
  })
})
