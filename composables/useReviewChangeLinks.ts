/**
 * Links from the review page back to one field on the apply form of the same draft: a route for
 * the "change" links, and the same address as an href for the error summary (whose links are
 * plain anchors). `#field-<key>` makes the form open the field's step and focus it (useApplySteps).
 */
import type { Ref } from 'vue'

export function useReviewChangeLinks(code: Ref<string>, draftId: Ref<string>) {
  const localePath = useLocalePath()
  const changeLink = (key: string) => ({ path: localePath(`/services/${code.value}/apply`), query: { draft: draftId.value }, hash: `#field-${key}` })
  const changeHref = (key: string) => `${localePath(`/services/${code.value}/apply`)}?draft=${encodeURIComponent(draftId.value)}#field-${key}`
  return { changeLink, changeHref }
}
