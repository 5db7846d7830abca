/**
 * The apply form's buttons: back a step, on to the next step or to the review page once the answers
 * pass the shared schema, and "save draft". None goes while a file is uploading (the uploads are
 * counted here, for the form's file fields): going on then would leave that file out of the
 * application. Call from the page's setup.
 */
import type { ComputedRef } from 'vue'
import type { FormField } from '~~/shared/types/catalogue'
import type { useApplyErrors } from './useApplyErrors'
import type { useApplySteps } from './useApplySteps'

interface ApplyMovingOnOptions {
  /** The fields the answers so far show. */
  visible: ComputedRef<FormField[]>
  steps: Pick<ReturnType<typeof useApplySteps>, 'stepIndex' | 'currentSection' | 'isLastStep' | 'currentKeys' | 'stepOfField' | 'goToStep'>
  errors: Pick<ReturnType<typeof useApplyErrors>, 'summaryOf' | 'showSummary'>
  /** The shared schema's verdict on all the answers. */
  validate: () => Promise<{ valid: boolean, errors: Partial<Record<string, string>> }>
  /** A save the person asked for; true once saved. */
  saveNow: (explicit: boolean) => Promise<boolean>
  /** On to the review page, the answers saved. */
  toReview: () => ReturnType<typeof navigateTo>
}

export function useApplyMovingOn(options: ApplyMovingOnOptions) {
  const { visible, errors } = options
  const { stepIndex, currentSection, isLastStep, currentKeys, stepOfField, goToStep } = options.steps

  const uploadsInProgress = provideUploadsInProgress()
  /** Moving on was refused while a file uploads; the message goes once the uploads are done. */
  const waitingForUpload = ref(false)
  watch(uploadsInProgress, (n) => {
    if (!n) waitingForUpload.value = false
  })

  /** True (and says why) while a file is uploading: going on now would leave that file out. */
  function refusedWhileUploading(): boolean {
    if (!uploadsInProgress.value) return false
    waitingForUpload.value = true
    return true
  }

  function onSave() {
    if (!refusedWhileUploading()) options.saveNow(true)
  }

  function onPrevious() {
    // the step's fields unmount, and with them the upload's place in the answers
    if (!refusedWhileUploading()) goToStep(stepIndex.value - 1)
  }

  async function onContinue() {
    if (refusedWhileUploading()) return
    const result = await options.validate()
    const errs = result.errors
    if (!isLastStep.value) {
      const mine = errors.summaryOf(errs, currentKeys())
      if (mine.length) return errors.showSummary(mine)
      options.saveNow(true)
      return goToStep(stepIndex.value + 1)
    }
    if (!result.valid) {
      const first = visible.value.find(f => ownValue(errs, f.key))
      if (first && currentSection.value && stepOfField(first.key) !== stepIndex.value) await goToStep(stepOfField(first.key))
      return errors.showSummary(errors.summaryOf(errs, currentKeys()))
    }
    if (await options.saveNow(true)) await options.toReview()
  }

  return { waitingForUpload, onSave, onPrevious, onContinue }
}
