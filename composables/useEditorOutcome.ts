import type { DraftChange } from '~/composables/useManage'

/** What an item editor's action came to, shown in ManageOutcomeNotice. */
export interface EditorNotice { kind: 'ok' | 'error', text: string }

/**
 * The outcome of an item page's actions (the guide editor's, the form builder's): `busy` while
 * one runs, then a notice (saved, published, failed) or, when the shared draft changed under the
 * page, ManageDraftChangedNotice. focusOutcome() moves focus to whichever of the two shows, so a
 * keyboard or screen-reader user hears the outcome where the page now stands.
 */
export function useEditorOutcome() {
  const busy = ref(false)
  const notice = ref<EditorNotice | null>(null)
  const noticeBox = ref<{ focus: () => void } | null>(null)
  /** Refused for that reason: who saved the draft since and when, or `gone` (published or removed). */
  const changed = ref<DraftChange | null>(null)
  const changedBox = ref<{ focus: () => void } | null>(null)

  async function focusOutcome() {
    await nextTick()
    const box = changed.value ? changedBox.value : noticeBox.value
    box?.focus()
  }
  return { busy, notice, noticeBox, changed, changedBox, focusOutcome }
}
