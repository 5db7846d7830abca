import type { NuxtApp } from '#app'
import { useApplicationStore } from '~/stores/application'

/**
 * What the pages keep in memory about the signed-in person besides who they are: the names of
 * their uploads and their documents library (useUploadLibrary), the receipt of their last
 * submission (the application store), and the data the pages fetched for them (useFetch and
 * useAsyncData). Forgotten when someone else signs in on the same page (a shared terminal in the
 * service hall, a session that ended and the next person signing in, a sign-in in another tab that
 * shares the cookie): the next person must not see the last one's documents or case numbers.
 */
export function forgetPersonalState(nuxtApp: NuxtApp): void {
  nuxtApp.runWithContext(() => {
    const { known, materials } = useUploadLibrary()
    known.value = {}
    materials.value = null
    useApplicationStore().receipt = null
    clearNuxtData()
  })
}
