import { describe, expect, it } from 'vitest'
import {
  addDays, addWorkingDays, dayOfWeek, deadlineStatus, defaultCalendar, isIsoDate, isWorkingDay,
  makeCalendar, shanghaiDateOf, todayInShanghai, workingDaysBetween,
} from '../../shared/utils/working-days'

describe('calendar days', () => {
  it('knows real dates from impossible ones', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2026-02-30')).toBe(false)
    expect(isIsoDate('2026-04-31')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(isIsoDate('2026-1-01')).toBe(false)
    expect(isIsoDate('2026-01-01T00:00')).toBe(false)
    expect(isIsoDate(20260101)).toBe(false)
  })

  it('adds days across month and year ends', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError)
  })

  it('knows the day of the week', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4) // Thursday
    expect(dayOfWeek('2026-01-01')).toBe(4)
    expect(dayOfWeek('2026-10-10')).toBe(6) // Saturday
    expect(dayOfWeek('1969-12-28')).toBe(0) // Sunday, before the epoch
  })
})

describe('the State Council calendar', () => {
  it('2025 and 2026 both have 248 working days', () => {
    expect(workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248)
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248)
  })

  it('marks the adjusted weekend working days as working days', () => {
    for (const d of ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']) {
      expect([0, 6]).toContain(dayOfWeek(d))
      expect(isWorkingDay(d)).toBe(true)
    }
  })

  it('marks every weekday of the holidays as a day off', () => {
    for (const d of ['2025-01-01', '2025-01-28', '2025-02-04', '2025-04-04', '2025-05-05', '2025-06-02', '2025-10-08', '2026-01-02', '2026-02-16', '2026-02-23', '2026-04-06', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-07']) {
      expect(isWorkingDay(d)).toBe(false)
    }
  })

  it('knows the notices of 2020 to 2023, for cases brought over from before the portal', () => {
    // the adjusted working weekends of each notice
    for (const d of ['2020-01-19', '2020-06-28', '2020-10-10', '2021-02-20', '2021-09-18', '2022-01-29', '2022-04-02', '2022-10-09', '2023-01-28', '2023-06-25', '2023-10-08']) {
      expect([0, 6]).toContain(dayOfWeek(d))
      expect(isWorkingDay(d), d).toBe(true)
    }
    // weekdays off: the Spring Festival of 2020 extended to 2 February (its working Saturday taken back),
    // the lunar holidays, New Year's Monday of 2023
    for (const d of ['2020-01-31', '2020-02-01', '2021-02-17', '2021-09-20', '2022-01-31', '2022-06-03', '2022-09-12', '2023-01-02', '2023-04-05', '2023-06-23', '2023-10-06']) {
      expect(isWorkingDay(d), d).toBe(false)
    }
    // a deadline counted over National Day 2023: 28 September, then the working Saturday and Sunday after the holiday
    expect(addWorkingDays('2023-09-27', 2)).toBe('2023-10-07')
  })

  it('an ordinary weekend is off and an ordinary weekday is on, also beyond 2026', () => {
    expect(isWorkingDay('2026-03-07')).toBe(false)
    expect(isWorkingDay('2026-03-09')).toBe(true)
    expect(isWorkingDay('2027-03-09')).toBe(true)
  })
})

describe('deadlines counted in working days from the day after submission', () => {
  // [submitted, working days, deadline], each worked out by hand on a calendar
  const cases: [string, string, number, string][] = [
    ['an ordinary week', '2026-03-02', 5, '2026-03-09'],
    ['the next working day, never the same day', '2026-03-02', 1, '2026-03-03'],
    ['Friday + 1 is Monday', '2026-03-06', 1, '2026-03-09'],
    ['Spring Festival 2024: Sunday 4 Feb works', '2024-02-02', 1, '2024-02-04'],
    ['Spring Festival 2024: 10–17 Feb off, Sunday 18 Feb works', '2024-02-09', 1, '2024-02-18'],
    ['Mid-Autumn 2024: Saturday 14 Sep works, 15–17 Sep off', '2024-09-13', 2, '2024-09-18'],
    ['National Day 2024: Sunday 29 Sep works, 1–7 Oct off', '2024-09-27', 5, '2024-10-10'],
    ['New Year 2025: 1 Jan is off', '2024-12-31', 1, '2025-01-02'],
    ['Spring Festival 2025: Sunday 26 Jan works, then 28 Jan–4 Feb off', '2025-01-24', 3, '2025-02-05'],
    ['Spring Festival 2025: Saturday 8 Feb works', '2025-02-06', 2, '2025-02-08'],
    ['Qingming 2025: 4–6 Apr off', '2025-04-03', 1, '2025-04-07'],
    ['Labour Day 2025: Sunday 27 Apr works', '2025-04-25', 1, '2025-04-27'],
    ['Labour Day 2025: 1–5 May off', '2025-04-30', 1, '2025-05-06'],
    ['Dragon Boat 2025: 31 May–2 Jun off', '2025-05-30', 1, '2025-06-03'],
    ['National Day 2025: Sunday 28 Sep works', '2025-09-26', 1, '2025-09-28'],
    ['National Day 2025: 1–8 Oct off, Saturday 11 Oct works', '2025-09-30', 3, '2025-10-11'],
    ['National Day 2025: after Saturday 11 Oct', '2025-09-30', 4, '2025-10-13'],
    ['New Year 2026: 1–3 Jan off, Sunday 4 Jan works', '2025-12-31', 1, '2026-01-04'],
    ['New Year 2026: then Monday', '2025-12-31', 2, '2026-01-05'],
    ['Spring Festival 2026: Saturday 14 Feb works', '2026-02-13', 1, '2026-02-14'],
    ['Spring Festival 2026: 15–23 Feb off', '2026-02-13', 2, '2026-02-24'],
    ['Spring Festival 2026: Saturday 28 Feb works', '2026-02-13', 6, '2026-02-28'],
    ['Qingming 2026: 4–6 Apr off', '2026-04-03', 1, '2026-04-07'],
    ['Labour Day 2026: 1–5 May off', '2026-04-30', 1, '2026-05-06'],
    ['Labour Day 2026: Saturday 9 May works', '2026-04-30', 4, '2026-05-09'],
    ['Dragon Boat 2026: 19–21 Jun off', '2026-06-18', 1, '2026-06-22'],
    ['Mid-Autumn 2026: Sunday 20 Sep works', '2026-09-18', 1, '2026-09-20'],
    ['Mid-Autumn 2026: 25–27 Sep off', '2026-09-24', 1, '2026-09-28'],
    ['National Day 2026: 1–7 Oct off, Saturday 10 Oct works', '2026-09-30', 3, '2026-10-10'],
    ['National Day 2026: 5 working days after 30 Sep', '2026-09-30', 5, '2026-10-13'],
    ['submitted on a holiday: counting starts the next day', '2026-10-03', 1, '2026-10-08'],
    ['20 working days across National Day 2026', '2026-09-21', 20, '2026-10-26'],
  ]

  it.each(cases)('%s: from %s, %i working days → %s', (_story, from, days, deadline) => {
    expect(addWorkingDays(from, days)).toBe(deadline)
    // and the count back agrees: exactly `days` working days in (from, deadline]
    expect(workingDaysBetween(from, deadline)).toBe(days)
  })

  it('0 days is the day itself; negative or fractional days are refused', () => {
    expect(addWorkingDays('2026-10-01', 0)).toBe('2026-10-01')
    expect(() => addWorkingDays('2026-10-01', -1)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-10-01', 1.5)).toThrow(RangeError)
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(RangeError)
  })

  it('days while a case was suspended do not count', () => {
    // suspended Tue 3 – Thu 5 Mar 2026: 5 working days from Mon 2 Mar land on Mon 12 Mar instead of Mon 9 Mar
    const suspended = new Set(['2026-03-03', '2026-03-04', '2026-03-05'])
    expect(addWorkingDays('2026-03-02', 5, defaultCalendar, suspended)).toBe('2026-03-12')
  })

  it('counts working days between dates, negative when the end is earlier', () => {
    expect(workingDaysBetween('2026-03-02', '2026-03-02')).toBe(0)
    expect(workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1)
    expect(workingDaysBetween('2026-03-09', '2026-03-06')).toBe(-1)
    expect(workingDaysBetween('2026-09-30', '2026-10-09')).toBe(2)
  })
})

describe('calendars for later years from the database', () => {
  it('an administrator adds the days of the 2027 Spring Festival break beyond the law\'s and a working Sunday', () => {
    const cal = makeCalendar([
      { date: '2027-02-09', kind: 'holiday' },
      { date: '2027-02-10', kind: 'holiday' },
      { date: '2027-01-31', kind: 'workday' },
    ])
    expect(isWorkingDay('2027-02-09', cal)).toBe(false)
    expect(isWorkingDay('2027-01-31', cal)).toBe(true)
    // Fri 29 Jan + 1: Sun 31 works
    expect(addWorkingDays('2027-01-29', 1, cal)).toBe('2027-01-31')
    // Thu 4 Feb + 1: 5 to 8 off by law, 9 and 10 by the notice, Thu 11
    expect(addWorkingDays('2027-02-04', 1, cal)).toBe('2027-02-11')
    // the default calendar is untouched
    expect(isWorkingDay('2027-02-09')).toBe(true)
    expect(isWorkingDay('2027-01-31')).toBe(false)
    // and the built-in years are still there
    expect(isWorkingDay('2026-10-01', cal)).toBe(false)
  })

  it('a year whose notice is not in yet still has the holidays the law fixes, by date and by the lunar calendar', () => {
    // 2027: New Year's Day on a Friday, Labour Day Saturday and Sunday, National Day Friday to Sunday
    for (const day of ['2027-01-01', '2027-10-01']) expect(isWorkingDay(day)).toBe(false)
    // a deadline set in December runs past New Year's Day: Mon 28 Dec + 5 working days
    expect(addWorkingDays('2026-12-28', 5)).toBe('2027-01-05')
    // 2029: Labour Day Tuesday and Wednesday, National Day Monday to Wednesday
    for (const day of ['2029-05-01', '2029-05-02', '2029-10-01', '2029-10-02', '2029-10-03']) expect(isWorkingDay(day)).toBe(false)
    expect(isWorkingDay('2029-05-03')).toBe(true)
    // 2027's Spring Festival, New Year's Eve (Fri 5 Feb) to the third day (Mon 8 Feb); Qingming
    // (Mon 5 Apr), the Dragon Boat Festival (Wed 9 Jun), the Mid-Autumn Festival (Wed 15 Sep)
    for (const day of ['2027-02-05', '2027-02-08', '2027-04-05', '2027-06-09', '2027-09-15']) expect(isWorkingDay(day)).toBe(false)
    // the days the notice adds around them are not known before it: Tue 9 Feb still counts
    expect(isWorkingDay('2027-02-09')).toBe(true)
    expect(addWorkingDays('2027-02-04', 1)).toBe('2027-02-09')
  })

  it('a later row corrects a built-in day', () => {
    const cal = makeCalendar([{ date: '2026-10-10', kind: 'holiday' }])
    expect(isWorkingDay('2026-10-10', cal)).toBe(false)
    expect(defaultCalendar.workdays.has('2026-10-10')).toBe(true)
  })

  it('refuses malformed rows instead of silently moving deadlines', () => {
    expect(() => makeCalendar([{ date: '2027-02-30', kind: 'holiday' }])).toThrow(RangeError)
  })
})

describe('Shanghai calendar days', () => {
  it('23:30 UTC is already the next morning in Shenzhen', () => {
    expect(shanghaiDateOf(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01')
    expect(shanghaiDateOf(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30')
    expect(todayInShanghai(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01')
    expect(todayInShanghai(new Date('2026-03-01T08:00:00+08:00'))).toBe('2026-03-01')
    expect(() => shanghaiDateOf(new Date('nonsense'))).toThrow(RangeError)
  })

  it('today is a real date', () => {
    expect(isIsoDate(todayInShanghai())).toBe(true)
  })
})

describe('deadline status on the clerk queue', () => {
  it('is ok with three working days left, near with two or fewer, overdue after the deadline', () => {
    expect(deadlineStatus('2026-03-12', '2026-03-09')).toBe('ok') // Thu from Mon: 3 left
    expect(deadlineStatus('2026-03-11', '2026-03-09')).toBe('near') // 2 left
    expect(deadlineStatus('2026-03-09', '2026-03-09')).toBe('near') // due today
    expect(deadlineStatus('2026-03-09', '2026-03-10')).toBe('overdue')
  })

  it('holidays do not count as days left: before National Day 2026 a deadline of 9 Oct is near', () => {
    // from Wed 30 Sep only Thu 8 and Fri 9 Oct are working days
    expect(deadlineStatus('2026-10-09', '2026-09-30')).toBe('near')
    expect(deadlineStatus('2026-10-10', '2026-09-30')).toBe('ok')
  })
})
