import { z } from 'zod'
import { findLegalEntity } from '../../services/legal-entities'
import { normalizeUscc, usccProblem } from '../../../shared/utils/uscc'

// a code typed as people type it (full-width, in groups); one that is not a USCC names nothing
const Params = z.object({ uscc: z.string().max(40).transform(normalizeUscc).refine(c => usccProblem(c) === null) })

/**
 * What the city's legal-entity base data registers under a code, for staff taking in a case at the
 * counter: the registered name, status and its day. Public data (the national enterprise credit
 * publicity system shows as much); the legal representative is not sent. 404 when not registered.
 */
export default defineApiHandler(['clerk', 'manager', 'admin'], (event) => {
  const { uscc } = parseParams(event, Params)
  const entity = findLegalEntity(useConnection(), uscc)
  if (!entity) throw notFound()
  return entity
})
