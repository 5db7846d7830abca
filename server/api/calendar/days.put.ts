import { z } from 'zod'
import { commitCalendarChange } from '../../services/calendar-admin'

const day = z.string({ error: 'validation.invalidType' }).refine(isIsoDate, 'validation.date')
// a day added must be in the years the calendar page lists (days.get.ts): one entered for 3026
// would count, unseen there; any day may be removed (such a row entered before this rule)
const listedDay = day.refine(d => /^(19|20|21)\d{2}-/.test(d), 'validation.calendarYear')

const Body = z.strictObject({
  add: z.array(z.strictObject({
    date: listedDay,
    kind: z.enum(['holiday', 'workday'], { error: 'validation.option' }),
    note: z.string().max(100, 'validation.tooLong').refine(s => !CONTROL_CHARS.test(s), 'validation.controlChars').nullish(),
  }), { error: 'validation.invalidType' }).max(400, 'validation.tooMany').default([]),
  remove: z.array(day, { error: 'validation.invalidType' }).max(400, 'validation.tooMany').default([]),
}, { error: 'validation.invalidType' })

/** Administrators add or remove holidays and adjusted working days (later years, corrections); audited. */
export default defineApiHandler(['admin'], async (event, user) => {
  const body = await parseBody(event, Body)
  return commitCalendarChange(useConnection(), body, user, clientIp(event))
})
