import { listOrganizations } from '../../services/registration'

/** The organisations the signed-in person acts for. */
export default defineApiHandler(['citizen'], (_event, user) => {
  return listOrganizations(useConnection(), user.id)
})
