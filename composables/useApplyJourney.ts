/**
 * How the apply page comes to a draft: resumes `?draft=<id>`, or, for a service that can be applied
 * for online, asks on whose behalf (the person, or one of their organisations), offers the saved
 * draft of the item for that applicant, and else starts one prefilled from the profile. Coming back
 * through the guide would otherwise start a second draft each time. What it ended in is `phase`;
 * the page's own set-up of a draft of this service is `open`. Call from the page's setup.
 */
import type { Ref } from 'vue'
import type { ServiceGuide } from '~~/shared/types/catalogue'

/**
 * guideFailed: the service's guide did not load (not a 404), so whether it can be applied for
 * online is unknown; failed: the draft did not load or start; otherService: `?draft=` is a draft
 * of another service; submitted: it is this service's, already submitted; savedDraft: the person
 * has a draft of this item for the applicant chosen, to continue or to set aside for a new one.
 */
export type ApplyPhase = 'loading' | 'choose' | 'savedDraft' | 'needsOrganization' | 'form' | 'failed' | 'guideFailed' | 'notOnline' | 'submitted' | 'otherService'

interface ApplyJourneyOptions {
  code: Readonly<Ref<string>>
  guide: Readonly<Ref<ServiceGuide | null | undefined>>
  guideError: Readonly<Ref<{ statusCode?: number } | null | undefined>>
  refreshGuide: () => Promise<void>
  /** The page's h1, which takes focus when what had it (a notice's button) has gone. */
  heading: Readonly<Ref<HTMLElement | null>>
  /** A draft of this service, still a draft, to fill the form with (`draft` already holds it). */
  open: (d: ClientDraft) => void
}

export function useApplyJourney(options: ApplyJourneyOptions) {
  const { code, guide, heading } = options
  const route = useRoute()
  const router = useRouter()
  const api = useApplicationApi()

  const draft = ref<ClientDraft | null>(null)
  const phase = ref<ApplyPhase>('loading')
  /** The status of the failed load (401: the session ended), for what the page says. */
  const failedWith = ref(0)
  const organizations = ref<OrganizationChoice[]>([])
  const applyAs = ref('person')
  /** The drafts found for the applicant chosen (`savedFor`: their organisation, or null for themself). */
  const saved = ref<SavedDrafts | null>(null)
  const savedFor = ref<number | null>(null)
  const offeringSavedDraft = computed(() => phase.value === 'savedDraft')
  /** `?draft=` named no draft of this account (discarded, cleaned up, or another person's address): the page started afresh. */
  const draftMissing = ref(false)

  /** The draft's id in the address (or none), so that a reload resumes it. */
  function putInAddress(id: string | undefined) {
    return router.replace({ query: { ...route.query, draft: id }, hash: route.hash })
  }

  /** A new draft holding these answers, for this applicant, its id in the address. */
  async function createDraft(answers: Record<string, unknown>, organizationId: number | null) {
    const d = await api.create(code.value, answers, organizationId)
    await putInAddress(d.id)
    return d
  }

  function setUp(d: ClientDraft) {
    draft.value = d
    options.open(d)
    phase.value = 'form'
  }

  /** A loaded application: the form for a draft of this item, else what became of it. */
  function show(d: ClientDraft) {
    if (d.serviceCode !== code.value || d.status !== 'draft') {
      draft.value = d
      phase.value = d.serviceCode !== code.value ? 'otherService' : 'submitted'
      return
    }
    setUp(d)
  }

  function fail(status: number) {
    failedWith.value = status
    phase.value = 'failed'
  }

  /** A new draft, prefilled from the profile (and the organisation's record). */
  async function startNew(organizationId: number | null) {
    phase.value = 'loading'
    try {
      const { answers } = await api.prefill(code.value, organizationId)
      setUp(await createDraft(answers, organizationId))
    }
    catch (error) {
      const status = apiProblem(error).status
      failedWith.value = status
      phase.value = status === 404 ? 'notOnline' : 'failed'
    }
  }

  /** Offers the applicant's saved draft of this item when there is one, else starts a new draft. */
  async function begin(organizationId: number | null) {
    phase.value = 'loading'
    try {
      const found = await api.savedDrafts(code.value, organizationId)
      if (found.latest) {
        saved.value = found
        savedFor.value = organizationId
        phase.value = 'savedDraft'
        return
      }
    }
    catch (error) {
      return fail(apiProblem(error).status)
    }
    await startNew(organizationId)
  }

  async function openDraft(id: string) {
    try {
      show(await api.load(id))
    }
    catch (error) {
      const status = apiProblem(error).status
      if (status !== 404) return fail(status)
      // not "check your network", which no retry can mend: the address names no draft of this
      // account (discarded, or the address of someone who used this computer before), so the page
      // says so and goes on as if opened without it (the saved draft offered, or a new one)
      failedWith.value = 0
      draftMissing.value = true
      await putInAddress(undefined)
      await start()
    }
  }

  async function start() {
    const id = typeof route.query.draft === 'string' ? route.query.draft : null
    if (id) return openDraft(id)
    if (!guide.value) {
      phase.value = 'guideFailed'
      return
    }
    if (!guide.value.onlineAvailable) {
      phase.value = 'notOnline'
      return
    }
    if (guide.value.audience !== 'person') {
      try {
        organizations.value = await api.organizations()
      }
      catch (error) {
        // not "no organisations": that would send a company to add itself, or start a personal draft
        return fail(apiProblem(error).status)
      }
    }
    // an item for organisations only: applied for on behalf of one, never as oneself
    const forOrganizations = guide.value.audience === 'organization'
    if (forOrganizations && !organizations.value.length) phase.value = 'needsOrganization'
    else if (forOrganizations && organizations.value.length === 1) await begin(organizations.value[0]!.id)
    else if (organizations.value.length) {
      if (forOrganizations) applyAs.value = String(organizations.value[0]!.id)
      phase.value = 'choose'
    }
    else await begin(null)
  }

  /** The notice's button has gone with it: keep focus off <body> (WCAG 2.4.3), unless a field was asked for. */
  async function focusHeadingUnlessField() {
    if (route.hash.startsWith('#field-')) return
    await nextTick()
    heading.value?.focus()
  }

  /** The saved draft, exactly as `?draft=<id>` opens it (the address says so too, for a reload). */
  async function continueSaved() {
    const id = saved.value?.latest?.id
    if (!id) return
    phase.value = 'loading'
    let d: ClientDraft
    try {
      d = await api.load(id)
    }
    catch (error) {
      const status = apiProblem(error).status
      // discarded in another tab, or cleaned up, since the notice was shown: look again (another
      // saved draft, or a new one) rather than put an address in the bar that can only fail
      if (status === 404) await begin(savedFor.value)
      else fail(status)
      // a notice shown again takes focus itself
      if (!offeringSavedDraft.value) await focusHeadingUnlessField()
      return
    }
    await putInAddress(id)
    show(d)
    await focusHeadingUnlessField()
  }

  /** Starts for the applicant chosen (the person, or one of their organisations): the choice and its button go, focus to the form's heading (a saved draft's notice takes focus itself). */
  async function beginAs(choice: string) {
    await begin(choice === 'person' ? null : Number(choice))
    if (!offeringSavedDraft.value) await focusHeadingUnlessField()
  }

  /** A second draft, chosen knowingly; the saved one stays in "my applications". */
  async function startNewInstead() {
    await startNew(savedFor.value)
    await focusHeadingUnlessField()
  }

  /** Try again after a failed load: the guide first if that was what failed, then the draft. */
  async function retry() {
    phase.value = 'loading'
    failedWith.value = 0
    if (!guide.value) await options.refreshGuide()
    if (options.guideError.value?.statusCode === 404) {
      showError({ statusCode: 404, statusMessage: 'Not Found', fatal: true })
      return
    }
    await start()
    // the retry button has gone with the message: keep focus off <body> (WCAG 2.4.3); a saved
    // draft's notice takes focus itself
    await nextTick()
    if (!offeringSavedDraft.value) heading.value?.focus()
  }

  return {
    draft, phase, failedWith, organizations, applyAs, saved, draftMissing,
    start, retry, continueSaved, beginAs, startNewInstead, createDraft,
  }
}
