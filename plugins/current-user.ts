/** Learn who is signed in once per page load (on the server for the first render). */
export default defineNuxtPlugin(async () => {
  const { user, refresh } = useCurrentUser()
  if (user.value === undefined) await refresh()
})
