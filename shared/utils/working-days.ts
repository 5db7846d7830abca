/**
 * Working-day arithmetic on 'YYYY-MM-DD' calendar days (Asia/Shanghai), following the
 * State Council's yearly holiday notice: public holidays, plus weekend days that are
 * declared working days (调休). All arithmetic uses UTC so the host time zone never matters.
 */
import { LUNAR_HOLIDAYS } from './lunar-holidays'

export interface CalendarOverrides {
  /** days off that would otherwise be working days */
  holidays: Set<string>
  /** weekend days declared working days */
  workdays: Set<string>
}

export interface CalendarRow { date: string, kind: 'holiday' | 'workday' }

const DAY_MS = 86_400_000
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True when `s` is a real calendar date written `YYYY-MM-DD` (years 1000–9999). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false
  const m = ISO_DATE.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1000 || mo < 1 || mo > 12 || d < 1) return false
  // Date.UTC rolls 30 Feb over into March, so a round trip exposes impossible dates
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`)
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d) / DAY_MS
}

function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

/** The date `n` calendar days after `date` (negative `n` goes back). */
export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n)
}

/** Day of the week of a 'YYYY-MM-DD' date: 0 Sunday … 6 Saturday. */
export function dayOfWeek(date: string): number {
  // 1970-01-01 (day 0) was a Thursday
  return ((toDayNumber(date) % 7) + 4 + 7) % 7
}

/** Inclusive date ranges, so the data reads like the State Council notice itself. */
interface YearData { holidays: [string, string][], workdays: string[] }

const STATE_COUNCIL: Record<number, YearData> = {
  // The years before the portal opened (2025) are here for the cases departments bring over from
  // the systems before it (counter records, migrated cases): their deadlines, the reports' daily
  // counts and recounts read them.
  // 国办发明电〔2019〕16号, with 国办发明电〔2020〕1号, which extended the Spring Festival to 2 February
  // (and so took back the working Saturday of 1 February)
  2020: {
    holidays: [
      ['2020-01-01', '2020-01-01'], // 元旦
      ['2020-01-24', '2020-02-02'], // 春节 (延长)
      ['2020-04-04', '2020-04-06'], // 清明节
      ['2020-05-01', '2020-05-05'], // 劳动节
      ['2020-06-25', '2020-06-27'], // 端午节
      ['2020-10-01', '2020-10-08'], // 国庆节、中秋节
    ],
    workdays: ['2020-01-19', '2020-04-26', '2020-05-09', '2020-06-28', '2020-09-27', '2020-10-10'],
  },
  // 国办发明电〔2020〕27号
  2021: {
    holidays: [
      ['2021-01-01', '2021-01-03'], // 元旦
      ['2021-02-11', '2021-02-17'], // 春节
      ['2021-04-03', '2021-04-05'], // 清明节
      ['2021-05-01', '2021-05-05'], // 劳动节
      ['2021-06-12', '2021-06-14'], // 端午节
      ['2021-09-19', '2021-09-21'], // 中秋节
      ['2021-10-01', '2021-10-07'], // 国庆节
    ],
    workdays: ['2021-02-07', '2021-02-20', '2021-04-25', '2021-05-08', '2021-09-18', '2021-09-26', '2021-10-09'],
  },
  // 国办发明电〔2021〕11号
  2022: {
    holidays: [
      ['2022-01-01', '2022-01-03'], // 元旦
      ['2022-01-31', '2022-02-06'], // 春节
      ['2022-04-03', '2022-04-05'], // 清明节
      ['2022-04-30', '2022-05-04'], // 劳动节
      ['2022-06-03', '2022-06-05'], // 端午节
      ['2022-09-10', '2022-09-12'], // 中秋节
      ['2022-10-01', '2022-10-07'], // 国庆节
    ],
    workdays: ['2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09'],
  },
  // 国办发明电〔2022〕16号 (New Year's Day: 31 December 2022 to 2 January 2023)
  2023: {
    holidays: [
      ['2023-01-01', '2023-01-02'], // 元旦
      ['2023-01-21', '2023-01-27'], // 春节
      ['2023-04-05', '2023-04-05'], // 清明节
      ['2023-04-29', '2023-05-03'], // 劳动节
      ['2023-06-22', '2023-06-24'], // 端午节
      ['2023-09-29', '2023-10-06'], // 中秋节、国庆节
    ],
    workdays: ['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08'],
  },
  // 国办发明电〔2023〕7号
  2024: {
    holidays: [
      ['2024-01-01', '2024-01-01'], // 元旦
      ['2024-02-10', '2024-02-17'], // 春节
      ['2024-04-04', '2024-04-06'], // 清明节
      ['2024-05-01', '2024-05-05'], // 劳动节
      ['2024-06-10', '2024-06-10'], // 端午节
      ['2024-09-15', '2024-09-17'], // 中秋节
      ['2024-10-01', '2024-10-07'], // 国庆节
    ],
    workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  2025: {
    holidays: [
      ['2025-01-01', '2025-01-01'], // 元旦
      ['2025-01-28', '2025-02-04'], // 春节
      ['2025-04-04', '2025-04-06'], // 清明节
      ['2025-05-01', '2025-05-05'], // 劳动节
      ['2025-05-31', '2025-06-02'], // 端午节
      ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: [
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明节
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午节
      ['2026-09-25', '2026-09-27'], // 中秋节
      ['2026-10-01', '2026-10-07'], // 国庆节
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
}

/**
 * The holidays the law itself fixes by date (全国年节及纪念日放假办法, as revised in 2024): New
 * Year's Day, 1 January; Labour Day, 1 and 2 May; National Day, 1 to 3 October. Every year has them
 * whatever its notice says, so a year whose notice is not in yet (entered by administrators, or
 * built in above) still keeps them off: without this, a deadline computed in December ran through
 * 1 January as a working day. The holidays the law fixes by the lunar calendar are in
 * LUNAR_HOLIDAY_ROWS below. What only the notice says stays unknown until it is entered: the
 * weekend days made working days (调休), and the working day given in place of a holiday that falls
 * on a weekend (补假).
 */
const FIXED_BY_LAW = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03']
/**
 * The fixed holidays are built in for the years after the last notice above, up to this one. The
 * years before the first notice have no built-in day at all (the law's fixed days were others
 * before 2025): an administrator enters one of those years if a deadline in it must be counted.
 */
const LAST_FIXED_YEAR = 2099
const LAST_NOTICE_YEAR = Math.max(...Object.keys(STATE_COUNCIL).map(Number))
/** The years whose State Council notice is built in above. */
export const BUILT_IN_NOTICE_YEARS: ReadonlySet<number> = new Set(Object.keys(STATE_COUNCIL).map(Number))

/**
 * The holidays fixed by law of the years after the last notice, as rows. Deadlines stored before
 * they were built in counted them as working days (server/services/calendar-recount.ts).
 */
const YEARS_AFTER_THE_NOTICES = Array.from({ length: LAST_FIXED_YEAR - LAST_NOTICE_YEAR }, (_, i) => LAST_NOTICE_YEAR + 1 + i)
export const FIXED_BY_LAW_ROWS: readonly CalendarRow[] = YEARS_AFTER_THE_NOTICES
  .flatMap(year => FIXED_BY_LAW.map((md): CalendarRow => ({ date: `${year}-${md}`, kind: 'holiday' })))

/**
 * The holidays the law fixes by the lunar calendar and the solar terms, of the years after the
 * last notice (shared/utils/lunar-holidays.ts): the Spring Festival's four days from New Year's
 * Eve, Qingming, the Dragon Boat and the Mid-Autumn Festivals. Without them a deadline computed in
 * January 2027 ran through the Spring Festival as working days. Deadlines stored before they were
 * built in are recounted once (server/services/calendar-recount.ts).
 */
export const LUNAR_HOLIDAY_ROWS: readonly CalendarRow[] = YEARS_AFTER_THE_NOTICES.flatMap((year) => {
  const days = LUNAR_HOLIDAYS[year]
  if (!days) throw new RangeError(`no lunar holidays for ${year} in lunar-holidays.ts`)
  const [eve, ...festivals] = days.map(md => `${year}-${md}`) as [string, ...string[]]
  return [0, 1, 2, 3].map(n => addDays(eve, n)).concat(festivals).map((date): CalendarRow => ({ date, kind: 'holiday' }))
})

/** The built-in calendar data as rows, the same shape administrators store for later years. */
export const STATE_COUNCIL_ROWS: readonly CalendarRow[] = [
  ...Object.values(STATE_COUNCIL).flatMap(year => [
    ...year.holidays.flatMap(([first, last]) => {
      const rows: CalendarRow[] = []
      for (let d = first; d <= last; d = addDays(d, 1)) rows.push({ date: d, kind: 'holiday' })
      return rows
    }),
    ...year.workdays.map((date): CalendarRow => ({ date, kind: 'workday' })),
  ]),
  ...FIXED_BY_LAW_ROWS,
  ...LUNAR_HOLIDAY_ROWS,
]

function applyRows(cal: CalendarOverrides, rows: readonly CalendarRow[]): CalendarOverrides {
  for (const row of rows) {
    if (!isIsoDate(row.date)) throw new RangeError(`calendar row with a bad date: ${String(row.date)}`)
    // a later row wins, so an administrator can correct a built-in day
    if (row.kind === 'holiday') {
      cal.holidays.add(row.date)
      cal.workdays.delete(row.date)
    }
    else if (row.kind === 'workday') {
      cal.workdays.add(row.date)
      cal.holidays.delete(row.date)
    }
    else {
      throw new RangeError(`calendar row with a bad kind: ${String(row.kind)}`)
    }
  }
  return cal
}

/** The State Council calendars built in and the later years' holidays fixed by law. Treat as read-only; use makeCalendar to extend it. */
export const defaultCalendar: CalendarOverrides = applyRows({ holidays: new Set(), workdays: new Set() }, STATE_COUNCIL_ROWS)

/**
 * The built-in calendar plus rows from the database (later years, corrections).
 * Throws RangeError on a malformed row so a bad calendar never silently moves deadlines.
 */
export function makeCalendar(extra: readonly CalendarRow[] = []): CalendarOverrides {
  return applyRows({ holidays: new Set(defaultCalendar.holidays), workdays: new Set(defaultCalendar.workdays) }, extra)
}

/** Monday to Friday unless a holiday; a weekend day only when declared a working day. */
export function isWorkingDay(date: string, cal: CalendarOverrides = defaultCalendar): boolean {
  const dow = dayOfWeek(date)
  if (dow === 0 || dow === 6) return cal.workdays.has(date)
  return !cal.holidays.has(date)
}

/**
 * The `days`-th working day after `from`, counting from the next day (`days` = 0 gives `from`).
 * Days in `skip` (e.g. while a case was suspended) are not counted.
 */
export function addWorkingDays(from: string, days: number, cal: CalendarOverrides = defaultCalendar, skip?: ReadonlySet<string>): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number ≥ 0: ${days}`)
  let n = toDayNumber(from)
  let left = days
  while (left > 0) {
    n += 1
    const d = fromDayNumber(n)
    if (isWorkingDay(d, cal) && !skip?.has(d)) left -= 1
  }
  return fromDayNumber(n)
}

/**
 * Working days in (from, to]: how many working days remain from `from` until `to`.
 * Negative (minus the working days in (to, from]) when `to` is before `from`.
 */
export function workingDaysBetween(from: string, to: string, cal: CalendarOverrides = defaultCalendar): number {
  const a = toDayNumber(from)
  const b = toDayNumber(to)
  if (b < a) return -workingDaysBetween(to, from, cal)
  let count = 0
  for (let n = a + 1; n <= b; n++) if (isWorkingDay(fromDayNumber(n), cal)) count++
  return count
}

/** The Asia/Shanghai calendar day of an instant, 'YYYY-MM-DD'. */
export function shanghaiDateOf(instant: Date): string {
  const t = instant.getTime()
  if (!Number.isFinite(t)) throw new RangeError('invalid Date')
  // China has kept UTC+8 all year since 1991, so a fixed offset is exact and needs no ICU data
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
}

/**
 * When the offices close, in minutes after midnight Shanghai time: an instant item (即办件) that
 * arrives online later is decided the next working day, as one that arrives on a day off, since
 * nobody is there to decide it that evening (a 21:30 submission was overdue the next morning).
 */
export const OFFICE_CLOSES_AT_MINUTES = 18 * 60

/**
 * The day before the one an instant item arriving at `instant` is due on (a count of one working
 * day from it): its own day when it arrives after the offices close, else the day before, which
 * makes it due that day when that is a working day.
 */
export function instantCountStart(instant: Date): string {
  const day = shanghaiDateOf(instant)
  const minutes = Math.floor((instant.getTime() + 8 * 3_600_000) / 60_000) % (24 * 60)
  return minutes >= OFFICE_CLOSES_AT_MINUTES ? day : addDays(day, -1)
}

/** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDateOf(now)
}

export type DeadlineStatus = 'ok' | 'near' | 'overdue'

/** 'overdue' after the deadline; 'near' with 2 working days or fewer left (due today included); else 'ok'. */
export function deadlineStatus(deadline: string, today: string, cal: CalendarOverrides = defaultCalendar): DeadlineStatus {
  // computed first so malformed dates throw instead of comparing as strings
  const left = workingDaysBetween(today, deadline, cal)
  if (today > deadline) return 'overdue'
  return left <= 2 ? 'near' : 'ok'
}
