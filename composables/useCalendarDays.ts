/**
 * The working-day calendar page (pages/manage/calendar.vue): the year it shows, kept in the URL,
 * and the changes an administrator sends (PUT /api/calendar/days), with what is said of them.
 */

// the years GET /api/calendar/days accepts (its `year` pattern): the year buttons stop there
export const CALENDAR_FIRST_YEAR = 1900
export const CALENDAR_LAST_YEAR = 2199

/** A problem of the add form, as FormErrorSummary lists it. */
export interface CalendarProblem { key: string, message: string, href: string }

/** The year in `?year=`, next year without one; `goYear` moves to another, kept within the API's years. */
export function useCalendarYear() {
  const route = useRoute()
  const router = useRouter()
  // the year in Shenzhen, on the server and in the browser alike: a host in UTC is still in the old
  // year for the first eight hours of 1 January, and the page refetched another year once loaded
  const thisYear = Number(todayInShanghai().slice(0, 4))
  const year = computed(() => /^\d{4}$/.test(String(route.query.year)) ? Number(route.query.year) : thisYear + 1)
  const goYear = (y: number) => router.push({ query: { year: String(Math.min(CALENDAR_LAST_YEAR, Math.max(CALENDAR_FIRST_YEAR, y))) } })
  return { year, goYear }
}

/** The add form's fields, and the changes sent: the page's `refresh` reloads the year once one is taken. */
export function useCalendarChanges(year: Ref<number>, refresh: () => Promise<unknown>, goYear: (y: number) => Promise<unknown>) {
  const { t } = useI18n()
  const { day } = useDateFormat()
  const date = ref('')
  const kind = ref<'holiday' | 'workday'>('holiday')
  const note = ref('')
  const errors = ref<CalendarProblem[]>([])
  const status = ref('')
  // a failure that is no field's (a removal, a lapsed session, the server): said once, pinned on nothing
  const failure = ref('')
  const statusBox = ref<HTMLElement | null>(null)
  const dateInvalid = computed(() => errors.value.some(e => e.href === '#cal-date'))
  const noteInvalid = computed(() => errors.value.some(e => e.href === '#cal-note'))

  /**
   * Sends one change. A removal's button goes with its row, so focus moves to the status that says
   * it was done; field problems of an addition are listed against the add form's fields.
   */
  /** Sends one change; true once the server took it. */
  async function change(body: { add?: { date: string, kind: string, note?: string }[], remove?: string[] }, done: string, removing?: string): Promise<boolean> {
    errors.value = []
    failure.value = ''
    status.value = ''
    try {
      const { deadlinesMoved, rectificationsMoved } = await $fetch<{ deadlinesMoved: number, rectificationsMoved: number }>('/api/calendar/days', { method: 'PUT', body })
      // the answers to poor ratings are due in working days too: said when any of theirs moved
      const rectifications = rectificationsMoved ? ` ${t('manage.calendar.rectificationsMoved', { n: rectificationsMoved }, rectificationsMoved)}` : ''
      status.value = `${done} ${t('manage.calendar.moved', { n: deadlinesMoved }, deadlinesMoved)}${rectifications}`
      await refresh()
      if (removing) {
        await nextTick()
        statusBox.value?.focus()
      }
      return true
    }
    catch (e) {
      const { status, fieldErrors } = readApiError(e)
      const refused = Object.entries(fieldErrors)
      if (status === 401) failure.value = t('manage.calendar.signedOut')
      else if (removing) failure.value = t('manage.calendar.removeFailed', { date: day(removing) })
      else if (refused.length) {
        errors.value = refused.map(([key, message]) => ({ key, message: t(message), href: key.endsWith('.note') ? '#cal-note' : '#cal-date' }))
      }
      else failure.value = t('manage.calendar.failed')
      return false
    }
  }

  async function add() {
    // the note as it is sent: trimmed here, and an empty one left out (the server keeps what it is sent)
    const sentNote = note.value.trim() || undefined
    // the server's rules (PUT /api/calendar/days), checked before sending: a date, in the years the
    // page lists, and a note without control characters (the shared CONTROL_CHARS)
    const refused: CalendarProblem[] = []
    const typedYear = Number(date.value.slice(0, 4))
    if (!isIsoDate(date.value)) refused.push({ key: 'date', message: t('validation.date'), href: '#cal-date' })
    else if (typedYear < CALENDAR_FIRST_YEAR || typedYear > CALENDAR_LAST_YEAR) refused.push({ key: 'date', message: t('validation.calendarYear'), href: '#cal-date' })
    if (sentNote && CONTROL_CHARS.test(sentNote)) refused.push({ key: 'note', message: t('validation.controlChars'), href: '#cal-note' })
    if (refused.length) {
      failure.value = ''
      status.value = ''
      errors.value = refused
      return
    }
    const entered = date.value
    const added = await change({ add: [{ date: entered, kind: kind.value, note: sentNote }] }, t('manage.calendar.added', { date: day(entered) }))
    // a day of another year is shown where it went: that year's table, the status line saying so
    const enteredYear = Number(entered.slice(0, 4))
    if (added && enteredYear !== year.value) await goYear(enteredYear)
  }

  /** Removes an entered day: its row's button goes, so focus moves to the status (see change). */
  const remove = (d: string) => change({ remove: [d] }, t('manage.calendar.removed', { date: day(d) }), d)

  return { date, kind, note, errors, status, failure, statusBox, dateInvalid, noteInvalid, add, remove }
}
