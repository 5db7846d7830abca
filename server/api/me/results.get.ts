import { listMyResults } from '../../services/results'

/** My e-licences, newest first. */
export default defineApiHandler(['citizen'], (_event, user) => {
  return listMyResults(useConnection(), user)
})
