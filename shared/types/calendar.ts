/**
 * The working-day calendar as `GET /api/calendar/days` shows a year of it: one declaration for the
 * server that builds it (server/services/calendar-admin.ts) and the administrators' page
 * (pages/manage/calendar.vue).
 */

/** A special day: a holiday or an adjusted working day, from the State Council's notice or an administrator. */
export interface CalendarDay { date: string, kind: 'holiday' | 'workday', note: string | null, source: 'builtin' | 'admin' }

/** A year's special days; `entered`: whether the State Council's notice for it is in (calendarEntered). */
export interface CalendarYear { year: number, entered: boolean, days: CalendarDay[] }
