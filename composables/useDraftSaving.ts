import type { Ref } from 'vue'
import type { Answers } from '~~/shared/utils/form-schema'
import type { ClientDraft } from './useApplication'

interface DraftSavingOptions {
  /** The draft the answers go into; its `updatedAt` and `answers` follow each save. */
  draft: Ref<ClientDraft | null>
  /** The answers on the page (vee-validate's values). */
  values: Answers
  /** A save the person asked for was refused for these fields: the page shows them in error. */
  onRefused: (fieldErrors: Record<string, string>) => void
  /** The field's label in the page's language, to say which answers an autosave left out. */
  labelOf: (key: string) => string | undefined
  /** The page's answers replace the form's (another tab's, chosen by the person). */
  resetAnswers: (answers: Answers) => void
  /** A new draft holding these answers, its id in the page's address (the old one was discarded elsewhere). */
  startDraftWith: (answers: Answers) => Promise<ClientDraft>
}

/**
 * Saving an application's answers as the person types: an autosave a moment after each change,
 * saves asked for ("save draft", moving on), the one still waiting sent as the tab is hidden or
 * closed, and what happened to the draft elsewhere meanwhile (submitted or discarded in another
 * tab, or saved there since). Saves go one after another, each based on the last one's answer.
 * Leaving with answers the draft does not hold asks first. Call from the page's setup.
 */
export function useDraftSaving(options: DraftSavingOptions) {
  const { draft, values } = options
  const { t } = useI18n()
  const { clock } = useDateFormat()
  const api = useApplicationApi()

  const saveStatus = ref('')
  /**
   * What the status line says aloud: saves the person asked for and every failure, not each
   * autosave ("正在保存…" then "已保存" at every pause in typing interrupted the reading of the
   * field, WCAG 4.1.3). The line itself shows every state.
   */
  const saveAnnouncement = ref('')
  function setSaveStatus(text: string, aloud: boolean) {
    saveStatus.value = text
    if (aloud) saveAnnouncement.value = text
  }
  /** A save answered 409: the draft was submitted meanwhile (another tab); its case, once known. */
  const submittedElsewhere = ref<{ caseNo: string | null } | null>(null)
  /** A save answered 404: the draft was discarded meanwhile (another tab, "my applications"); the answers are still on this page. */
  const draftGone = ref(false)
  /** A save answered 409 while the draft is still a draft: another tab saved it since; its answers, to load or to overwrite. */
  const changedElsewhere = ref<ClientDraft | null>(null)
  // answers on the page the draft does not hold: typed since the last save, or a save refused or
  // failed (an ended session, the network); leaving then asks first
  const unsaved = ref(false)
  /** An autosave is waiting (typed in the last moments): it goes as the tab is hidden or closed. */
  const savePending = ref(false)
  /** Saves sent or queued and not yet answered: a waiting save is sent only after them, too late once the page is gone. */
  const savesOnTheirWay = ref(0)

  let timer: ReturnType<typeof setTimeout> | undefined
  let saving: Promise<boolean> = Promise.resolve(true)

  /**
   * Saves the answers. `explicit`: asked for by the person ("save draft", moving on), whose refusal
   * fills the error summary, which takes focus. An autosave refused for some answers (text over a
   * field's limit, which the field's counter already shows) moves nobody's focus: it saves the
   * other answers without those, which stay on the page to be corrected, and says which were left out.
   */
  function saveNow(explicit = false, keepalive = false): Promise<boolean> {
    clearTimeout(timer)
    timer = undefined
    savePending.value = false
    const d = draft.value
    if (!d) return Promise.resolve(false)
    savesOnTheirWay.value++
    saving = saving.then(async () => {
      setSaveStatus(t('form.apply.saving'), false)
      try {
        const sent = { ...values }
        const saved = await api.save(d.id, sent, d.updatedAt, keepalive)
        d.updatedAt = saved.updatedAt
        d.answers = sent
        // typed while the save was on its way: the next autosave has it
        unsaved.value = timer !== undefined
        setSaveStatus(t('form.apply.saved', { time: clock(saved.updatedAt) }), explicit)
        return true
      }
      catch (error) {
        return await saveFailed(d, apiProblem(error), explicit)
      }
      finally {
        savesOnTheirWay.value--
      }
    })
    return saving
  }

  /** What a refused or failed save says and does; true when the answers were saved after all (all but the refused ones). */
  async function saveFailed(d: ClientDraft, problem: ReturnType<typeof apiProblem>, explicit: boolean): Promise<boolean> {
    const refused = Object.keys(problem.fieldErrors)
    if (refused.length && !explicit && !refused.includes('_')) return await saveAllBut(d, refused)
    if (refused.length) {
      options.onRefused(problem.fieldErrors)
      setSaveStatus(t('form.apply.saveFailed'), true)
    }
    else if (problem.status === 401) {
      // the notice in app.vue says the session ended; the answers stay on this page, and the
      // next save works once the person has signed in again in another tab
      setSaveStatus(t('form.apply.saveSignedOut'), true)
    }
    else if (problem.status === 404) {
      setSaveStatus('', false)
      draftGone.value = true
    }
    else if (problem.status === 409) {
      setSaveStatus('', false)
      const now = await api.load(d.id).catch(() => null)
      if (now?.status === 'draft') changedElsewhere.value = now
      else {
        // submitted as it was in the other tab: nothing typed here can go into it any more
        submittedElsewhere.value = { caseNo: now?.caseNo ?? null }
        unsaved.value = false
      }
    }
    else {
      setSaveStatus(t('form.apply.saveOffline'), true)
    }
    return false
  }

  /**
   * An autosave of every answer but `refused`, which keep what the draft held before (a save
   * replaces the draft's answers whole: leaving a refused answer out would delete the statement
   * saved yesterday, or every file of a field whose new scan went over the size limit); true when saved.
   */
  async function saveAllBut(d: ClientDraft, refused: string[]): Promise<boolean> {
    const rest = Object.fromEntries(Object.entries(values).filter(([key]) => !refused.includes(key)))
    for (const key of refused) if (Object.hasOwn(d.answers, key)) rest[key] = d.answers[key]
    const labels = refused.map(options.labelOf).filter(label => label !== undefined)
    try {
      const saved = await api.save(d.id, rest, d.updatedAt)
      d.updatedAt = saved.updatedAt
      d.answers = rest
      setSaveStatus(t('form.apply.savedExcept', { time: clock(saved.updatedAt), fields: labels.join(t('text.listSeparator')) }), true)
      return true
    }
    catch {
      // the next autosave, or "save draft", says what is wrong
      setSaveStatus(t('form.apply.saveFailed'), true)
      return false
    }
  }

  /** The answers on the page kept in a new draft, after the one they were typed into was discarded elsewhere. */
  async function keepInNewDraft() {
    if (!draft.value) return
    try {
      const kept = await options.startDraftWith(values)
      draft.value = kept
      draftGone.value = false
      unsaved.value = false
      setSaveStatus(t('form.apply.saved', { time: clock(kept.updatedAt) }), true)
    }
    catch (error) {
      const problem = apiProblem(error)
      const refused = Object.keys(problem.fieldErrors).length > 0
      setSaveStatus(t(problem.status === 401 ? 'form.apply.saveSignedOut' : refused ? 'form.apply.saveFailed' : 'form.apply.saveOffline'), true)
      if (refused) options.onRefused(problem.fieldErrors)
    }
  }

  /** The other tab's answers replace this page's. */
  function loadOtherWindows() {
    const other = changedElsewhere.value
    if (!other || !draft.value) return
    draft.value.updatedAt = other.updatedAt
    options.resetAnswers({ ...other.answers })
    unsaved.value = false
    changedElsewhere.value = null
    setSaveStatus(t('form.apply.loadedOtherWindows', { time: clock(other.updatedAt) }), true)
  }

  /** This page's answers replace the other tab's, knowingly. */
  function keepThisWindows() {
    const other = changedElsewhere.value
    if (!other || !draft.value) return
    draft.value.updatedAt = other.updatedAt
    changedElsewhere.value = null
    saveNow(true)
  }

  function scheduleSave() {
    unsaved.value = true
    clearTimeout(timer)
    // each save would be refused again until the person chooses whose answers stand
    if (changedElsewhere.value) return
    savePending.value = true
    timer = setTimeout(saveNow, 1500)
  }

  useLeaveWarning(unsaved, () => t('form.apply.leaveUnsaved'), {
    // a save waiting, made now; or one on its way, waited for: neither is a reason to ask
    beforeLeave: async () => {
      if (timer) await saveNow()
      else await saving
    },
    // closing the tab asks only after a save failed or was refused: one merely waiting is sent as
    // the page goes. Not while another is on its way: the waiting one would go only after that one's
    // answer (saves are sent in turn, each based on the last), which a closed page never gets.
    dirtyOnUnload: computed(() => unsaved.value && (!savePending.value || savesOnTheirWay.value > 0)),
  })
  // the tab hidden or closed while an autosave waits: sent at once, in a request that outlives the page
  function sendWaitingSave() {
    if (timer) saveNow(false, true)
  }
  function sendWaitingSaveWhenHidden() {
    if (document.visibilityState === 'hidden') sendWaitingSave()
  }
  onMounted(() => {
    document.addEventListener('visibilitychange', sendWaitingSaveWhenHidden)
    window.addEventListener('pagehide', sendWaitingSave)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', sendWaitingSaveWhenHidden)
    window.removeEventListener('pagehide', sendWaitingSave)
    clearTimeout(timer)
  })

  return {
    saveStatus, saveAnnouncement, setSaveStatus, unsaved, submittedElsewhere, draftGone, changedElsewhere,
    saveNow, scheduleSave, keepInNewDraft, loadOtherWindows, keepThisWindows,
  }
}
