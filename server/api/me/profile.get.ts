import { getProfile } from '../../services/profile'

/** The signed-in person's own profile, ID number and mobile masked. */
export default defineApiHandler('signedIn', (_event, user) => {
  const profile = getProfile(useConnection(), user.id)
  if (!profile) throw notFound()
  return profile
})
