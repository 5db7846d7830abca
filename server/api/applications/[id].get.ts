import { z } from 'zod'
import { getOwnApplication } from '../../services/applications'

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) })

/** One of my applications with its answers and the form version it answers; anyone else's is a 404. */
export default defineApiHandler(['citizen'], (event, user) => {
  const { id } = parseParams(event, Params)
  const draft = getOwnApplication(useConnection(), id, user.id)
  if (!draft) throw notFound()
  return draft
})
